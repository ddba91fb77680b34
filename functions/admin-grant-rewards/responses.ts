import { defineContract } from "#lib/http/contract/define";
import { grant } from "#lib/http/contract/rewards";
import { route } from "./route";

export const contract = defineContract(route, { 201: grant }, { successHeaders: ["Idempotent-Replayed"] });
