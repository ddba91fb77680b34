// The password policy as pure functions: the server (lib/identity/rules.ts) and the web app's
// strength meter (web/src/ui/password-meter.ts) run the same rules, so the page never accepts what
// the server refuses. No Node built-ins here: this file is bundled for the browser too.

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordRule = "TOO_SHORT" | "TOO_LONG" | "COMMON" | "CONTAINS_USERNAME";

export const PASSWORD_RULE_MESSAGES: Record<PasswordRule, string> = {
  TOO_SHORT: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  TOO_LONG: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  COMMON: "Password is too common; choose one that is not on breach lists.",
  CONTAINS_USERNAME: "Password must not contain the username.",
};

/** The first rule the password breaks, in the server's order, or undefined. Length counts code points. */
export function brokenPasswordRule(password: string, username: string | undefined, isCommon: (lowercased: string) => boolean): PasswordRule | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "TOO_SHORT";
  if (length > PASSWORD_MAX_LENGTH) return "TOO_LONG";
  if (isCommon(password.toLowerCase())) return "COMMON";
  const name = username?.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) return "CONTAINS_USERNAME";
  return undefined;
}

/** The common-password list is sorted and front-coded: each line is the count of leading characters shared with the word before, then the rest. */
export function unpackFrontCoded(text: string): Set<string> {
  const words = new Set<string>();
  let previous = "";
  for (const line of text.split("\n")) {
    previous = previous.slice(0, Number(line[0])) + line.slice(1);
    words.add(previous);
  }
  return words;
}
