import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminGetDeletion } from "../admin-get-deletion/responses";
import { contract as adminResumeDeletion } from "../admin-resume-deletion/responses";
import { contract as deleteAccount } from "../delete-account/responses";
import { contract as exportData } from "../export-data/responses";
import { contract as recordConsent } from "../record-consent/responses";

// Routes of privacy and data rights (functions/privacy.yml).
export const privacyContracts: RouteContract[] = [recordConsent, exportData, deleteAccount, adminGetDeletion, adminResumeDeletion];
