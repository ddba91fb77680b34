// The values of a complaint's enumerated fields (shared/API.md), in a module of their own without
// the DynamoDB client, so route schemas (and the OpenAPI function) can import them.

export const CATEGORIES = ["PRODUCT", "SERVICE", "LOGISTICS", "PAYMENT", "SAFETY", "OTHER"] as const;
export const CHANNELS = ["APP", "WEB", "PHONE", "EMAIL", "SOCIAL"] as const;
export const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
export const OUTCOMES = ["UPHELD", "PARTIALLY_UPHELD", "NOT_UPHELD"] as const;
export const STATUSES = [
  "RECEIVED",
  "CLASSIFIED",
  "MEDIATION",
  "INVESTIGATING",
  "RESOLUTION_PROPOSED",
  "RESOLUTION_APPROVED",
  "RESOLVED",
  "CLOSED",
  "REJECTED",
] as const;

export type Category = (typeof CATEGORIES)[number];
export type Channel = (typeof CHANNELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type ComplaintStatus = (typeof STATUSES)[number];
