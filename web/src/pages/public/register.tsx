import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { t, useLang } from "../../i18n";
import { Link, navigate } from "../../router";
import { Checkbox, Field, Form, Notice } from "../../ui/form";
import { Layout } from "../../ui/layout";
import { PasswordMeter, usePasswordCheck } from "../../ui/password-meter";
import { pendingVerification } from "./pending";
import { PRIVACY_POLICY_VERSION } from "../../privacy-policy";

// The same patterns as the server's schemas (lib/identity/rules.ts): the page says what the server would.
const USERNAME = /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function RegisterPage() {
  useLang();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [password, setPassword] = useState("");
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const broken = usePasswordCheck(password, username);

  const check = (): FormErrors => {
    const fields: Record<string, string> = {};
    if (!USERNAME.test(username.trim())) fields.username = t("register.badUsername");
    if (!email.trim() && !phone.trim()) fields.email = t("register.needContact");
    if (email.trim() && !EMAIL.test(email.trim())) fields.email = t("register.badEmail");
    if (phone.trim() && !E164.test(phone.trim())) fields.phone = t("register.badPhone");
    if (broken || !password) fields.password = t(`password.rule.${broken ?? "TOO_SHORT"}`);
    if (!consent) fields.consent = t("register.needConsent");
    return { fields };
  };

  const submit = async () => {
    const local = check();
    setErrors(local);
    if (Object.keys(local.fields).length > 0) return;
    setBusy(true);
    const { data, error, response } = await api.POST("/auth/register", {
      body: {
        username: username.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        password,
        consent: { privacyPolicyVersion: PRIVACY_POLICY_VERSION, channel: "WEB" },
      },
    });
    setBusy(false);
    if (error || !data) return setErrors(formErrors(asProblem(error, response.status)));
    const verification = (data as { verification?: { destination?: string } }).verification;
    pendingVerification.set({ login: email.trim() || phone.trim() || username.trim(), destination: verification?.destination ?? "" });
    navigate("/verify");
  };

  return (
    <Layout>
      <h1>{t("register.title")}</h1>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <Form onSubmit={submit} label={t("register.title")}>
        <Field label={t("register.username")} name="username" value={username} onValue={setUsername} error={errors.fields.username} hint={t("register.usernameHint")} autoComplete="username" maxLength={32} required />
        <Field label={t("register.email")} name="email" type="email" value={email} onValue={setEmail} error={errors.fields.email} autoComplete="email" maxLength={254} />
        <Field label={t("register.phone")} name="phone" type="tel" value={phone} onValue={setPhone} error={errors.fields.phone} hint={t("register.phoneHint")} autoComplete="tel" maxLength={16} />
        <Field label={t("register.password")} name="password" type="password" value={password} onValue={setPassword} error={errors.fields.password} hint={<PasswordMeter password={password} broken={broken} />} autoComplete="new-password" maxLength={128} required />
        <Checkbox name="consent" checked={consent} onChecked={setConsent} error={errors.fields.consent} label={t("register.consent", { version: PRIVACY_POLICY_VERSION })} />
        <p>
          <Link href="/privacy-policy">{t("register.readPolicy")}</Link>
        </p>
        <button type="submit" disabled={busy}>
          {t("register.submit")}
        </button>
      </Form>
    </Layout>
  );
}
