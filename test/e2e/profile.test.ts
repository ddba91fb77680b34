import { describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { expectProblem } from "#test/steps/then";
import { call, when } from "#test/steps/when";

describe("profile and the API surface", () => {
  it("returns and updates the signed-in user's profile", async () => {
    const { user, tokens } = await given.aSignedInUser({ displayName: "Bo" });
    const me = await when.getMe(tokens.accessToken);
    expect(me.body).toMatchObject({
      userId: user.userId,
      displayName: "Bo",
      email: user.email,
      groups: [],
      credit: { score: 600, tier: "FAIR" },
      points: 0,
      identityStatus: "NONE",
      permissions: expect.arrayContaining(["profile:read", "profile:write"]),
    });
    expect(me.body.permissions).not.toContain("users:read");

    const patched = await when.patchMe(tokens.accessToken, {
      displayName: "Bo Li",
      gender: "UNDISCLOSED",
      birthDate: "1990-03-07",
      bio: "hi",
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ displayName: "Bo Li", profile: { gender: "UNDISCLOSED", birthDate: "1990-03-07", bio: "hi" } });
    expect((await when.getMe(tokens.accessToken)).body.displayName).toBe("Bo Li");
  });

  it("rejects bad profile input with field errors and allowed enum values", async () => {
    const { tokens } = await given.aSignedInUser();
    const badEnum = await when.patchMe(tokens.accessToken, { gender: "ROBOT" });
    expectProblem(badEnum, 400, "VALIDATION_FAILED");
    expect(badEnum.body.errors[0].path).toBe("body.gender");
    expect(badEnum.body.errors[0].message).toMatch(/FEMALE.*MALE.*OTHER.*UNDISCLOSED/);
    expectProblem(await when.patchMe(tokens.accessToken, { birthDate: "07/03/1990" }), 400, "VALIDATION_FAILED");
    expectProblem(await when.patchMe(tokens.accessToken, { status: "ACTIVE" }), 400, "VALIDATION_FAILED");
    expectProblem(await when.patchMe(tokens.accessToken, { avatarUrl: "javascript:alert(1)" }), 400, "VALIDATION_FAILED");
  });

  it("refuses text that reads as something else: control, direction-override and invisible characters; URLs with credentials", async () => {
    const { tokens } = await given.aSignedInUser();
    for (const displayName of ["Ada\u0000", "Ada\u202Egnp.exe", "Ad\u200Ba", "Ada\u2066x\u2069", "Ada\nLovelace"]) {
      expectProblem(await when.patchMe(tokens.accessToken, { displayName }), 400, "VALIDATION_FAILED");
    }
    expectProblem(await when.patchMe(tokens.accessToken, { bio: "fine\u202Eenif" }), 400, "VALIDATION_FAILED");
    expectProblem(await when.patchMe(tokens.accessToken, { avatarUrl: "https://cdn.example.com:pw@evil.example/a.png" }), 400, "VALIDATION_FAILED");
    expectProblem(await when.patchMe(tokens.accessToken, { avatarUrl: "https://user@evil.example/a.png" }), 400, "VALIDATION_FAILED");
    // Line breaks are fine in a bio, and so is text in any script.
    const ok = await when.patchMe(tokens.accessToken, { displayName: "王小明 Ada", bio: "第一行\nsecond line", avatarUrl: "https://cdn.example.com/a.png" });
    expect(ok.status, ok.text).toBe(200);
  });

  it("serves health with the security headers", async () => {
    const health = await call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["strict-transport-security"]).toContain("max-age");
    expect(health.headers["cache-control"]).toBe("no-store");
    // CORS: serverless-offline echoes any origin, so the allow-list is tested in test/integration/cors.test.ts.
  });

  it("publishes an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const register = res.body.paths["/auth/register"].post;
    expect(register.requestBody.content["application/json"].schema.properties).toHaveProperty("consent");
    expect(register.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(res.body.paths["/me"].get.security).toBeUndefined(); // needs the bearer token
    expect(res.body.paths["/auth/login"].post.security).toEqual([{}]); // public: the anonymous alternative
    // What it answers, with the headers every answer carries (each answer a test receives is checked against these: test/steps/contract.ts).
    expect(register.responses["201"].content["application/json"].schema.properties).toHaveProperty("verification");
    expect(register.responses["201"].headers).toHaveProperty("RateLimit");
    expect(register.responses["429"].headers).toHaveProperty("Retry-After");
  });
});
