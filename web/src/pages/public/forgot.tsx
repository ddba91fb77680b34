import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { t, useLang } from "../../i18n";
import { Link } from "../../router";
import { Field, Form, Notice } from "../../ui/form";
import { Layout } from "../../ui/layout";
import { PasswordMeter, usePasswordCheck } from "../../ui/password-meter";

const CODE_FIELDS = { CODE_MISMATCH: "code", CODE_EXPIRED: "code", TOO_MANY_ATTEMPTS: "code" };

/** Forgotten password: ask for a code, then set a new password with it (both on one page). */
export function ForgotPasswordPage() {
  useLang();
  const [login, setLogin] = useState("");
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [done, setDone] = useState(false);
  const broken = usePasswordCheck(newPassword, "");

  const requestCode = async () => {
    if (!login.trim()) return setErrors({ fields: { login: t("app.required") } });
    const { error, response } = await api.POST("/auth/password/forgot", { body: { login: login.trim() } });
    if (error) return setErrors(formErrors(asProblem(error, response.status)));
    setErrors(noErrors);
    setSent(true);
  };

  const reset = async () => {
    if (broken || !newPassword) return setErrors({ fields: { newPassword: t(`password.rule.${broken ?? "TOO_SHORT"}`) } });
    const { error, response } = await api.POST("/auth/password/reset", { body: { login: login.trim(), code: code.trim(), newPassword } });
    if (error) return setErrors(formErrors(asProblem(error, response.status), CODE_FIELDS));
    setErrors(noErrors);
    setDone(true);
  };

  return (
    <Layout>
      <h1>{t("forgot.title")}</h1>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      {done ? (
        <>
          <Notice kind="success">{t("reset.done")}</Notice>
          <Link href="/login">{t("app.signIn")}</Link>
        </>
      ) : !sent ? (
        <Form onSubmit={requestCode} label={t("forgot.title")}>
          <Field label={t("forgot.login")} name="login" value={login} onValue={setLogin} error={errors.fields.login} autoComplete="username" maxLength={254} />
          <button type="submit">{t("forgot.submit")}</button>
        </Form>
      ) : (
        <>
          <Notice kind="info">{t("forgot.sent")}</Notice>
          <Form onSubmit={reset} label={t("reset.submit")}>
            <Field label={t("reset.code")} name="code" value={code} onValue={setCode} error={errors.fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            <Field label={t("reset.newPassword")} name="newPassword" type="password" value={newPassword} onValue={setNewPassword} error={errors.fields.newPassword} hint={<PasswordMeter password={newPassword} broken={broken} />} autoComplete="new-password" maxLength={128} />
            <button type="submit">{t("reset.submit")}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}
