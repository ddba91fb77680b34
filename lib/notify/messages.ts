// What we tell users, in one place. Codes and links are the only variable parts; no other PII.
export interface Message {
  subject: string;
  text: string;
}

export const messages = {
  verificationCode: (code: string): Message => ({
    subject: "Your verification code",
    text: `Your verification code is ${code}. It expires in 10 minutes. If you did not sign up, ignore this message.`,
  }),
  resetCode: (code: string): Message => ({
    subject: "Your password reset code",
    text: `Your password reset code is ${code}. It expires in 10 minutes. If you did not ask for it, you can ignore this message; your password is unchanged.`,
  }),
  newDeviceLogin: (at: string, ip: string, userAgent: string): Message => ({
    subject: "New sign-in to your account",
    text: `Your account was signed in from a new device at ${at} (IP ${ip}, ${userAgent}). If this was not you, reset your password now.`,
  }),
  passwordChanged: (at: string): Message => ({
    subject: "Your password was changed",
    text: `Your password was changed at ${at}. If this was not you, reset your password now and contact support.`,
  }),
};
