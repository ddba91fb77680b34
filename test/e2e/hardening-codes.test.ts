import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { freshIp, median, tally, timed } from "#test/steps/bursts";
import { given } from "#test/steps/given";
import { ageRegistration, table } from "#test/steps/table";
import { expectProblem, latestCode, smsTo } from "#test/steps/then";
import { when } from "#test/steps/when";

// Attacks on registration, verification and password reset that got through before (issue 10),
// replayed against the real stack: each must now fail, and answers must not tell accounts apart.

const raw = async (key: { PK: string; SK: string }) => (await table().client.send(new GetCommand({ TableName: table().name, Key: key, ConsistentRead: true }))).Item;

describe("no enumeration through codes", () => {
  it("answers a wrong verification code the same for an unknown, a pending and an active login", async () => {
    const pending = await given.aRegisteredUser();
    const active = await given.aVerifiedUser();
    const unknown = given.uniqueEmail("nobody");
    for (const login of [unknown, pending.email, active.email]) {
      const ip = freshIp();
      const first = await when.verify(login, "000000", { sourceIp: ip });
      const second = await when.verify(login, "000001", { sourceIp: ip });
      expectProblem(first, 400, "CODE_MISMATCH");
      expectProblem(second, 400, "CODE_MISMATCH");
      expect([first.body.attemptsRemaining, second.body.attemptsRemaining], login).toEqual([4, 3]);
    }
  });

  it("holds the 5 tries of a code under 20 parallel guesses", async () => {
    const user = await given.aRegisteredUser();
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => when.verify(user.email, String(100000 + i), { sourceIp: freshIp() })));
    const counts = tally(guesses);
    expect(counts[400] ?? 0).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(15);
    // Even the right code is refused now: the tries are used up.
    expectProblem(await when.verify(user.email, await latestCode(user.email)), 429, "TOO_MANY_ATTEMPTS");
  });

  it("holds the resend cooldown for unknown, pending and active logins alike", async () => {
    const pending = await given.aRegisteredUser();
    const active = await given.aVerifiedUser();
    for (const login of [given.uniqueEmail("nobody"), pending.email, active.email]) {
      const ip = freshIp();
      if (login !== pending.email) expect((await when.resend(login, { sourceIp: ip })).status, login).toBe(202); // (pending: its registration just sent one)
      expectProblem(await when.resend(login, { sourceIp: ip }), 429, "RESEND_COOLDOWN");
    }
  });

  it("checks the policy that needs no account first, and the username rule only once the code is right", async () => {
    const user = await given.aVerifiedUser();
    const unknown = given.uniqueEmail("nobody");
    for (const login of [unknown, user.email]) {
      const weak = await when.reset(login, "123456", "short", { sourceIp: freshIp() });
      expectProblem(weak, 400, "VALIDATION_FAILED");
      // A password containing the username, with a wrong code: the code is what is wrong, for both.
      expectProblem(await when.reset(login, "123456", `${user.username}-Kite-42!`, { sourceIp: freshIp() }), 400, "CODE_MISMATCH");
    }
  });

  it("takes as long to answer forgot-password for a known account as for an unknown one (ratio of medians over 30 each)", async () => {
    const known = await Promise.all(Array.from({ length: 30 }, () => given.aVerifiedUser({}, { sourceIp: freshIp() })));
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (const user of known) {
      // Interleaved, each from an address of its own: the two series see the same machine load.
      knownMs.push((await timed(() => when.forgot(user.email, { sourceIp: freshIp() }))).ms);
      unknownMs.push((await timed(() => when.forgot(given.uniqueEmail("nobody"), { sourceIp: freshIp() }))).ms);
    }
    const ratio = median(knownMs) / median(unknownMs);
    expect(ratio, `known ${median(knownMs).toFixed(1)} ms, unknown ${median(unknownMs).toFixed(1)} ms`).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.33);
  });
});

