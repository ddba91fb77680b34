import type { RouteContract } from "#lib/http/contract/define";
import type { HeaderSpec } from "#lib/http/contract/headers";
import { jsonSchemaOf } from "#lib/http/contract/json-schema";
import { problemSchema } from "#lib/http/contract/problem";
import { type ResponseSpec, responsesOf } from "#lib/http/contract/responses";
import type { RouteSpec } from "#lib/http/route";

// Builds the OpenAPI 3.1 document from the route specs (what each route accepts) and their
// contracts (what it answers): the zod schemas are the source of truth for both.

const TAGS: Record<string, string> = {
  auth: "Registration, verification, sign-in and sessions",
  me: "The signed-in user",
  mfa: "Two-factor sign-in",
  documents: "Identity documents",
  credit: "Credit score",
  rewards: "Points and achievements",
  complaints: "Complaints and disputes",
  feedback: "General feedback",
  privacy: "Consent, data export and account deletion",
  admin: "Staff",
  incidents: "Incident response",
  analytics: "Figures",
  ops: "Health and this document",
  local: "Local stage only",
};

const operationId = (route: RouteSpec) => `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`;

function parametersOf(route: RouteSpec) {
  const parameters: unknown[] = [];
  for (const [where, schema] of [["query", route.query], ["path", route.params]] as const) {
    if (!schema) continue;
    const json = jsonSchemaOf(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: property });
    }
  }
  return parameters;
}

/** Headers are declared once (components.headers) and referenced by every response that sends them. */
type HeaderComponents = Record<string, unknown>;

function headerRef(header: HeaderSpec, components: HeaderComponents) {
  components[header.key] ??= { description: header.description, required: header.required, schema: jsonSchemaOf(header.schema, "output") };
  return { $ref: `#/components/headers/${header.key}` };
}

function responseOf(spec: ResponseSpec, components: HeaderComponents) {
  const headers = Object.fromEntries(Object.entries(spec.headers).map(([name, header]) => [name, headerRef(header, components)]));
  const schema = spec.body === problemSchema ? { $ref: "#/components/schemas/Problem" } : spec.body && jsonSchemaOf(spec.body, "output");
  return { description: spec.description, headers, ...(schema ? { content: { [spec.contentType]: { schema } } } : {}) };
}

/** Who may call the route and what limits it: the part of the contract a summary leaves out. */
function descriptionOf({ route, rateLimits = [] }: RouteContract): string {
  const who = route.auth === "public" ? "No token needed." : `Needs the \`${route.permission}\` permission${route.auth === "staff" ? " and a staff group" : ""}.`;
  const limits = rateLimits.length ? ` Counted against ${rateLimits.map((p) => `\`${p}\``).join(", ")} (see RateLimit-Policy).` : "";
  return `${who}${limits}${route.localOnly ? " Served on the local stage only (404 elsewhere)." : ""}`;
}

export function openApiDocument(contracts: readonly RouteContract[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const headers: HeaderComponents = {};
  for (const contract of contracts) {
    const { route } = contract;
    const parameters = parametersOf(route);
    const responses = Object.fromEntries(Object.entries(responsesOf(contract)).map(([status, spec]) => [status, responseOf(spec, headers)]));
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      summary: route.summary,
      description: descriptionOf(contract),
      tags: route.tags,
      operationId: operationId(route),
      // Public: the anonymous alternative (an empty requirement), in place of the bearer token.
      ...(route.auth === "public" ? { security: [{}] } : {}),
      ...(route.permission ? { "x-permission": route.permission } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } } } } : {}),
      responses,
    };
  }
  const usedTags = new Set(contracts.flatMap((c) => c.route.tags ?? []));
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "User management for sharing-economy platforms. Errors are RFC 9457 problem details. Every route is also throttled by API Gateway, which answers 429 `{ \"message\": \"Too Many Requests\" }` itself (no problem details, no Retry-After) when a route's bucket is empty.",
      contact: { name: "sharing-users maintainers", url: "https://docs.sharing-users.dev" },
    },
    servers: [{ url: "/", description: "The deployment serving this document (production, staging or the local stack)", "x-internal": false }],
    tags: Object.entries(TAGS).filter(([name]) => usedTags.has(name)).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A Cognito access token (a JWS), checked as RFC8725 advises: RS256 only, against the issuer's published keys, with its issuer, token_use, client_id and expiry verified; then it must be one we issued and have not revoked." },
      },
      schemas: { Problem: jsonSchemaOf(problemSchema, "output") },
      headers,
    },
  };
}
