import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/me/mfa/totp",
  summary: "Start two-factor enrolment: a new TOTP secret, its otpauth:// URI and a QR code (not active until confirmed)",
  tags: ["me", "mfa"],
  auth: "user",
  permission: "account:security",
  responses: { 201: "{ secret, otpauthUri, qrCode (SVG data URL) }", 409: "MFA_ALREADY_ENABLED" },
});
