import { defineContract } from "#lib/http/contract/define";
import { submissionList } from "#lib/http/contract/documents";
import { route } from "./route";

export const contract = defineContract(route, { 200: submissionList });
