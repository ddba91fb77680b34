import type * as z from "zod/mini";
import type { Permission } from "#lib/auth/permissions";

/**
 * What a route is: its method and path, who may call it, and the shapes it accepts. The handler
 * wrapper enforces it and the OpenAPI document is generated from it, so the two cannot drift.
 */
export interface RouteSpec {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary: string;
  tags?: string[];
  /** public: no token; user: any signed-in user; staff: a member of a staff group. */
  auth: "public" | "user" | "staff";
  /** Also required (deny by default): the caller must hold it. */
  permission?: Permission;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  params?: z.ZodMiniType;
  responses: Record<number, string>;
  /** Only served on the local stage. */
  localOnly?: boolean;
}

export const defineRoute = <const S extends RouteSpec>(spec: S): S => spec;
