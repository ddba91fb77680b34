import { config } from "#lib/config";
import { lookupHash } from "#lib/crypto/fields";
import { type LoginPolicy, loginPolicy } from "#lib/data/login-policy";
import { throttleKey } from "#lib/data/throttle";
import { tooManyRequests } from "#lib/errors";
import { type Claim, claim, failed, LimitReached, refund } from "#lib/limits/counter";

// Brute-force protection of everything that checks a password (sign-in, password change): one
// attempt is claimed per account and per client IP before Cognito is asked, so parallel guesses
// are counted as they start. A failure keeps its claims; the one that fills a window
// (LOGIN_MAX_FAILURES_ACCOUNT / _IP per LOGIN_LOCK_SECONDS) locks that key for LOGIN_LOCK_SECONDS,
// and while it is locked even the right password is refused. A success gives its own claims back
// and lifts nothing. An incident (CREDENTIAL_STUFFING) may lower both limits for a while and
// refuse given client IPs outright (lib/data/login-policy.ts): the lower limit wins.

export interface SignInClaims {
  account: Claim;
  ip: Claim;
}

const limits = (policy: LoginPolicy) => {
  const { maxFailuresPerAccount, maxFailuresPerIp, lockSeconds, windowSeconds } = config().loginThrottle;
  return {
    account: { max: Math.min(maxFailuresPerAccount, policy.maxFailuresPerAccount ?? Infinity), windowSeconds, lockSeconds },
    // Only the caller's own address is reported (RateLimit headers): an account's count would tell
    // anyone who types its login how often others got its password wrong.
    ip: { max: Math.min(maxFailuresPerIp, policy.maxFailuresPerIp ?? Infinity), windowSeconds, lockSeconds, policy: "sign-in" },
  };
};

const lockedOut = (retryAfterSeconds: number) => tooManyRequests("LOCKED_OUT", "Too many failed sign-ins; try again later.", retryAfterSeconds);

/** Claims a password attempt for the account (an unknown login counts under its hash) and the IP; 429 LOCKED_OUT when either is locked or full. */
export async function claimPasswordAttempt(accountId: string, ip: string): Promise<SignInClaims> {
  const [policy, ipHash] = await Promise.all([loginPolicy(), lookupHash("IP", ip)]);
  // A blocked address is refused like a locked one (it learns nothing more), without a claim.
  const blockedUntil = policy.blockedIps.get(ipHash);
  if (blockedUntil !== undefined) throw lockedOut(Math.max(1, Math.ceil((blockedUntil - Date.now()) / 1000)));
  const limit = limits(policy);
  const [account, byIp] = await Promise.allSettled([claim(throttleKey("ACCOUNT", accountId), limit.account), claim(throttleKey("IP", ipHash), limit.ip)]);
  if (account.status === "fulfilled" && byIp.status === "fulfilled") return { account: account.value, ip: byIp.value };
  // Not evaluated: the claim that was granted is given back.
  await Promise.all([account, byIp].map((r) => (r.status === "fulfilled" ? refund(r.value) : undefined)));
  const refusals = [account, byIp].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  const other = refusals.find((e) => !(e instanceof LimitReached));
  if (other) throw other;
  const wait = Math.max(...refusals.map((e) => (e as LimitReached).retryAfterSeconds));
  throw lockedOut(wait);
}

/** The password was wrong: the claims stay, and may lock. */
export const passwordAttemptFailed = async (c: SignInClaims) => void (await Promise.all([failed(c.account), failed(c.ip)]));

/** The password was right, or never checked (a dependency failed): the claims are given back. */
export const passwordAttemptSettled = async (c: SignInClaims) => void (await Promise.all([refund(c.account), refund(c.ip)]));
