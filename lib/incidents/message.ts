import { createHash } from "node:crypto";
import * as z from "zod/mini";
import { type IncidentDetails, type IncidentType, type Severity, SEVERITIES } from "#lib/data/incident-values";

// The incidents queue contract (shared/API.md): `{ incidentId, type, severity, userIds?, details,
// requestedBy }` opens an incident (POST /admin/incidents and `npm run incident` send exactly
// this). Control messages name an incident that exists: RESOLVE (with the post-incident summary),
// RETRY (a FAILED incident, by ops) and CONTINUE (the runbook handing itself over to a later
// invocation). Strict: an ops tool's typo ("userID") is refused, not silently ignored.

/** A request names at most this many users (a larger breach uses `details.affected`). */
export const MAX_USERS = 1000;
export const DATA_CATEGORIES = ["EMAIL", "PHONE", "NAME", "PASSWORD", "IDENTITY_DOCUMENT", "LOGIN_HISTORY", "PROFILE", "PAYMENT_REFERENCE"] as const;

const userId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._:-]+$/));
const userIds = z.array(userId).check(z.minLength(1), z.maxLength(MAX_USERS));
const summary = z.string().check(z.trim(), z.minLength(3), z.maxLength(2000));
const instant = z.iso.datetime({ offset: true, abort: true }).check(z.maxLength(40));
const severity = z.enum(SEVERITIES);
const ip = z.union([z.ipv4(), z.ipv6()]);
const count = (max: number) => z.number().check(z.int(), z.gte(1), z.lte(max));

const aboutUsers = z.strictObject({ summary });
const stuffing = z.strictObject({
  summary,
  sourceIps: z.optional(z.array(ip).check(z.maxLength(MAX_USERS))),
  periodMinutes: z.optional(count(7 * 24 * 60)),
  maxFailuresPerAccount: z.optional(count(1000)),
  maxFailuresPerIp: z.optional(count(100_000)),
});
const breach = z.strictObject({
  summary,
  detectedAt: z.optional(instant.check(z.refine((at) => Date.parse(at) <= Date.now() + 5 * 60_000, "Not in the future."))),
  dataCategories: z.array(z.enum(DATA_CATEGORIES)).check(z.minLength(1), z.maxLength(DATA_CATEGORIES.length)),
  credentialsInvolved: z._default(z.boolean(), false),
  affected: z.optional(z.strictObject({ registeredAfter: z.optional(instant), registeredBefore: z.optional(instant) })),
});

/** What is asked (the body of POST /admin/incidents; the queue message adds incidentId and requestedBy). */
export const incidentRequest = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ACCOUNT_COMPROMISE"), severity, userIds, details: aboutUsers }),
  z.strictObject({ type: z.literal("FRAUD_RING"), severity, userIds, details: aboutUsers }),
  z.strictObject({ type: z.literal("CREDENTIAL_STUFFING"), severity, details: stuffing }),
  z
    .strictObject({ type: z.literal("DATA_BREACH"), severity, userIds: z.optional(userIds), details: breach })
    .check(z.refine((b) => (b.userIds === undefined) !== (b.details.affected === undefined), { message: "Give either userIds or details.affected.", path: ["userIds"] })),
]);
export type IncidentRequest = z.infer<typeof incidentRequest>;

const envelope = {
  incidentId: z.uuid(),
  /** Who asked: a staff user id, or `ops:<name>` from the command line; the actor of every audit entry. */
  requestedBy: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:@-]+$/)),
};
const control = z
  .strictObject({ action: z.enum(["RESOLVE", "RETRY", "CONTINUE"]), ...envelope, summary: z.optional(summary) })
  .check(z.refine((m) => (m.action === "RESOLVE") === (m.summary !== undefined), { message: "RESOLVE needs a summary (and only RESOLVE has one).", path: ["summary"] }));
const openEnvelope = z.strictObject({ ...envelope, action: z.optional(z.literal("OPEN")) });

export interface OpenMessage {
  action: "OPEN";
  incidentId: string;
  requestedBy: string;
  type: IncidentType;
  severity: Severity;
  userIds?: string[];
  details: IncidentDetails;
}
export type ControlMessage = z.infer<typeof control>;
export type IncidentMessage = OpenMessage | ControlMessage;

export type ParsedMessage = { ok: true; message: IncidentMessage } | { ok: false; reason: string };

const reasonOf = (issues: readonly { path: readonly PropertyKey[]; code: string }[]) =>
  issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.code}`).join("; ").slice(0, 500);

/** Parses one queue body. The reason names fields and rules only (never values): it is logged and kept on the dead letter. */
export function parseIncidentMessage(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { ok: false, reason: "(root): not an object" };
  const { incidentId, requestedBy, action, ...request } = json as Record<string, unknown>;
  if (action !== undefined && action !== "OPEN") {
    const parsed = control.safeParse(json);
    return parsed.success ? { ok: true, message: parsed.data } : { ok: false, reason: reasonOf(parsed.error.issues) };
  }
  const head = openEnvelope.safeParse({ incidentId, requestedBy, ...(action === undefined ? {} : { action }) });
  const rest = incidentRequest.safeParse(request);
  if (!head.success || !rest.success) return { ok: false, reason: reasonOf([...(head.error?.issues ?? []), ...(rest.error?.issues ?? [])]) };
  return { ok: true, message: { ...rest.data, ...head.data, action: "OPEN" } };
}

/** The queue message that opens an incident. */
export const openMessage = (incidentId: string, requestedBy: string, request: IncidentRequest) => ({ incidentId, ...request, requestedBy });

/** Digest of what an opening message asks: a duplicate delivery has the same one. */
export function fingerprintOf(message: OpenMessage): string {
  const { type, severity, userIds, details } = message;
  return createHash("sha256").update(JSON.stringify({ type, severity, userIds: userIds ?? null, details })).digest("base64url");
}
