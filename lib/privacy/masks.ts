// How PII is shown to people who may not see it in full: enough to tell records apart, not enough
// to identify anyone. The one definition of each mask, used by every response and mail.

/** `a***@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

/** `138****1234` for Chinese mobiles, `+44******1234` elsewhere. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.startsWith("86") && digits.length === 13) {
    const national = digits.slice(2);
    return `${national.slice(0, 3)}****${national.slice(-4)}`;
  }
  if (digits.length < 8) return "****";
  return `+${digits.slice(0, 2)}${"*".repeat(digits.length - 6)}${digits.slice(-4)}`;
}

/** `1101**********1234` */
export function maskDocumentNumber(value: string): string {
  if (value.length <= 8) return "*".repeat(value.length);
  return `${value.slice(0, 4)}${"*".repeat(value.length - 8)}${value.slice(-4)}`;
}

/** A name in Chinese characters (with the middle dot of transliterated names); other names are masked per word. */
export const CJK_NAME = /^[\p{Script=Han}]{2,20}(?:[·•][\p{Script=Han}]{1,20})*$/u;

/** `张*`, `J*** D**` */
export function maskName(fullName: string): string {
  const name = fullName.trim();
  if (CJK_NAME.test(name)) return `${[...name][0]}${"*".repeat([...name].length - 1)}`;
  return name
    .split(/\s+/)
    .map((word) => `${[...word][0] ?? ""}${"*".repeat(Math.max(0, [...word].length - 1))}`)
    .join(" ");
}
