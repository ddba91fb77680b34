/** What the domain knows about the caller's connection (the HTTP layer fills it in, without API Gateway types leaking). */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  requestId: string;
}
