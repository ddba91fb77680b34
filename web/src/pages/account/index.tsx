import type { ComponentType } from "preact";
import { ActivityPage } from "./activity";
import { ComplaintsPage } from "./complaints";
import { CreditPage } from "./credit";
import { DocumentsPage } from "./documents";
import { PrivacyPage } from "./privacy";
import { ProfilePage } from "./profile";
import { RewardsPage } from "./rewards";
import { SecurityPage } from "./security";
import "./account.css";

// The signed-in pages (one chunk, loaded after sign-in). Each entry is a page of /account/*
// (../routes.ts maps the paths).

export const pages: Record<string, ComponentType> = {
  profile: ProfilePage,
  security: SecurityPage,
  activity: ActivityPage,
  credit: CreditPage,
  documents: DocumentsPage,
  rewards: RewardsPage,
  complaints: ComplaintsPage,
  privacy: PrivacyPage,
};
