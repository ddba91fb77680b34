import { recordEvent, UnknownUserError } from "#lib/credit/ingest";
import { none, userMeasure } from "#lib/incidents/measure";

// FRAUD_RING: a VIOLATION behaviour event per user, as the credit model counts them. Its event id
// is derived from the incident and the user, so however often this step runs the violation counts
// once (the ingest refuses a known event id); the measure's record then says so.

export const violationEventId = (incidentId: string, userId: string) => `incident:${incidentId}:${userId}`;

export const recordViolations = userMeasure("record-violations", async (user, { incident }) => {
  if (!user) return none("NO_SUCH_USER");
  try {
    const recorded = await recordEvent({
      eventId: violationEventId(incident.incidentId, user.userId),
      userId: user.userId,
      type: "VIOLATION",
      occurredAt: incident.receivedAt,
      attributes: { severity: incident.severity, source: "incident", incidentId: incident.incidentId },
    });
    return none(recorded === "RECORDED" ? "RECORDED" : "ALREADY_RECORDED");
  } catch (error) {
    if (error instanceof UnknownUserError) return none("NO_SUCH_USER");
    throw error;
  }
});
