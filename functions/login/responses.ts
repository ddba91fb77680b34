import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { mfaChallenge, tokens } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: z.union([tokens, mfaChallenge]) }, { rateLimits: ["sign-in"] });
