import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, nextCursor, type Position } from "#lib/data/cursor";
import { AppError } from "#lib/errors";

const LISTING = "activity:u1";

/** Signs a payload the way a cursor is signed (HMAC-SHA256 under the data key), computed here independently. */
const signed = (listing: string, payload: string) => {
  const { hmac } = JSON.parse(process.env.LOCAL_KEYS ?? "{}") as { hmac: string };
  const mac = createHmac("sha256", Buffer.from(hmac, "base64")).update(`CURSOR\u0000${listing}\u0000${payload}`).digest("base64url");
  return `${payload}.${mac}`;
};
const b64 = (text: string) => Buffer.from(text).toString("base64url");
const invalid = { status: 400, code: "INVALID_CURSOR" };

describe("the cursor codec", () => {
  it("gives back the position it was made from", async () => {
    const position = { PK: "USER#u1", SK: "ACTIVITY#2026-11-20T12:00:00.000Z#a1", n: 42 };
    await expect(decodeCursor(LISTING, await encodeCursor(LISTING, position))).resolves.toEqual(position);
  });

  it("makes an opaque cursor: no key in clear text", async () => {
    const cursor = await encodeCursor(LISTING, { PK: "USER#u1", SK: "PROFILE" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(cursor).not.toContain("USER#u1");
  });

  it("reads no cursor as the first page", async () => {
    await expect(decodeCursor(LISTING, undefined)).resolves.toBeUndefined();
  });

  it("makes a cursor for a page with a next position and none for the last page", async () => {
    const cursor = await nextCursor(LISTING, { after: "x" });
    await expect(decodeCursor(LISTING, cursor ?? "")).resolves.toEqual({ after: "x" });
    await expect(nextCursor(LISTING, undefined)).resolves.toBeNull();
  });

  it("is bound to its listing: another user's or another listing's cursor is a 400", async () => {
    const cursor = await encodeCursor(LISTING, { PK: "USER#u1", SK: "S" });
    await expect(decodeCursor("activity:u2", cursor)).rejects.toMatchObject(invalid);
    await expect(decodeCursor("documents:u1", cursor)).rejects.toMatchObject(invalid);
  });

  it("refuses a payload edited under the original MAC", async () => {
    const [, mac] = (await encodeCursor(LISTING, { PK: "USER#u1", SK: "S" })).split(".");
    await expect(decodeCursor(LISTING, `${b64(JSON.stringify({ PK: "USER#u2", SK: "S" }))}.${mac}`)).rejects.toMatchObject(invalid);
  });

  it("refuses an edited MAC", async () => {
    const cursor = await encodeCursor(LISTING, { PK: "USER#u1", SK: "S" });
    const last = cursor.at(-1) === "A" ? "B" : "A";
    await expect(decodeCursor(LISTING, `${cursor.slice(0, -1)}${last}`)).rejects.toMatchObject(invalid);
    await expect(decodeCursor(LISTING, cursor.slice(0, -1))).rejects.toMatchObject(invalid);
  });

  it.each([
    ["an extra part", (c: string) => `${c}.x`],
    ["an empty extra part", (c: string) => `${c}.`],
    ["a leading dot", (c: string) => `.${c}`],
    ["no MAC", (c: string) => c.split(".")[0] ?? ""],
    ["no payload", (c: string) => `.${c.split(".")[1]}`],
    ["the empty string", () => ""],
  ])("refuses a cursor with %s", async (_name, mangle) => {
    const cursor = await encodeCursor(LISTING, { PK: "USER#u1", SK: "S" });
    await expect(decodeCursor(LISTING, mangle(cursor))).rejects.toMatchObject(invalid);
  });

  it("accepts a correctly signed object payload (the control for the refusals below)", async () => {
    await expect(decodeCursor(LISTING, signed(LISTING, b64('{"PK":"p","n":1}')))).resolves.toEqual({ PK: "p", n: 1 });
  });

  it.each(["null", "[]", '["a"]', "42", '"text"', "true", '{"PK":{"S":"p"}}', '{"PK":true}', '{"PK":null}', '{"PK":["p"]}', "{not json", ""])(
    "refuses a correctly signed payload that is not a position: %s",
    async (json) => {
      await expect(decodeCursor(LISTING, signed(LISTING, b64(json)))).rejects.toMatchObject(invalid);
    },
  );
});

describe("the cursor codec, for any input (fast-check)", () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }));
  const number = fc.oneof(
    fc.integer(),
    // JSON has no -0, NaN or ±Infinity: those are not positions DynamoDB can hand back either.
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  );
  const position: fc.Arbitrary<Position> = fc.dictionary(text, fc.oneof(text, number), { noNullPrototype: true, maxKeys: 8 });
  const listing = fc.oneof(fc.constant(LISTING), text);

  it("decodes every encoded position to an equal position", async () => {
    await fc.assert(
      fc.asyncProperty(listing, position, async (name, p) => {
        expect(await decodeCursor(name, await encodeCursor(name, p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("answers 400 for every string that is not an encoding made for this listing", async () => {
    const valid = await encodeCursor(LISTING, { PK: "USER#u1", SK: "ACTIVITY#1" });
    const base64urlish = fc.string({ unit: fc.constantFrom(..."ABCxyz019-_.=+/ ") });
    const mutated = fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })).map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    // Either a string as it comes, or a position to encode for another listing.
    const candidates = fc.oneof(
      text.map((raw) => ({ raw })),
      base64urlish.map((raw) => ({ raw })),
      mutated.map((raw) => ({ raw })),
      position.map((p) => ({ raw: `${b64(JSON.stringify(p))}.${valid.split(".")[1]}` })),
      fc.record({ listing: text.filter((l) => l !== LISTING), position }),
    );

    await fc.assert(
      fc.asyncProperty(candidates, async (candidate) => {
        const cursor = "raw" in candidate ? candidate.raw : await encodeCursor(candidate.listing, candidate.position);
        fc.pre(cursor !== valid);
        const error = await decodeCursor(LISTING, cursor).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject(invalid);
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
