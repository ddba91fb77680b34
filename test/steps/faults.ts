import { inject } from "vitest";
import type { PartStatus } from "#scripts/local/control";

// Faults on purpose, through the stack's control server (scripts/local/control.ts): the same code
// that restarts a crashed emulator stops, starts, pauses and resumes it. Only for test/faults/,
// which runs with a stack of its own: other test files would fail against a stopped emulator.

export type Part = "dynamodb" | "cognito" | "ses" | "s3" | "sqs" | "sms" | "offline";
type Action = "stop" | "start" | "pause" | "resume";

const controlUrl = () => inject("stack").urls.control;

async function act(part: Part, action: Action): Promise<void> {
  const res = await fetch(`${controlUrl()}/parts/${part}/${action}`, { method: "POST" });
  if (res.status !== 204) throw new Error(`${action} ${part}: HTTP ${res.status} ${await res.text()}`);
}

/** State, pid and restart count of every part of the stack. */
export async function parts(): Promise<Record<Part, PartStatus>> {
  const res = await fetch(`${controlUrl()}/parts`);
  if (res.status !== 200) throw new Error(`GET /parts: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<Part, PartStatus>;
}

/** emulator("ses").stop() ... .start(): each resolves once done (start: ready, resources created). */
export const emulator = (part: Part) => ({
  stop: () => act(part, "stop"),
  start: () => act(part, "start"),
  pause: () => act(part, "pause"),
  resume: () => act(part, "resume"),
  status: async () => (await parts())[part],
});
