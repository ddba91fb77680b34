import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { eventually } from "#test/steps/eventually";
import { emulator } from "#test/steps/faults";
import { given, type TestUser } from "#test/steps/given";
import { expectProblem, latestCode, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// What a client sees while a dependency is down or hung: a 503 with Retry-After within seconds
// (never a 500, never a 401 for a valid token), and full service once it is back, with nothing
// half-written (a refused registration can simply be sent again).

const timed = async <T>(request: () => Promise<T>) => {
  const started = performance.now();
  const result = await request();
  return { result, ms: performance.now() - started };
};

const expectUnavailable = (res: Awaited<ReturnType<typeof when.register>>) => {
  expectProblem(res, 503, "SERVICE_UNAVAILABLE");
  expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/cognito|dynamodb|ECONNREFUSED|127\.0\.0\.1|TimeoutError/i);
};

describe("a dependency down or hung", () => {
  let user: TestUser;
  let token: string;
  beforeAll(async () => {
    const signedIn = await given.aSignedInUser();
    user = signedIn.user;
    token = signedIn.tokens.accessToken;
    expect((await when.getMe(token)).status).toBe(200); // GET /me has Cognito's signing keys from now on
  });
  afterAll(async () => {
    await emulator("cognito").start();
    await emulator("ses").start();
    await emulator("dynamodb").resume();
  });

  it("Cognito down: register and login answer 503 with Retry-After, valid tokens keep working, and all is back after", async () => {
    await emulator("cognito").stop();
    const registration = given.registration();
    expectUnavailable(await when.register(registration));
    expectUnavailable(await when.login(user.username, user.password));
    // A valid token needs no Cognito call once its keys are known: still 200, never 401.
    expect((await when.getMe(token)).status).toBe(200);
    // A function that has not fetched the keys yet cannot check the token: 503, not 401.
    expectUnavailable(await call("GET", "/me/credit", { token }));

    await emulator("cognito").start();
    const again = await when.register(registration); // nothing was left claimed
    expect(again.status, again.text).toBe(201);
    expect((await when.login(user.username, user.password)).status).toBe(200);
    expect((await call("GET", "/me/credit", { token })).status).toBe(200);
    expect((await when.verify(registration.email, await latestCode(registration.email))).status).toBe(200);
  });

  it("SES down: register, login and GET /me are not affected at all; the mail arrives once SES is back", async () => {
    await emulator("ses").stop();
    const newcomer = given.registration();
    expect((await when.register(newcomer)).status).toBe(201);
    expect((await when.login(user.username, user.password, { headers: { "user-agent": "Outage/1" } })).status).toBe(200);
    expect((await when.getMe(token)).status).toBe(200);
    await emulator("ses").start();
    await latestCode(newcomer.email, /code/i, { timeoutMs: 30_000 });
    await mailsMatching(user.email, /new sign-in/i, 1, 30_000);
  });

  it("DynamoDB hung (SIGSTOP) for 8 s: requests answer 503 within seconds, then everything works again", async () => {
    await emulator("dynamodb").pause();
    const pausedAt = Date.now();
    try {
      const [me, login, register] = await Promise.all([
        timed(() => when.getMe(token)),
        timed(() => when.login(user.username, user.password)),
        timed(() => when.register(given.registration())),
      ]);
      for (const { result, ms } of [me, login, register]) {
        expectUnavailable(result);
        expect(ms).toBeLessThan(6_000); // two tries of 1.5 s and a jittered pause, far from the 30 s Lambda timeout
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 8_000 - (Date.now() - pausedAt))));
    } finally {
      await emulator("dynamodb").resume();
    }
    expect((await when.getMe(token)).status).toBe(200);
    expect((await when.register(given.registration())).status).toBe(201);
  });

  it("a behaviour event whose first delivery fails (DynamoDB hung) is recorded, once, on redelivery", async () => {
    const event = behaviourEvent(user.userId, "REVIEW_GIVEN");
    await emulator("dynamodb").pause();
    try {
      await send(event);
      await new Promise((r) => setTimeout(r, 4_000)); // the consumer's try times out meanwhile
    } finally {
      await emulator("dynamodb").resume();
    }
    const credit = await eventually(
      async () => (await call("GET", "/me/credit", { token })).body as { counters?: Record<string, number> },
      (body) => body.counters?.REVIEW_GIVEN === 1,
      "the event counted after its redelivery",
      30_000,
      300,
    );
    expect(credit.counters?.REVIEW_GIVEN).toBe(1);
  });
});
