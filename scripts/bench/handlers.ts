import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { config } from "#lib/config";
import type { DynamoTally } from "./dynamo-meter";
import type { RecordedRequest } from "./floor";
import { type HttpLambda, httpEvent, lambdaContext } from "./events";
import type { FunctionDef } from "./functions";
import { latestCodes } from "./mail";
import { mean, percentile, round } from "./stats";

// Handler latency in-process against the emulators: the real handlers of register, verify, login
// and GET /me, called one at a time with hand-built API Gateway events. Every response must have
// the expected status: a benchmark of error responses would measure the wrong thing.

export interface HandlerSettings {
  /** Measured calls per handler. */
  calls: number;
  /** Calls before measuring (JIT, connection pools, JWKS cache). */
  warmup: number;
  /** Distinct verified users the logins are spread over. */
  loginUsers: number;
}

/** The meter's tally, divided by the number of requests. */
export type DynamoPerRequest = DynamoTally;

export interface HandlerResult {
  name: string;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  dynamodb: DynamoPerRequest;
}

export interface Meter {
  reset(): void;
  read(): DynamoTally;
}

interface BenchUser {
  username: string;
  email: string;
  password: string;
}

/** What the scenario lets the caller do between and around the measured calls. */
export interface HandlerHooks {
  /** After the register phase: deliver the outbox, so the verification codes are in the mail store. */
  afterRegister(): Promise<void>;
  /** Around each measured (not warm-up) call: collects the network calls it makes. */
  recorder: { begin(): void; end(): RecordedRequest };
  /** After each phase, with its measured calls' durations and network calls (the floor replays them now, under the same load). */
  afterPhase(name: string, samplesMs: number[], recorded: RecordedRequest[]): Promise<void>;
}

/** Imports a handler the way functions.yml names it (env must already point at the stack). */
export async function loadHandler<T = HttpLambda>(fn: FunctionDef): Promise<T> {
  const mod = (await import(fn.entry)) as Record<string, unknown>;
  const handler = mod[fn.exportName];
  if (typeof handler !== "function") throw new Error(`${fn.entry} does not export a function ${fn.exportName}`);
  return handler as T;
}

export async function runHandlerBench(
  handlers: Record<"register" | "verify" | "login" | "get-me", HttpLambda>,
  mailUrl: string,
  meter: Meter,
  settings: HandlerSettings,
  log: (line: string) => void,
  hooks: HandlerHooks,
): Promise<HandlerResult[]> {
  const total = settings.warmup + settings.calls;
  if (settings.loginUsers > total) throw new Error("loginUsers must not exceed warmup + calls");
  const run = async (name: string, fn: HttpLambda, events: (i: number) => APIGatewayProxyEventV2, expected: number, before?: () => Promise<void>) => {
    const phase = await measure(name, fn, total, events, expected, settings.warmup, meter, log, hooks.recorder);
    await before?.();
    await hooks.afterPhase(name, phase.samplesMs, phase.recorded);
    return phase;
  };
  const users = Array.from({ length: total }, (_, i) => newUser(i));

  const register = await run(
    "register",
    handlers.register,
    // Each from its own address: registrations and code checks are limited per client IP.
    (i) => httpEvent("POST", "/auth/register", { body: registration(users[i]), sourceIp: ipOf(i) }),
    201,
    // Every register above queued its code in the outbox; once the sender has delivered them, one
    // read of the mail store has them all.
    () => hooks.afterRegister(),
  );
  const codes = await latestCodes(mailUrl);
  const codeOf = (user: BenchUser) => {
    const code = codes.get(user.email);
    if (!code) throw new Error(`no verification code was mailed to ${user.email}`);
    return code;
  };
  const verify = await run(
    "verify",
    handlers.verify,
    (i) => httpEvent("POST", "/auth/verify", { body: { login: at(users, i).email, code: codeOf(at(users, i)) }, sourceIp: ipOf(i) }),
    200,
  );

  // Logins cycle over a few users, each from its own source IP: nothing fails, so every attempt the
  // sign-in limits claim (per account and per IP) is given back and nothing locks; the device is
  // known after the first.
  const login = await run(
    "login",
    handlers.login,
    (i) => {
      const user = at(users, i % settings.loginUsers);
      return httpEvent("POST", "/auth/login", { body: { login: user.username, password: user.password }, sourceIp: ipOf(i) });
    },
    200,
  );
  const tokens = login.responses.map((res) => (JSON.parse(res.body ?? "{}") as { accessToken: string }).accessToken);

  const getMe = await run("get-me", handlers["get-me"], (i) => httpEvent("GET", "/me", { token: at(tokens, i), sourceIp: ipOf(i) }), 200);

  return [register.result, verify.result, login.result, getMe.result];
}

/** Calls one handler `total` times in sequence; the first `warmup` calls are neither timed nor metered. */
async function measure(
  name: string,
  fn: HttpLambda,
  total: number,
  eventOf: (i: number) => APIGatewayProxyEventV2,
  expected: number,
  warmup: number,
  meter: Meter,
  log: (line: string) => void,
  recorder: HandlerHooks["recorder"],
): Promise<{ result: HandlerResult; responses: APIGatewayProxyStructuredResultV2[]; samplesMs: number[]; recorded: RecordedRequest[] }> {
  const samples: number[] = [];
  const recorded: RecordedRequest[] = [];
  const responses: APIGatewayProxyStructuredResultV2[] = [];
  for (let i = 0; i < total; i++) {
    if (i === warmup) meter.reset();
    const event = eventOf(i);
    const context = lambdaContext(`sharing-users-local-${name}`);
    if (i >= warmup) recorder.begin();
    const started = performance.now();
    const res = await fn(event, context);
    const ms = performance.now() - started;
    if (i >= warmup) recorded.push(recorder.end());
    if (res.statusCode !== expected) {
      throw new Error(`${name} call ${i + 1}/${total}: expected ${expected}, got ${res.statusCode}: ${String(res.body).slice(0, 500)}`);
    }
    if (i >= warmup) samples.push(ms);
    responses.push(res);
  }
  const tally = meter.read();
  const per = (value: number) => round(value / samples.length, 3);
  const result: HandlerResult = {
    name,
    calls: samples.length,
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    meanMs: round(mean(samples)),
    minMs: round(Math.min(...samples)),
    maxMs: round(Math.max(...samples)),
    dynamodb: {
      calls: per(tally.calls),
      attempts: per(tally.attempts),
      failures: per(tally.failures),
      rcu: per(tally.rcu),
      wcu: per(tally.wcu),
      byCommand: Object.fromEntries(Object.entries(tally.byCommand).map(([command, n]) => [command, per(n)])),
    },
  };
  log(`  ${name}: ${total} calls (${warmup} warm-up), p50 ${result.p50Ms} ms, ${result.dynamodb.calls} DynamoDB calls/req`);
  return { result, responses, samplesMs: samples, recorded };
}

const suffix = randomBytes(3).toString("hex");

/** Unique per run and index; lower-case so the mail store's address matches as sent. */
function newUser(i: number): BenchUser {
  return {
    username: `bench_${suffix}_${i}`,
    email: `bench-${suffix}-${i}@example.com`,
    password: `Tr4il-${randomBytes(6).toString("hex")}-Kite`,
  };
}

function registration(user: BenchUser | undefined) {
  if (!user) throw new Error("no such bench user");
  return {
    username: user.username,
    email: user.email,
    password: user.password,
    consent: { privacyPolicyVersion: config().privacyPolicyVersion },
  };
}

/** A distinct client address per call. */
const ipOf = (i: number) => `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`;

function at<T>(list: T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`index ${i} out of range`);
  return item;
}
