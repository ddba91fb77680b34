import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { register } from "#lib/identity/registration";
import { cognitoError, mockAwsFetch } from "#test/unit/support/fetch";

const ddb = mockClient(DynamoDBDocumentClient);
let aws: ReturnType<typeof mockAwsFetch>;

const input = () => ({
  username: "alice",
  email: "Alice@Example.com",
  password: "Tr4il-9f8e7d-Kite",
  consent: { privacyPolicyVersion: "2026-11" },
});

describe("register (domain, AWS mocked)", () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    aws = mockAwsFetch({ SignUp: { body: { UserConfirmed: false, UserSub: "sub" } } });
  });
  afterEach(() => aws.restore());

  it("claims user, guards, code and the code's message in one transaction with no plaintext PII", async () => {
    const result = await register(input());
    expect(result).toEqual({ userId: expect.any(String), status: "PENDING_VERIFICATION", verification: { channel: "EMAIL", destination: "a***@example.com" } });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    const items = tx?.TransactItems?.map((i) => i.Put?.Item?.entity);
    expect(items).toEqual(["USER", "GUARD", "GUARD", "CODE", "OUTBOX"]);
    expect(JSON.stringify(tx)).not.toMatch(/alice@example\.com/i);
    const outbox = tx?.TransactItems?.[4]?.Put?.Item;
    expect(outbox).toMatchObject({ template: "VERIFICATION_CODE", channel: "EMAIL", status: "PENDING", userId: result.userId });
    expect(outbox?.notAfter).toBeGreaterThan(Date.now());
    expect(JSON.stringify(outbox)).not.toMatch(/\b\d{6}\b/); // the code is only inside the encrypted payload
    expect(aws.calls("SignUp")[0]?.json()).toMatchObject({ Username: result.userId, Password: input().password });
  });

  it("sends nothing itself: no mail or SMS provider is called on the request path", async () => {
    await register(input());
    expect(aws.seen.map((r) => r.action)).toEqual(["SignUp"]);
  });

  it("takes an existing Cognito user of its own fresh id as the earlier try of this registration", async () => {
    aws.restore();
    aws = mockAwsFetch({ SignUp: cognitoError("UsernameExistsException") });
    await expect(register(input())).resolves.toMatchObject({ status: "PENDING_VERIFICATION" });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("releases the claim, the code and its message and answers 503 when Cognito fails", async () => {
    aws.restore();
    aws = mockAwsFetch({ SignUp: cognitoError("InternalErrorException", 500) });
    await expect(register(input())).rejects.toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    const claimed = calls[0]?.args[0].input.TransactItems?.map((i) => `${i.Put?.Item?.PK}|${i.Put?.Item?.SK}`);
    const released = calls[1]?.args[0].input.TransactItems?.map((i) => `${i.Delete?.Key?.PK}|${i.Delete?.Key?.SK}`);
    expect(released?.sort()).toEqual(claimed?.sort());
  });

  it("refuses an outdated consent version before touching anything", async () => {
    await expect(register({ ...input(), consent: { privacyPolicyVersion: "2025-01" } })).rejects.toMatchObject({
      status: 400,
      code: "CONSENT_OUTDATED",
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(aws.seen).toHaveLength(0);
  });
});
