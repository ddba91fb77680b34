import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { apiEvent, lambdaContext } from "#test/steps/api-gateway-events";
import { fileComplaint, readComplaint } from "#test/steps/complaints";
import { given } from "#test/steps/given";
import { stack } from "#test/steps/stack";

// Optimistic concurrency on the real table: serverless-offline hands one function's requests to
// its handler one after another, so over HTTP a second transition always reads the first's result
// (and meets the state machine). Called in-process, parallel calls read the same version before
// any of them writes, so the version condition itself must pick the one winner.

describe("transition handler, in parallel on one version", () => {
  it("exactly one write wins; every other is 409 CHANGED_MEANWHILE, and the timeline has one entry", async () => {
    Object.assign(process.env, stack().env, { POWERTOOLS_LOG_LEVEL: "SILENT" });
    const { handler } = await import("../../functions/admin-transition-complaint/handler");
    const [staff, { tokens }] = await Promise.all([given.aSignedInStaffMember(["support"]), given.aSignedInUser()]);
    const filed = await fileComplaint(tokens.accessToken);

    const call = (priority: string) =>
      handler(
        apiEvent("POST", `/admin/complaints/${filed.complaintId}/transition`, {
          headers: { authorization: `Bearer ${staff.tokens.accessToken}`, "content-type": "application/json" },
          params: { complaintId: filed.complaintId },
          body: JSON.stringify({ action: "CLASSIFY", category: "SERVICE", priority, note: "Parallel classification" }),
        }),
        lambdaContext,
      ) as Promise<APIGatewayProxyStructuredResultV2>;
    // Warm first (token verification, key and config caches, connections), so the six below race
    // on the complaint rather than on a cold start: an illegal action reads the complaint, changes nothing.
    const warm = await handler(
      apiEvent("POST", `/admin/complaints/${filed.complaintId}/transition`, {
        headers: { authorization: `Bearer ${staff.tokens.accessToken}`, "content-type": "application/json" },
        params: { complaintId: filed.complaintId },
        body: JSON.stringify({ action: "START_INVESTIGATION", note: "Too early on purpose" }),
      }),
      lambdaContext,
    ) as APIGatewayProxyStructuredResultV2;
    expect(JSON.parse(String(warm.body)).code).toBe("ILLEGAL_TRANSITION");
    const results = await Promise.all(["LOW", "NORMAL", "HIGH", "URGENT", "LOW", "HIGH"].map(call));

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const codes = results.filter((r) => r.statusCode === 409).map((r) => JSON.parse(String(r.body)).code as string);
    expect(codes).toContain("CHANGED_MEANWHILE"); // the version condition refused at least one that read version 1
    for (const code of codes) expect(["CHANGED_MEANWHILE", "ILLEGAL_TRANSITION"]).toContain(code);
    const view = await readComplaint(staff.tokens.accessToken, filed.complaintId);
    expect(view.body.version).toBe(2);
    expect(view.body.timeline.filter((e: { kind: string }) => e.kind === "TRANSITION")).toHaveLength(1);
  });
});
