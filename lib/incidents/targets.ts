import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { batchGet, batchWrite } from "#lib/data/batch";
import { type IncidentTarget, type TargetKey, targetsPage, toTargetItem } from "#lib/data/incident-target";
import { STATUS_SHARDS } from "#lib/data/keys";
import { fromUserItem, userKey, usersByStatusPrefix } from "#lib/data/user";
import type { RunbookStep, StepContext, StepResult } from "#lib/incidents/step";
import { tally } from "#lib/incidents/step";

// Who an incident acts on, and going through them a page at a time. The first step of every
// runbook about users writes one target item per user (the selection is then fixed and on
// record); the steps after it page through those items, saving their position after each page,
// and hand over to a later invocation when this one runs short of time.

/** Below this much time left, no new page is started (a page must end inside the invocation). */
export const PAGE_TIME_MS = 3_000;
const SELECT_PAGE = 100;
/** A breach selected by registration date: active and suspended users, every status shard. */
const SELECTED_STATUSES = ["ACTIVE", "SUSPENDED"] as const;

const writeTargets = (context: StepContext, userIds: string[]) =>
  batchWrite(userIds.map((userId) => ({ PutRequest: { Item: toTargetItem({ incidentId: context.incident.incidentId, userId, selectedAt: new Date().toISOString(), effects: {} }) } })));

/**
 * The users named by the incident, those we have (a target item each, written only while this
 * step runs, before any measure). Unknown ids are counted, not acted on.
 */
async function selectNamedUsers(context: StepContext): Promise<StepResult> {
  const userIds = [...new Set(context.incident.userIds ?? [])];
  const counts = { ...context.counts };
  for (let next = Number(context.cursor ?? 0); next < userIds.length; next += SELECT_PAGE) {
    if (context.timeLeft() < PAGE_TIME_MS) return { done: false, counts, cursor: String(next) };
    const page = userIds.slice(next, next + SELECT_PAGE);
    const users = await batchGet(page.map(userKey));
    const found = page.filter((_, i) => fromUserItem(users[i]) !== undefined);
    await writeTargets(context, found);
    tally(counts, "selected", found.length);
    tally(counts, "unknown", page.length - found.length);
    await context.saveProgress(String(next + SELECT_PAGE), counts);
  }
  return { done: true, counts };
}

/** Position in a registration-date selection: which status shard, and where in it. */
interface ShardCursor {
  partition: number;
  start?: Record<string, unknown>;
}

/** Everyone registered in the breach's window, from the status listings (GSI1, by createdAt), a page at a time. */
async function selectByRegistration(context: StepContext): Promise<StepResult> {
  const { registeredAfter, registeredBefore } = context.incident.details.affected ?? {};
  const counts = { ...context.counts };
  const position: ShardCursor = context.cursor ? (JSON.parse(context.cursor) as ShardCursor) : { partition: 0 };
  const partitions = SELECTED_STATUSES.flatMap((status) => Array.from({ length: STATUS_SHARDS }, (_, shard) => `${usersByStatusPrefix(status)}#${shard}`));
  while (position.partition < partitions.length) {
    if (context.timeLeft() < PAGE_TIME_MS) return { done: false, counts, cursor: JSON.stringify(position) };
    const out = await dynamodb.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "GSI1",
        // GSI1SK is `<createdAt>#<userId>`: a window on registration time is a key range.
        KeyConditionExpression: "GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": partitions[position.partition], ":from": registeredAfter ?? "0", ":to": registeredBefore ?? "9" },
        ProjectionExpression: "userId",
        Limit: 500,
        ExclusiveStartKey: position.start,
      }),
    );
    const userIds = (out.Items ?? []).map((item) => String(item.userId));
    await writeTargets(context, userIds);
    tally(counts, "selected", userIds.length);
    if (out.LastEvaluatedKey) position.start = out.LastEvaluatedKey;
    else {
      position.partition++;
      delete position.start;
    }
    await context.saveProgress(JSON.stringify(position), counts);
  }
  return { done: true, counts };
}

export const selectUsers: RunbookStep = { name: "select-users", run: selectNamedUsers };

export const selectAffectedUsers: RunbookStep = {
  name: "select-affected-users",
  run: (context) => (context.incident.userIds ? selectNamedUsers(context) : selectByRegistration(context)),
};

export interface PageOptions {
  pageSize: number;
  /** Users of a page worked on at once. */
  lanes: number;
}

/**
 * Runs `act` on every target of the incident from the saved position, a page at a time, counting
 * the outcome it answers (the recorded one, for a user already done) and saving progress after
 * each page. Not done when time runs short: the engine hands over to a later invocation.
 */
export async function forEachTarget(context: StepContext, options: PageOptions, act: (target: IncidentTarget) => Promise<string>): Promise<StepResult> {
  const counts = { ...context.counts };
  let start = (context.cursor ? (JSON.parse(context.cursor) as TargetKey | null) : null) ?? undefined;
  for (;;) {
    if (context.timeLeft() < PAGE_TIME_MS) return { done: false, counts, cursor: JSON.stringify(start ?? null) };
    const { targets, last } = await targetsPage(context.incident.incidentId, options.pageSize, start);
    await inLanes(targets, options.lanes, async (target) => tally(counts, await act(target)));
    if (!last) return { done: true, counts };
    start = last;
    await context.saveProgress(JSON.stringify(start), counts);
  }
}

/** Runs `work` over the items in `lanes` parallel lanes sharing one queue. */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
