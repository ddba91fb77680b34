import type { ComponentType } from "preact";
import { lazy } from "preact/compat";
import { ForgotPasswordPage } from "./public/forgot";
import { LoginPage } from "./public/login";
import { PolicyPage } from "./public/policy";
import { RegisterPage } from "./public/register";
import { VerifyPage } from "./public/verify";

// The app's paths (their first segments are listed in ../paths.ts for the local front door).

export const publicRoutes: Record<string, ComponentType> = {
  "/login": LoginPage,
  "/register": RegisterPage,
  "/verify": VerifyPage,
  "/forgot-password": ForgotPasswordPage,
  "/privacy-policy": PolicyPage,
};

/** The signed-in pages: one chunk, loaded after sign-in. */
const account = (name: string) => lazy(() => import("./account/index").then((m) => ({ default: m.pages[name] as ComponentType })));

export const accountRoutes: Record<string, ComponentType> = {
  "/account": account("profile"),
  "/account/security": account("security"),
  "/account/activity": account("activity"),
  "/account/credit": account("credit"),
  "/account/documents": account("documents"),
  "/account/rewards": account("rewards"),
  "/account/complaints": account("complaints"),
  "/account/privacy": account("privacy"),
};
