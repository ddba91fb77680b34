import * as z from "zod/mini";

// Building blocks of the response schemas: every string bounded, every number with its range, so
// the published contract says what a client may receive (and the OWASP lint finds no unbounded
// field). Only the OpenAPI document and the tests import the contract: never a handler.

export const text = (max: number) => z.string().check(z.maxLength(max));
export const uuid = z.uuid();
/** An opaque id (user ids are UUIDs, but staff may look up older or foreign ids). */
export const id = text(128);
/** An instant as written by Date#toISOString (UTC). */
export const timestamp = z.iso.datetime().check(z.maxLength(30));
export const date = z.iso.date();
export const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
export const count = int(0, 2_147_483_647);
export const bool = z.boolean();
export const list = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);
export const optional = z.optional;
export const nullable = z.nullable;
export const object = z.strictObject;
/** A map whose keys are names (a level, a tier, a step). */
export const mapOf = <T extends z.ZodMiniType>(value: T) => z.record(text(64), value);
/** A page of a listing: `nextCursor` is null on the last page. */
export const page = <T extends z.ZodMiniType>(item: T) => object({ items: list(item, 100), nextCursor: nullable(text(2048)) });
