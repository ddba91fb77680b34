import { tableName } from "#lib/clients/dynamodb";
import type { IncidentTarget } from "#lib/data/incident-target";
import type { TransactItem } from "#lib/data/transactions";
import { getUser, type UserRecord, userKey } from "#lib/data/user";
import { applyToUser } from "#lib/incidents/effects";
import type { RunbookStep, StepContext } from "#lib/incidents/step";
import { forEachTarget, type PageOptions } from "#lib/incidents/targets";

// A measure on each user of an incident, as a runbook step: for every target not done yet, the
// user is read (consistently), a plan decides what to write, and the writes go out with the record
// of the measure in one transaction (effects.ts), so each user gets it once whatever reruns.

const PAGE: PageOptions = { pageSize: 50, lanes: 8 };
/** A user that changed between our read and our write is read again, this many times. */
const TRIES = 3;

/** What to write for one user: nothing (outcome only), or the items of the measure; `effect` adds to the record (a notice's message id). */
export type Plan = { outcome: string; items: TransactItem[]; effect?: { messageId?: string; channel?: string } };

export const none = (outcome: string): Plan => ({ outcome, items: [] });

/** The clauses of a user update; `updatedAt` is always set. */
export interface Clauses {
  set?: string[];
  remove?: string[];
  add?: string[];
  delete?: string[];
}

/** A conditional update of the user item, for a plan's items. */
export const userUpdate = (userId: string, clauses: Clauses, condition: string, values: Record<string, unknown> = {}, names: Record<string, string> = {}): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: userKey(userId),
    UpdateExpression: [
      `SET ${[...(clauses.set ?? []), "updatedAt = :now"].join(", ")}`,
      clauses.remove?.length ? `REMOVE ${clauses.remove.join(", ")}` : "",
      clauses.add?.length ? `ADD ${clauses.add.join(", ")}` : "",
      clauses.delete?.length ? `DELETE ${clauses.delete.join(", ")}` : "",
    ]
      .join(" ")
      .trim(),
    ConditionExpression: condition,
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: { ...values, ":now": new Date().toISOString() },
  },
});

export interface MeasureOptions {
  /** Targets it applies to (resolve lifts only what the response did); the others count as NOT_APPLICABLE. */
  onlyIf?: (target: IncidentTarget) => boolean;
  /** Runs before the measure is recorded (a call outside the table, repeated by a rerun: must be idempotent). */
  before?: (userId: string) => Promise<void>;
  page?: PageOptions;
}

type Planner = (user: UserRecord | undefined, context: StepContext) => Promise<Plan> | Plan;

/** The measure `name` on every user of the incident; `plan` sees the user as read now (undefined: gone). */
export function userMeasure(name: string, plan: Planner, options: MeasureOptions = {}): RunbookStep {
  const act = async (context: StepContext, target: IncidentTarget): Promise<string> => {
    const recorded = target.effects[name];
    if (recorded) return recorded.outcome;
    if (options.onlyIf && !options.onlyIf(target)) return "NOT_APPLICABLE";
    await options.before?.(target.userId);
    for (let attempt = 1; ; attempt++) {
      const user = await getUser(target.userId, true);
      const { outcome, items, effect } = await plan(user && user.status !== "DELETED" && user.status !== "DELETING" ? user : undefined, context);
      const result = await applyToUser(context, target.userId, name, { outcome, ...effect }, items);
      if (!("conflict" in result)) return result.outcome;
      if (attempt >= TRIES) throw new Error(`user ${target.userId} kept changing during ${name}`);
    }
  };
  return { name, run: (context) => forEachTarget(context, options.page ?? PAGE, (target) => act(context, target)) };
}
