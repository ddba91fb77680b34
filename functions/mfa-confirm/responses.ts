import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { list, object } from "#lib/http/contract/fields";
import { route } from "./route";

const recoveryCode = z.string().check(z.regex(/^[a-z2-9]{5}-[a-z2-9]{5}$/), z.maxLength(11));

// The ten recovery codes are shown this once.
export const contract = defineContract(route, { 200: object({ recoveryCodes: list(recoveryCode, 10) }) }, { rateLimits: ["mfa-confirm"] });
