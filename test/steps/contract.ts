import type * as z from "zod/mini";
import { config as configureZod } from "zod/mini";
import en from "zod/v4/locales/en.js";
import type { RouteContract } from "#lib/http/contract/define";
import { type ResponseSpec, responsesOf } from "#lib/http/contract/responses";
import { contracts } from "../../functions/openapi/routes";

// Every answer of the API a test receives is checked against the contract the OpenAPI document
// publishes (lib/http/contract/): its route (method and path template), its status, its body and
// the headers declared for it. A response the contract does not describe is a failure, so nothing
// the API sends goes undeclared.

// Messages that say what is wrong (zod/mini ships without them).
configureZod(en());

interface KnownRoute {
  contract: RouteContract;
  pattern: RegExp;
  responses: Record<number, ResponseSpec>;
}

const known: KnownRoute[] = contracts.map((contract) => ({
  contract,
  pattern: new RegExp(`^${contract.route.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  responses: responsesOf(contract),
}));

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

type Issue = z.core.$ZodIssue;

/** Each issue as `where.path: message`; a union that matched no variant shows the closest variant's issues. */
function describe(issues: readonly Issue[], where: string[]): string[] {
  return issues.flatMap((issue) => {
    const at = [...where, ...issue.path.map(String)];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      return describe(closest, at).map((line) => `${line} (closest of ${issue.errors.length} variants)`);
    }
    return [`${at.join(".")}: ${issue.message}${issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : ""}`];
  });
}

const issuesOf = (schema: z.ZodMiniType, value: unknown, where: string) => {
  const result = schema.safeParse(value);
  return result.success ? [] : describe(result.error.issues, [where]);
};

/** What in an answer of `method path` (no query) differs from the contract; empty when it conforms. */
export function contractProblems(method: string, path: string, answer: Answer): string[] {
  const route = known.find((r) => r.contract.route.method === method && r.pattern.test(path));
  if (!route) return [`no route of the API is ${method} ${path}`];
  const spec = route.responses[answer.status];
  if (!spec) return [`status ${answer.status} is not declared for ${method} ${route.contract.route.path} (declared: ${Object.keys(route.responses).join(", ")})`];
  const problems: string[] = [];
  for (const [name, header] of Object.entries(spec.headers)) {
    const value = answer.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${name} is missing`);
    } else problems.push(...issuesOf(header.schema, Array.isArray(value) ? value.join(", ") : value, `header ${name}`));
  }
  if (spec.body === null) {
    if (answer.text !== "") problems.push(`a body was sent, none is declared: ${answer.text.slice(0, 200)}`);
    return problems;
  }
  const type = String(answer.headers["content-type"] ?? "").split(";")[0];
  if (type !== spec.contentType) problems.push(`content-type is ${type || "missing"}, declared ${spec.contentType}`);
  return [...problems, ...issuesOf(spec.body, answer.body, "body")];
}

/** Throws, saying what differs, when an answer of the API does not conform to the contract. */
export function assertConforms(method: string, path: string, answer: Answer): void {
  const problems = contractProblems(method, path, answer);
  if (problems.length === 0) return;
  const body = answer.text.length > 600 ? `${answer.text.slice(0, 600)}…` : answer.text;
  throw new Error(`${method} ${path} answered ${answer.status}, which its contract (GET /openapi.json) does not describe:\n  ${problems.join("\n  ")}\n  body: ${body}`);
}
