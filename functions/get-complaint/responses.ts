import * as z from "zod/mini";
import { complainantView, respondentView, staffView } from "#lib/http/contract/complaints";
import { defineContract } from "#lib/http/contract/define";
import { route } from "./route";

// As the complainant, the respondent or staff see it.
export const contract = defineContract(route, { 200: z.union([complainantView, respondentView, staffView]) });
