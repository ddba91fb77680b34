import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { route } from "./route";

// The document itself: its shape is the OpenAPI 3.1 specification's, not repeated here.
export const contract = defineContract(route, { 200: z.looseObject({ openapi: z.literal("3.1.0") }) });
