// What we tell users, in one place: each template names its parameters, and only the sender
// renders them (the outbox stores the name and the encrypted parameters). No PII beyond what the
// message is about (a code, the time, a reason).

export interface Message {
  subject: string;
  text: string;
}

export const templates = {
  VERIFICATION_CODE: (p: { code: string }): Message => ({
    subject: "Your verification code",
    text: `Your verification code is ${p.code}. It expires in 10 minutes. If you did not sign up, ignore this message.`,
  }),
  RESET_CODE: (p: { code: string }): Message => ({
    subject: "Your password reset code",
    text: `Your password reset code is ${p.code}. It expires in 10 minutes. If you did not ask for it, you can ignore this message; your password is unchanged.`,
  }),
  // Only fields we derived: browser and OS families and a masked network, never the raw User-Agent
  // (an attacker writes it) nor the full address.
  NEW_DEVICE_LOGIN: (p: { at: string; browser: string; os: string; network: string }): Message => ({
    subject: "New sign-in to your account",
    text: `Your account was signed in at ${p.at} from ${p.browser} on ${p.os}, network ${p.network}, which it had not been signed in from before. If this was not you, reset your password now.`,
  }),
  PASSWORD_CHANGED: (p: { at: string }): Message => ({
    subject: "Your password was changed",
    text: `Your password was changed at ${p.at}. If this was not you, reset your password now and contact support.`,
  }),
  DOCUMENT_APPROVED: (_p: Record<string, never>): Message => ({
    subject: "Your identity is verified",
    text: "Your identity document was approved. Thank you for verifying your identity.",
  }),
  DOCUMENT_REJECTED: (p: { reason: string }): Message => ({
    subject: "Your identity document was not approved",
    text: `Your identity document was not approved: ${p.reason}. You can submit a new one in the app.`,
  }),
  LEVEL_CHANGED: (p: { from: string; to: string; reason: string }): Message => ({
    subject: `Your level is now ${p.to}`,
    text: `Your account level changed from ${p.from} to ${p.to}: ${p.reason}. Your level decides what you can do on the platform; see the app for details.`,
  }),
  ACCOUNT_SUSPENDED: (p: { reason: string }): Message => ({
    subject: "Your account is suspended",
    text: `Your account was suspended and every session signed out: ${p.reason}. Contact support if you think this is a mistake.`,
  }),
  ACCOUNT_REACTIVATED: (p: { reason: string }): Message => ({
    subject: "Your account is active again",
    text: `Your account was reactivated: ${p.reason}. Sign in again to continue.`,
  }),
  ADMIN_APPLICATION_DECIDED: (p: { decision: "APPROVED" | "REJECTED"; reason: string }): Message => ({
    subject: p.decision === "APPROVED" ? "Your admin application was approved" : "Your admin application was not approved",
    text:
      p.decision === "APPROVED"
        ? `Your application to become an admin was approved: ${p.reason}. Your admin powers apply from your next request.`
        : `Your application to become an admin was not approved: ${p.reason}.`,
  }),
} as const;

export type TemplateName = keyof typeof templates;
export type ParamsOf<T extends TemplateName> = Parameters<(typeof templates)[T]>[0];

export const isTemplate = (name: string): name is TemplateName => Object.hasOwn(templates, name);

/** The message of a stored template name and parameters (the sender's side). */
export function render(name: string, params: Record<string, string>): Message {
  if (!isTemplate(name)) throw new Error(`unknown template ${name}`);
  return (templates[name] as (p: Record<string, string>) => Message)(params);
}
