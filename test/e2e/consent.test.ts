import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { given, POLICY_VERSION } from "#test/steps/given";
import { table } from "#test/steps/table";
import { expectProblem } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// Consent records (issue 16): kept per user; GET /me asks for consent again when the current
// policy is newer than the user's, and POST /me/consent records it.

/** The user consented to an older policy (as if the current version had been raised since). */
async function consentedTo(userId: string, version: string) {
  const { client, name } = table();
  await client.send(
    new UpdateCommand({ TableName: name, Key: { PK: `USER#${userId}`, SK: "PROFILE" }, UpdateExpression: "SET consent.privacyPolicyVersion = :v", ExpressionAttributeValues: { ":v": version } }),
  );
}

describe("consent", () => {
  it("is recorded at registration, asked again when the policy is newer, and recorded again", async () => {
    const { user, tokens } = await given.aSignedInUser({ consent: { privacyPolicyVersion: POLICY_VERSION, channel: "WEB" } });
    const fresh = await when.getMe(tokens.accessToken);
    expect(fresh.body).toMatchObject({ consentRequired: false, consent: { privacyPolicyVersion: POLICY_VERSION, channel: "WEB" } });

    await consentedTo(user.userId, "2025-01");
    expect((await when.getMe(tokens.accessToken)).body.consentRequired).toBe(true);

    const outdated = await call("POST", "/me/consent", { token: tokens.accessToken, body: { privacyPolicyVersion: "2025-01" } });
    expectProblem(outdated, 400, "CONSENT_OUTDATED");
    expect(outdated.body.currentVersion).toBe(POLICY_VERSION);

    const given2 = await call("POST", "/me/consent", { token: tokens.accessToken, body: { privacyPolicyVersion: POLICY_VERSION, channel: "APP" } });
    expect(given2.status, given2.text).toBe(200);
    expect(given2.body).toMatchObject({ privacyPolicyVersion: POLICY_VERSION, channel: "APP", consentRequired: false });
    expect((await when.getMe(tokens.accessToken)).body).toMatchObject({ consentRequired: false, consent: { channel: "APP" } });
  });
});
