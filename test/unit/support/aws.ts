import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { vi } from "vitest";

// Shared by the unit tests that mock DynamoDB: the errors and the clock the modules react to.

/** A fixed instant (a Friday, 2026-11-20 12:00 UTC) for tests that freeze the clock. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** What DynamoDB throws when a ConditionExpression fails; `item` is the old item (marshalled) when ALL_OLD was asked for. */
export const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, ...(item ? { Item: item } : {}) });

/** Freezes Date (only Date: timers stay real, so batch backoffs still run) at `at`. Undo with vi.useRealTimers(). */
export function freezeClock(at: number = NOW): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

/** Removes the jitter of batch retries (Math.random() × delay) so retry tests stay fast. */
export const noBackoffJitter = () => vi.spyOn(Math, "random").mockReturnValue(0);
