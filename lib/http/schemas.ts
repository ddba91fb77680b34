import { z } from "zod";
import { E164_PATTERN, USERNAME_PATTERN } from "#lib/identity/rules";

// Field schemas shared by several routes.
export const username = z.string().regex(USERNAME_PATTERN, "3–32 characters: letters, digits, _ . - ; starting with a letter.");
export const email = z.email("Not a valid e-mail address.").max(254);
export const phone = z.string().regex(E164_PATTERN, "Use the international E.164 format, e.g. +8613812341234.");
export const password = z.string().min(1, "Required.").max(1024);
export const login = z.string().trim().min(1, "Required.").max(254);
export const code = z.string().regex(/^\d{6}$/, "The code has 6 digits.");
export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const tokens = z.object({
  accessToken: z.string(),
  idToken: z.string(),
  refreshToken: z.string().optional(),
  expiresIn: z.number(),
  tokenType: z.literal("Bearer"),
});
