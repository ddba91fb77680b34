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
  MFA_ENABLED: (p: { at: string }): Message => ({
    subject: "Two-factor sign-in is on",
    text: `Two-factor sign-in was turned on for your account at ${p.at}. Keep your recovery codes somewhere safe. If this was not you, reset your password and contact support now.`,
  }),
  MFA_DISABLED: (p: { at: string }): Message => ({
    subject: "Two-factor sign-in is off",
    text: `Two-factor sign-in was turned off for your account at ${p.at}. If this was not you, reset your password and contact support now.`,
  }),
  MFA_RECOVERY_CODE_USED: (p: { at: string; left: string }): Message => ({
    subject: "A recovery code was used to sign in",
    text: `One of your recovery codes was used to sign in at ${p.at}; ${p.left} are left. If this was not you, reset your password and contact support now.`,
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
  // Rewards: only the balance changes a user did not make themselves (staff grants, expiry).
  REWARD_POINTS_GRANTED: (p: { points: string; change: "ADDED" | "DEDUCTED"; reason: string }): Message => ({
    subject: p.change === "ADDED" ? `${p.points} points were added to your balance` : `${p.points} points were deducted from your balance`,
    text:
      p.change === "ADDED"
        ? `Our team added ${p.points} points to your rewards balance: ${p.reason}. See your points in the app.`
        : `Our team deducted ${p.points} points from your rewards balance: ${p.reason}. See your points in the app; contact support if you think this is a mistake.`,
  }),
  REWARD_POINTS_EXPIRED: (p: { points: string; balance: string }): Message => ({
    subject: `${p.points} of your points expired`,
    text: `${p.points} points expired today: points expire at the end of the month, a year after the month they were earned in (the oldest go first). Your balance is now ${p.balance} points.`,
  }),
  // Complaints: the ticket number names the case; a mail to one party never names or describes
  // the other (no contact details, no identity), and message texts stay in the app.
  COMPLAINT_RECEIVED: (p: { ticketNo: string; firstResponseHours: string; resolutionDays: string }): Message => ({
    subject: `We received your complaint ${p.ticketNo}`,
    text: `Your complaint was received as ${p.ticketNo}. Our team will respond within ${p.firstResponseHours} hours and aims to resolve it within ${p.resolutionDays} days. Quote ${p.ticketNo} whenever you contact us; you can follow it in the app.`,
  }),
  COMPLAINT_STATUS: (p: { ticketNo: string; status: string; detail: string }): Message => {
    const words = ({ CLASSIFIED: "being handled", MEDIATION: "in mediation", INVESTIGATING: "under investigation", RESOLVED: "resolved", CLOSED: "closed", REJECTED: "not accepted" } as Record<string, string>)[p.status] ?? p.status.toLowerCase();
    return { subject: `Your complaint ${p.ticketNo}: ${words}`, text: `Your complaint ${p.ticketNo} is ${words}.${p.detail ? ` ${p.detail}` : ""} You can follow it in the app.` };
  },
  COMPLAINT_MEDIATION: (p: { ticketNo: string; category: string }): Message => ({
    subject: `Your answer is needed on complaint ${p.ticketNo}`,
    text: `A complaint (${p.category.toLowerCase()}) about a transaction you took part in is in mediation as ${p.ticketNo}. Please give your side in the app; our team decides after hearing both parties.`,
  }),
  COMPLAINT_MESSAGE: (p: { ticketNo: string }): Message => ({
    subject: `New message on complaint ${p.ticketNo}`,
    text: `There is a new message on complaint ${p.ticketNo}. Read it and reply in the app.`,
  }),
  COMPLAINT_DECIDED: (p: { ticketNo: string; outcome: string }): Message => {
    const words = ({ UPHELD: "upheld", PARTIALLY_UPHELD: "partly upheld", NOT_UPHELD: "not upheld", REJECTED: "rejected" } as Record<string, string>)[p.outcome] ?? p.outcome.toLowerCase();
    return { subject: `Complaint ${p.ticketNo} was decided`, text: `The complaint ${p.ticketNo} in which you are named was ${words}. The decision is in the app.` };
  },
  // Incident response (lib/incidents/): what happened, what we did, what the user should do.
  ACCOUNT_SECURED: (p: { at: string }): Message => ({
    subject: "We secured your account",
    text: `On ${p.at} we saw signs that someone else may have used your account. To protect you we suspended it, signed out every session and froze your reward points while we investigate. What to do: we will tell you when the account is active again; then set a new password with "Forgot password" before you sign in, and change it anywhere else you used it. We never ask for your password.`,
  }),
  DATA_BREACH_NOTICE: (p: { detectedAt: string; categories: string; passwordReset: "REQUIRED" | "NOT_REQUIRED" }): Message => ({
    subject: "Important: a security incident involving your data",
    text:
      `On ${p.detectedAt} we found a security incident in which some of your data may have been exposed: ${p.categories}. We contained it, are investigating it and are informing the supervisory authority as the law requires.` +
      (p.passwordReset === "REQUIRED" ? ` Your password must be reset: every session was signed out, and you will be asked to set a new password with "Forgot password" before you sign in again.` : "") +
      ` What you can do: be wary of messages asking for your details or a code (we never ask for your password), and change the password of other services where you used the same one. Questions: contact our data protection officer through support in the app.`,
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
