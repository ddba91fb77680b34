import * as z from "zod/mini";
import type { RouteSpec } from "#lib/http/route";

const problem = {
  type: "object",
  required: ["type", "title", "status", "code", "requestId"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", description: "Stable UPPER_SNAKE error code" },
    errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
    requestId: { type: "string" },
  },
};

const schemaOf = (schema: z.ZodMiniType, io: "input" | "output" = "input") => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return json;
};

/** Builds the OpenAPI 3.1 document from the route specs (their zod schemas are the source of truth). */
export function openApiDocument(routes: RouteSpec[], info: { title: string; version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["query", route.query],
      ["path", route.params],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: property });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(route.responses)) {
      const isError = Number(status) >= 400;
      responses[status] = {
        description,
        ...(isError ? { content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } } : {}),
      };
    }
    if (route.body) responses["415"] = { description: "Body is not application/json" };
    if (route.auth !== "public") {
      responses["401"] ??= { description: "Missing, invalid, expired or revoked token" };
      responses["403"] ??= { description: "Not allowed" };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      ...(route.auth === "public" ? { security: [] } : {}),
      ...(route.permission ? { "x-permission": route.permission } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Cognito access token" } },
      schemas: { Problem: problem },
    },
  };
}
