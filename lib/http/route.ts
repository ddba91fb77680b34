import type * as z from "zod/mini";
import type { Permission } from "#lib/auth/permissions";

/**
 * What a route is: its method and path, who may call it, and the shapes it accepts. The handler
 * wrapper enforces it and the OpenAPI document is generated from it, so the two cannot drift.
 */
interface RouteBase {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary: string;
  tags?: string[];
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  params?: z.ZodMiniType;
  responses: Record<number, string>;
  /** Only served on the local stage. */
  localOnly?: boolean;
}

/**
 * public: no token. user: any signed-in user holding `permission`. staff: a member of a staff
 * group holding `permission`. Every non-public route names the permission it needs (deny by
 * default); the type makes forgetting it a compile error.
 */
export type RouteSpec = RouteBase & ({ auth: "public"; permission?: undefined } | { auth: "user" | "staff"; permission: Permission });

export const defineRoute = <const S extends RouteSpec>(spec: S): S => spec;
