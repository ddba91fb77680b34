import { afterAll, describe, expect, it } from "vitest";
import { documents } from "#test/steps/documents";
import { eventually } from "#test/steps/eventually";
import { emulator } from "#test/steps/faults";
import { given } from "#test/steps/given";
import { objectsUnder, partitionOf, privacy } from "#test/steps/privacy";

// An account deletion interrupted for real: S3 is down while the worker erases the document
// images, so that step fails on every try of the stream; the deletion stays FAILED at that step
// (the steps before it done), staff see why, and once S3 is back a resume finishes it.

describe("an account deletion while S3 is down", () => {
  afterAll(async () => {
    await emulator("s3").start(); // whatever happened above, leave it running
  });

  it("stops at the failed step, and completes when resumed", async () => {
    const staff = await given.aSignedInStaffMember(["admin"]);
    const { user, tokens } = await given.aSignedInUser();
    const submitted = await documents.submitted(tokens.accessToken, { type: "PASSPORT", fullName: "Grace Hopper", files: [{ kind: "FRONT", contentType: "image/png", size: 1024 }, { kind: "SELFIE", contentType: "image/jpeg", size: 1024 }] });
    expect(submitted.status, submitted.text).toBe(202);

    await emulator("s3").stop();
    const accepted = await privacy.deleteMe(tokens.accessToken, user.password);
    expect(accepted.status, accepted.text).toBe(202);
    // Every try of the stream fails at document-images (the stream retries it, 5 tries: functions/privacy.yml);
    // after the last one the record rests FAILED. A resume before that would meet a retry in flight (409).
    const failed = await eventually(
      async () => (await privacy.deletion(staff.tokens.accessToken, user.userId)).body,
      (d) => d?.status === "FAILED" && d.steps[2].failures >= 5,
      "the deletion failed and retried",
      30_000,
    );
    expect(failed.steps.map((s: { status: string }) => s.status)).toEqual(["DONE", "DONE", "FAILED", "PENDING", "PENDING", "PENDING", "PENDING", "PENDING"]);
    expect(failed.steps[2].lastError).toMatch(/fetch failed|ECONNREFUSED|TypeError/i);

    await emulator("s3").start();
    expect((await privacy.resume(staff.tokens.accessToken, user.userId)).status).toBe(202);
    const done = await privacy.until(staff.tokens.accessToken, user.userId, "DONE");
    expect(done.steps.every((s) => s.status === "DONE")).toBe(true);
    expect(done.steps[2]?.failures).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder(`documents/${user.userId}/`)).toEqual([]);
    expect(await objectsUnder(`submitted/${user.userId}/`)).toEqual([]);
    expect((await partitionOf(user.userId)).map((i) => i.entity).filter((e) => e !== "USER" && e !== "REWARD_ENTRY")).toEqual([]);
  });
});
