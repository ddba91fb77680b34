import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { object } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  201: object({
    /** Base32, for typing into an authenticator app. */
    secret: z.string().check(z.regex(/^[A-Z2-7]+=*$/), z.maxLength(64)),
    otpauthUri: z.string().check(z.regex(/^otpauth:\/\/totp\//), z.maxLength(1024)),
    /** An SVG data URL of the URI's QR code. */
    qrCode: z.string().check(z.regex(/^data:image\/svg\+xml;base64,/), z.maxLength(200_000)),
  }),
});
