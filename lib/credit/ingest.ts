import { tableName } from "#lib/clients/dynamodb";
import { activeDaysAttribute, bucketAttribute, dayOf, incrementsOf, isOutsideKeptMonths, monthOf, prunedActiveDayMonths, totalAttribute } from "#lib/credit/counters";
import { creditCountersKey, creditDirtyIndex, creditEventKey, ENTITY, EVENT_RETENTION_SECONDS } from "#lib/data/credit";
import { ttlAfter } from "#lib/data/keys";
import { markLifecycleDue } from "#lib/data/lifecycle";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { userKey } from "#lib/data/user";
import type { BehaviorEvent } from "#lib/events/schema";

/** An event about a user we do not have: retrying cannot help, so it is dead-lettered. */
export class UnknownUserError extends Error {
  constructor() {
    super("userId: no such user");
  }
}

const prefixed = ({ GSI2PK, GSI2SK }: { GSI2PK: string; GSI2SK: string }) => ({ ":shard": GSI2PK, ":userId": GSI2SK });

/**
 * Stores one event and folds it into the user's counters, atomically and once: the event item is
 * put only if its eventId is new, in the same transaction as the counter update and the
 * changed-user marker, so a redelivered or duplicate event changes nothing.
 */
export async function recordEvent(event: BehaviorEvent, receivedAt = new Date().toISOString()): Promise<"RECORDED" | "DUPLICATE"> {
  const table = tableName();
  const month = monthOf(event.occurredAt);
  const names: Record<string, string> = { "#version": "version", "#updatedAt": "updatedAt", "#total": totalAttribute(event.type) };
  const values: Record<string, unknown> = { ":one": 1, ":now": receivedAt, ":entity": ENTITY.counters };
  const adds = ["#version :one", "#total :one"];
  Object.entries(incrementsOf(event)).forEach(([metric, amount], i) => {
    names[`#b${i}`] = bucketAttribute(metric as Parameters<typeof bucketAttribute>[0], month);
    values[`:b${i}`] = amount;
    adds.push(`#b${i} :b${i}`);
  });
  const removes = event.type === "ACTIVE_DAY" ? trackActiveDay(event.occurredAt, receivedAt, names, values, adds) : [];
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: {
              ...creditEventKey(event.userId, event.eventId),
              entity: ENTITY.event,
              eventId: event.eventId,
              userId: event.userId,
              eventType: event.type,
              occurredAt: event.occurredAt,
              attributes: event.attributes,
              receivedAt,
              ttl: ttlAfter(EVENT_RETENTION_SECONDS),
            },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Update: {
            TableName: table,
            Key: creditCountersKey(event.userId),
            UpdateExpression: `SET entity = :entity, #updatedAt = :now ADD ${adds.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        {
          // The changed-user marker, on the user item; creditDirtyBy lets the worker clear exactly
          // the marker it saw (a later event re-marks the user).
          Update: {
            TableName: table,
            Key: userKey(event.userId),
            UpdateExpression: "SET GSI2PK = :shard, GSI2SK = :userId, creditDirtyBy = :eventId",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ...prefixed(creditDirtyIndex(event.userId)), ":eventId": event.eventId },
          },
        },
        // Something happened to the user: the nightly lifecycle step looks at them again.
        markLifecycleDue(event.userId, receivedAt),
      ],
    });
    return "RECORDED";
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) return "DUPLICATE";
    if (error instanceof TransactionCancelled && error.failedAt() === 2) throw new UnknownUserError();
    throw error;
  }
}

/**
 * Adds the event's UTC day to its month's set of active days (idempotent per day) and returns the
 * REMOVE clauses of the older months' sets, pruned in this same write. A day too old to ever
 * count again is not stored.
 */
function trackActiveDay(occurredAt: string, receivedAt: string, names: Record<string, string>, values: Record<string, unknown>, adds: string[]): string[] {
  const day = dayOf(occurredAt);
  if (isOutsideKeptMonths(day, receivedAt)) return [];
  names["#activeDays"] = activeDaysAttribute(monthOf(occurredAt));
  values[":activeDay"] = new Set([day]);
  adds.push("#activeDays :activeDay");
  return prunedActiveDayMonths(monthOf(occurredAt)).map((month, i) => {
    names[`#stale${i}`] = activeDaysAttribute(month);
    return `#stale${i}`;
  });
}
