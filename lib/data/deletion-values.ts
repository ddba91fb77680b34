// The steps of an account deletion, in a module of their own without the DynamoDB client, so the
// OpenAPI function can import them (lib/data/deletion.ts is the entity itself).

/** The steps of a deletion, in the order they run (lib/privacy/deletion-steps.ts carries them out). */
export const DELETION_STEPS = ["credentials", "document-guards", "document-images", "complaints", "feedback", "admin-applications", "partition", "account"] as const;
export type DeletionStep = (typeof DELETION_STEPS)[number];
