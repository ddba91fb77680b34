import { useEffect, useState } from "preact/hooks";
import { brokenPasswordRule, type PasswordRule, unpackFrontCoded } from "../../../lib/identity/password-policy";
import { type MessageKey, t } from "../i18n";

// The strength meter runs the server's own rules (lib/identity/password-policy.ts) against the
// same breach list, fetched once when a password field first shows (it is not in the first page's
// JavaScript). Strength above "passes the rules" is length and variety, shown as a hint only.

let common: Promise<Set<string>> | undefined;
const commonPasswords = () =>
  (common ??= fetch("/common-passwords.txt")
    .then((r) => (r.ok ? r.text() : ""))
    .then((text) => unpackFrontCoded(text))
    .catch(() => new Set<string>()));

export function passwordScore(password: string, broken: PasswordRule | undefined): 0 | 1 | 2 | 3 | 4 {
  if (broken) return password.length === 0 ? 0 : 1;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const length = [...password].length;
  if (length >= 16 || (length >= 12 && classes >= 3)) return 4;
  if (length >= 12 || classes >= 3) return 3;
  return 2;
}

/** The first rule the password breaks (undefined while the list loads counts only the local rules). */
export function usePasswordCheck(password: string, username: string): PasswordRule | undefined {
  const [words, setWords] = useState<Set<string> | undefined>();
  useEffect(() => {
    void commonPasswords().then(setWords);
  }, []);
  if (!password) return undefined;
  return brokenPasswordRule(password, username || undefined, (p) => words?.has(p) ?? false);
}

const COLORS = ["#a4161a", "#a4161a", "#7a4b00", "#1d6b32", "#1d6b32"];

export function PasswordMeter({ password, broken }: { password: string; broken: PasswordRule | undefined }) {
  const score = passwordScore(password, broken);
  const level = t(`password.level.${score}` as MessageKey);
  return (
    <div class="password-meter" aria-live="polite">
      <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={4} aria-valuenow={score} aria-label={t("password.strength", { level })}>
        <span style={{ width: `${(score / 4) * 100}%`, background: COLORS[score] }} />
      </div>
      <div class="hint">
        {t("password.strength", { level })}
        {broken && password ? ` — ${t(`password.rule.${broken}` as MessageKey)}` : ""}
      </div>
    </div>
  );
}
