import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/complaints/{complaintId}",
  summary: "A complaint with its timeline, as its complainant, its respondent (without the complainant's identity) or staff see it",
  tags: ["complaints"],
  auth: "user",
  permission: "complaints:file",
  params: z.strictObject({ complaintId: z.uuid() }),
  responses: {
    200: "The complaint and its timeline [{ seq, at, kind, by, action?, status?, body? }]; staff also get notes, actor ids and legalActions",
    404: "No such complaint, or the caller is neither a party nor staff",
  },
});
