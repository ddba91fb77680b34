import { expect } from "vitest";
import { call } from "#test/steps/when";

// Complaints through HTTP, for the e2e and clock tests: filing, staff transitions, reading.

export const complaintBody = (overrides: Record<string, unknown> = {}) => ({
  category: "SERVICE",
  channel: "APP",
  subject: "The bike was not at the pick-up point",
  description: "I walked to the station at 9:00 and the reserved bike was not there.",
  ...overrides,
});

export interface Filed {
  complaintId: string;
  ticketNo: string;
  status: string;
  priority: string;
}

export async function fileComplaint(token: string, overrides: Record<string, unknown> = {}): Promise<Filed> {
  const res = await call("POST", "/complaints", { token, body: complaintBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res.body as Filed;
}

/** POST …/transition with a note (every staff action carries one). */
export const transition = (token: string, complaintId: string, body: Record<string, unknown>) =>
  call("POST", `/admin/complaints/${complaintId}/transition`, { token, body: { note: "Handled per the complaints policy", ...body } });

export async function transitioned(token: string, complaintId: string, body: Record<string, unknown>) {
  const res = await transition(token, complaintId, body);
  expect(res.status, `${String(body.action)}: ${res.text}`).toBe(200);
  return res.body as { status: string; priority: string; version: number; creditEvent?: { eventId: string; result: string } };
}

export const readComplaint = (token: string, complaintId: string) => call("GET", `/complaints/${complaintId}`, { token });

/** Takes a complaint (not a dispute) from RECEIVED to RESOLUTION_APPROVED: `proposer` proposes, `approver` approves (four eyes). */
export async function approvedResolution(proposer: string, approver: string, complaintId: string, outcome = "UPHELD") {
  await transitioned(proposer, complaintId, { action: "CLASSIFY", category: "SERVICE", priority: "NORMAL" });
  await transitioned(proposer, complaintId, { action: "START_INVESTIGATION" });
  await transitioned(proposer, complaintId, { action: "PROPOSE_RESOLUTION", resolution: "We refund the booking fee.", outcome });
  await transitioned(approver, complaintId, { action: "APPROVE_RESOLUTION" });
}

export const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
