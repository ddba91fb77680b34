import { targetUser } from "#lib/admin/target";
import { mySubmissions } from "#lib/documents/mine";

/**
 * GET /admin/users/{userId}/documents: the user's submissions with their status and decision, as
 * the user sees them at GET /me/documents. No name, number or image (those are the review
 * routes', masked and audited there), so no audit.
 */
export async function documentsForStaff(userId: string) {
  await targetUser(userId);
  return mySubmissions(userId);
}
