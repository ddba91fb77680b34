import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETION_STEPS, type DeletionRecord, type StepRecord } from "#lib/data/deletion";
import type * as DeletionData from "#lib/data/deletion";
import { mockAwsFetch } from "#test/unit/support/fetch";

// The deletion worker against an in-memory deletion record and step functions that count their
// runs: every step is recorded before and after, a failing step is recorded FAILED and thrown, and
// running the worker again on the same record resumes at the failed step and finishes, without
// running a finished step twice. And the request: the password checked first, then one
// transaction that marks the user DELETING, frees the guards and writes the record.

type DeletionModule = typeof DeletionData;
const state = vi.hoisted(() => ({ record: undefined as DeletionRecord | undefined, writes: [] as string[] }));

vi.mock("#lib/data/deletion", async (original) => ({
  ...(await original<DeletionModule>()),
  getDeletion: vi.fn(async () => (state.record ? structuredClone(state.record) : undefined)),
  updateDeletion: vi.fn(async (_userId: string, status: DeletionRecord["status"], step?: { name: string; record: StepRecord }, extra: Record<string, unknown> = {}) => {
    const r = state.record as DeletionRecord;
    state.record = { ...r, ...extra, status, steps: step ? { ...r.steps, [step.name]: step.record } : r.steps, updatedAt: new Date().toISOString() };
    state.writes.push(step ? `${step.name}:${step.record.status}` : `status:${status}`);
    return structuredClone(state.record);
  }),
}));

const runs: Record<string, number> = {};
let failOnce: string | undefined;
vi.mock("#lib/privacy/deletion-steps", async () => {
  const { DELETION_STEPS: names } = await import("#lib/data/deletion");
  return {
    STEP_RUNNERS: Object.fromEntries(
      names.map((name) => [
        name,
        async () => {
          runs[name] = (runs[name] ?? 0) + 1;
          if (failOnce === name) {
            failOnce = undefined;
            throw Object.assign(new Error("S3 answered HTTP 503"), { name: "S3Error" });
          }
          return { done: 1 };
        },
      ]),
    ),
  };
});

const { runDeletion, onDeletionRecords } = await import("#lib/privacy/deletion");
const { deletionView } = await import("#lib/privacy/deletion-view");

const pending = (): DeletionRecord => ({ userId: "u1", status: "PENDING", requestedAt: "2026-12-02T10:00:00.000Z", requestId: "r1", steps: {}, attempts: 0, updatedAt: "2026-12-02T10:00:00.000Z" });

describe("the deletion worker", () => {
  beforeEach(() => {
    state.record = pending();
    state.writes = [];
    for (const k of Object.keys(runs)) delete runs[k];
    failOnce = undefined;
  });

  it("runs every step in order, recording each before and after, and ends DONE", async () => {
    const done = await runDeletion("u1");
    expect(done?.status).toBe("DONE");
    expect(state.writes).toEqual(["status:RUNNING", ...DELETION_STEPS.flatMap((s) => [`${s}:RUNNING`, `${s}:DONE`]), "status:DONE"]);
    expect(Object.values(done?.steps ?? {}).every((s) => s.status === "DONE" && s.counts?.done === 1)).toBe(true);
  });

  it("an interrupted deletion (a step fails once) is recorded FAILED, and a retry on the same record resumes at that step and completes", async () => {
    failOnce = "document-images";
    await expect(runDeletion("u1")).rejects.toThrow("S3 answered HTTP 503");
    expect(state.record?.status).toBe("FAILED");
    expect(state.record?.steps["document-images"]).toMatchObject({ status: "FAILED", failures: 1, lastError: "S3Error: S3 answered HTTP 503" });
    expect(state.record?.steps.complaints).toBeUndefined();
    const view = deletionView(state.record as DeletionRecord);
    expect(view.steps.map((s) => s.status)).toEqual(["DONE", "DONE", "FAILED", "PENDING", "PENDING", "PENDING", "PENDING", "PENDING"]);

    // The retry: the stream redelivers the record (or staff resume it).
    await onDeletionRecords([{ dynamodb: { Keys: { PK: { S: "DELETION#u1" } } } }]);
    expect(state.record?.status).toBe("DONE");
    expect(state.record?.attempts).toBe(2);
    expect(state.record?.steps["document-images"]).toMatchObject({ status: "DONE", failures: 1 });
    expect(runs).toEqual({ credentials: 1, "document-guards": 1, "document-images": 2, complaints: 1, feedback: 1, "admin-applications": 1, partition: 1, account: 1 });
  });

  it("a finished deletion is left alone when its record comes again", async () => {
    await runDeletion("u1");
    const writes = state.writes.length;
    await runDeletion("u1");
    expect(state.writes.length).toBe(writes);
    expect(Object.values(runs).every((n) => n === 1)).toBe(true);
  });
});

describe("DELETE /me: the request", () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  let fetchMock: ReturnType<typeof mockAwsFetch>;
  afterEach(() => fetchMock?.restore());
  beforeEach(() => {
    ddb.reset();
    ddb.resolves({});
    ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1, windowStart: Date.now() } });
  });

  const user = { userId: "u1", username: "Ada", emailHash: "eh", phoneHash: "ph", status: "ACTIVE", createdAt: "2026-11-01T00:00:00.000Z" } as never;

  it("checks the password, then in one transaction marks the user DELETING, releases the username, e-mail and phone guards and writes the record", async () => {
    fetchMock = mockAwsFetch({ InitiateAuth: { body: { AuthenticationResult: { AccessToken: "a", IdToken: "i", RefreshToken: "r", ExpiresIn: 900 } } }, RevokeToken: { body: {} } });
    const { requestDeletion } = await import("#lib/privacy/delete-request");
    const out = await requestDeletion(user, "pw", { ip: "203.0.113.9", requestId: "req-1" });
    expect(out.status).toBe("DELETING");
    expect(fetchMock.calls("RevokeToken")).toHaveLength(1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ExpressionAttributeValues?.[":deleting"]).toBe("DELETING");
    expect(items[0]?.Update?.ConditionExpression).toContain("#status = :active");
    const released = items.flatMap((i) => (i.Delete ? [String(i.Delete.Key?.PK)] : []));
    expect(released).toHaveLength(3);
    expect(released.some((pk) => pk.startsWith("UNIQUE#USERNAME#"))).toBe(true);
    expect(released).toContain("UNIQUE#EMAIL#eh");
    expect(released).toContain("UNIQUE#PHONE#ph");
    expect(items.find((i) => i.Put?.Item?.entity === "DELETION")?.Put?.Item).toMatchObject({ PK: "DELETION#u1", status: "PENDING" });
    expect(items.find((i) => i.Put?.Item?.entity === "AUDIT")?.Put?.Item).toMatchObject({ action: "ACCOUNT_DELETION_REQUESTED" });
  });

  it("refuses a wrong password with 400 CURRENT_PASSWORD_INCORRECT and writes no transaction", async () => {
    fetchMock = mockAwsFetch({ InitiateAuth: { status: 400, body: { __type: "NotAuthorizedException" } } });
    const { requestDeletion } = await import("#lib/privacy/delete-request");
    await expect(requestDeletion(user, "wrong", { ip: "203.0.113.9", requestId: "req-2" })).rejects.toMatchObject({ status: 400, code: "CURRENT_PASSWORD_INCORRECT" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
