import * as z from "zod/mini";

// zod → JSON Schema (2020-12, which OpenAPI 3.1 uses), completed with what the zod types imply
// but do not write: an integer's width (int32 or int64, from its bounds) and the length of a
// string whose format fixes it.

const INT32 = 2 ** 31;
/** The longest string of each fixed-length format zod checks. */
const FORMAT_LENGTH: Record<string, number> = { uuid: 36, date: 10, ipv4: 15, ipv6: 45 };

function complete(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(complete);
  if (!node || typeof node !== "object") return node;
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, complete(v)])) as Record<string, unknown>;
  if (schema.type === "integer" && schema.format === undefined) {
    const inInt32 = typeof schema.minimum === "number" && typeof schema.maximum === "number" && schema.minimum >= -INT32 && schema.maximum < INT32;
    schema.format = inInt32 ? "int32" : "int64";
  }
  const implied = typeof schema.format === "string" ? FORMAT_LENGTH[schema.format] : undefined;
  if (schema.type === "string" && implied !== undefined) schema.maxLength ??= implied;
  return schema;
}

export function jsonSchemaOf(schema: z.ZodMiniType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return complete(json) as Record<string, unknown>;
}
