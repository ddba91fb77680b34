import { CognitoIdentityProviderClient, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { register } from "#lib/identity/registration";

const ddb = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);

const input = () => ({
  username: "alice",
  email: "Alice@Example.com",
  password: "Tr4il-9f8e7d-Kite",
  consent: { privacyPolicyVersion: "2026-11" },
});

describe("register (domain, AWS mocked)", () => {
  beforeEach(() => {
    ddb.reset();
    cognito.reset();
    ses.reset();
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    cognito.on(SignUpCommand).resolves({ UserConfirmed: false, UserSub: "sub" });
  });

  it("claims user, guards and code in one transaction with no plaintext PII", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "m" });
    const result = await register(input());
    expect(result).toMatchObject({
      status: "PENDING_VERIFICATION",
      verification: { channel: "EMAIL", destination: "a***@example.com", sent: true },
    });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(tx?.TransactItems).toHaveLength(4); // user, username guard, email guard, code
    expect(JSON.stringify(tx)).not.toMatch(/alice@example\.com/i);
    expect(tx?.TransactItems?.every((i) => i.Put?.ConditionExpression === "attribute_not_exists(PK)" || i.Put?.Item?.entity === "CODE")).toBe(
      true,
    );
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Destination?.ToAddresses).toEqual(["alice@example.com"]);
    expect(cognito.commandCalls(SignUpCommand)[0]?.args[0].input.Username).toBe(result.userId);
  });

  it("keeps the registration when the mail cannot be sent (the user can ask again)", async () => {
    ses.on(SendEmailCommand).rejects(new Error("SES throttled"));
    const result = await register(input());
    expect(result.status).toBe("PENDING_VERIFICATION");
    expect(result.verification.sent).toBe(false);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1); // nothing rolled back
  });

  it("releases the claim and answers 503 when Cognito fails", async () => {
    cognito.on(SignUpCommand).rejects(Object.assign(new Error("boom"), { name: "InternalErrorException" }));
    await expect(register(input())).rejects.toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    const release = calls[1]?.args[0].input.TransactItems ?? [];
    expect(release.every((i) => i.Delete)).toBe(true);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it("refuses an outdated consent version before touching anything", async () => {
    await expect(register({ ...input(), consent: { privacyPolicyVersion: "2025-01" } })).rejects.toMatchObject({
      status: 400,
      code: "CONSENT_OUTDATED",
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
