/** The privacy policy version the register page asks consent to: the server's current one (test/integration/web-app.test.ts compares them). */
export const PRIVACY_POLICY_VERSION = "2026-11";
