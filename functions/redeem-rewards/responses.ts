import { defineContract } from "#lib/http/contract/define";
import { count, object } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 201: object({ balance: count }) }, { successHeaders: ["Idempotent-Replayed"] });