describe("registration", () => {
  it("lets a pending registration of someone's e-mail be taken over: the attacker's password dies with it", async () => {
    const victimEmail = given.uniqueEmail("victim");
    const attacker = await given.aRegisteredUser({ email: victimEmail, password: "Attacker-Kite-7731" });
    // Parallel registrations of one address still give exactly one 201 (the other test); an older pending one gives way.
    expectProblem(await when.register(given.registration({ email: victimEmail })), 409, "ACCOUNT_EXISTS");
    await ageRegistration(attacker.userId, 120);

    const victim = given.registration({ email: victimEmail });
    const registered = await when.register(victim);
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.userId).not.toBe(attacker.userId);
    const code = await latestCode(victimEmail, /code/i, { after: 1 });
    expect((await when.verify(victimEmail, code)).status).toBe(200);

    expectProblem(await when.login(victimEmail, "Attacker-Kite-7731"), 401, "INVALID_CREDENTIALS");
    expectProblem(await when.login(attacker.username, "Attacker-Kite-7731"), 401, "INVALID_CREDENTIALS"); // its username is free again
    expect((await when.login(victimEmail, victim.password)).status).toBe(200);
  });

  it("expires pending accounts (user and guards carry a TTL), and a verified account keeps its guards for good", async () => {
    const user = await given.aRegisteredUser();
    const pending = await raw({ PK: `USER#${user.userId}`, SK: "PROFILE" });
    expect(Number(pending?.ttl) - Date.now() / 1000).toBeGreaterThan(23 * 3600);
    expect(Number(pending?.ttl) - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600);
    expect((await when.verify(user.email, await latestCode(user.email))).status).toBe(200);
    expect((await raw({ PK: `USER#${user.userId}`, SK: "PROFILE" }))?.ttl).toBeUndefined();
  });

  it("limits registrations per client address (SMS pumping): over the limit 429 with Retry-After, and no SMS", async () => {
    const ip = freshIp();
    const phones = Array.from({ length: 52 }, () => given.uniquePhone());
    const answers = [];
    for (const phone of phones) answers.push(await when.register(given.registration({ email: undefined, phone }), { sourceIp: ip }));
    const counts = tally(answers);
    expect(counts[201]).toBe(50); // RATE_LIMIT_REGISTER_PER_IP in the test stack
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    expectProblem(refused[0] as (typeof answers)[number], 429, "RATE_LIMITED");
    const retryAfter = refused[0]?.headers["retry-after"];
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Every answer says what is left of the address's allowance (IETF RateLimit headers), beside
    // API Gateway's throttle of the route; the refusal has nothing left until Retry-After.
    expect(answers[0]?.headers["ratelimit-policy"]).toBe('"gateway";q=50;w=1;apigw-burst=100, "register";q=50;w=600');
    expect(answers[0]?.headers.ratelimit).toMatch(/^"gateway";t=1, "register";r=49;t=(59\d|600)$/);
    expect(answers[49]?.headers.ratelimit).toMatch(/^"gateway";t=1, "register";r=0;t=\d+$/);
    expect(refused[0]?.headers.ratelimit).toBe(`"gateway";t=1, "register";r=0;t=${retryAfter}`);
    await latestCode(phones[49]);
    expect(await smsTo(phones[51] as string)).toHaveLength(0);
  });
});

describe("password reset", () => {
  it("lets one of two parallel resets with one code through, and that one's password is the one that works", async () => {
    const user = await given.aVerifiedUser();
    expect((await when.forgot(user.email)).status).toBe(202);
    const code = await latestCode(user.email, /reset/i);
    const passwords = [given.strongPassword(), given.strongPassword()];
    const resets = await Promise.all(passwords.map((p) => when.reset(user.email, code, p, { sourceIp: freshIp() })));
    expect(tally(resets)[204]).toBe(1);
    const winner = passwords[resets.findIndex((r) => r.status === 204)] as string;
    const loser = passwords.find((p) => p !== winner) as string;
    expect((await when.login(user.username, winner)).status).toBe(200);
    expectProblem(await when.login(user.username, loser), 401, "INVALID_CREDENTIALS");
  });
});
