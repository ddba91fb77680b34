import { lookupHash, safeEqual } from "#lib/crypto/fields";
import { badRequest } from "#lib/errors";

// The one cursor codec. A cursor is opaque to clients and tamper-evident: the position (a
// DynamoDB key, or the last sort key of a merged listing) travels as base64url JSON with an HMAC
// that also covers the listing it belongs to. A cursor edited by hand, or taken from another
// listing (another user's activity, another status), is a 400 and never reaches DynamoDB.

export type Position = Record<string, string | number>;

const invalid = () => badRequest("INVALID_CURSOR", "The cursor is not valid for this listing.");

const sign = (listing: string, payload: string) => lookupHash("CURSOR", `${listing}\u0000${payload}`);

/** `listing` names the listing and its owner, e.g. `activity:<userId>`; the cursor is bound to it. */
export async function encodeCursor(listing: string, position: Position): Promise<string> {
  const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
  return `${payload}.${await sign(listing, payload)}`;
}

/** The position a cursor of this listing holds, undefined without a cursor, 400 for anything else. */
export async function decodeCursor(listing: string, cursor: string | undefined): Promise<Position | undefined> {
  if (cursor === undefined) return undefined;
  const [payload, mac, ...rest] = cursor.split(".");
  if (!payload || !mac || rest.length > 0 || !safeEqual(mac, await sign(listing, payload))) throw invalid();
  try {
    const position: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const valid =
      position !== null &&
      typeof position === "object" &&
      !Array.isArray(position) &&
      Object.values(position).every((v) => typeof v === "string" || typeof v === "number");
    if (valid) return position as Position;
  } catch {
    // falls through to the 400
  }
  throw invalid();
}

/** The cursor of a page: the position after its last item, or null when it was the last page. */
export const nextCursor = async (listing: string, position: Position | undefined) => (position ? encodeCursor(listing, position) : null);
