import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { t, useLang } from "../../i18n";
import { Link, useLocation } from "../../router";
import { lastSignOut, type Tokens } from "../../session";
import { useStore } from "../../store";
import { useCountdown } from "../../ui/countdown";
import { Field, Form, Notice } from "../../ui/form";
import { Layout } from "../../ui/layout";
import { completeSignIn } from "../sign-in";

const MFA_FIELDS = { CODE_MISMATCH: "code", CHALLENGE_EXPIRED: "code", TOO_MANY_ATTEMPTS: "code" };

export function LoginPage() {
  useLang();
  const { query } = useLocation();
  const ended = useStore(lastSignOut);
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<string>();
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [unverified, setUnverified] = useState(false);
  const [busy, setBusy] = useState(false);
  const [locked, lockFor] = useCountdown();

  // The code step replaces the password form: its field takes the focus (autofocus only works on load).
  useEffect(() => {
    if (challenge) document.querySelector<HTMLInputElement>('main input[name="code"]')?.focus();
  }, [challenge]);

  const signInWith = async (tokens: Tokens) => completeSignIn(tokens, query.get("next"));

  const submit = async () => {
    if (!login.trim() || !password) {
      return setErrors({ fields: { ...(login.trim() ? {} : { login: t("app.required") }), ...(password ? {} : { password: t("app.required") }) } });
    }
    setBusy(true);
    setUnverified(false);
    const { data, error, response } = await api.POST("/auth/login", { body: { login: login.trim(), password } });
    setBusy(false);
    if (error) {
      const problem = asProblem(error, response.status);
      if (problem.code === "LOCKED_OUT") lockFor(problem.retryAfter ?? Number(response.headers.get("retry-after") ?? 60));
      if (problem.code === "ACCOUNT_NOT_VERIFIED") setUnverified(true);
      return setErrors(problem.code === "LOCKED_OUT" ? noErrors : formErrors(problem));
    }
    setErrors(noErrors);
    if ("mfaRequired" in data) return setChallenge(data.challengeId);
    await signInWith(data);
  };

  const submitCode = async () => {
    if (!challenge) return;
    setBusy(true);
    const { data, error, response } = await api.POST("/auth/login/mfa", { body: { challengeId: challenge, code: code.trim() } });
    setBusy(false);
    if (error) {
      const problem = asProblem(error, response.status);
      if (problem.code === "LOCKED_OUT") lockFor(problem.retryAfter ?? 60);
      if (problem.code === "TOO_MANY_ATTEMPTS" || problem.code === "CHALLENGE_EXPIRED") setChallenge(undefined);
      return setErrors(formErrors(problem, MFA_FIELDS));
    }
    await signInWith(data);
  };

  return (
    <Layout>
      <h1>{challenge ? t("login.mfaTitle") : t("login.title")}</h1>
      {ended && <Notice kind="info">{t(`app.signedOut.${ended}`)}</Notice>}
      {locked > 0 && (
        <Notice kind="error">
          <span role="timer">{t("login.lockedWait", { seconds: locked })}</span>
        </Notice>
      )}
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      {unverified && (
        <p>
          {t("login.unverified")} <Link href="/verify">{t("login.verifyNow")}</Link>
        </p>
      )}
      {challenge ? (
        <Form onSubmit={submitCode} label={t("login.mfaTitle")}>
          <Field label={t("login.mfaCode")} name="code" value={code} onValue={setCode} error={errors.fields.code} hint={t("login.mfaHint")} autoComplete="one-time-code" maxLength={16} />
          <button type="submit" disabled={busy || locked > 0}>
            {t("login.mfaSubmit")}
          </button>
        </Form>
      ) : (
        <Form onSubmit={submit} label={t("login.title")}>
          <Field label={t("login.login")} name="login" value={login} onValue={setLogin} error={errors.fields.login} autoComplete="username" maxLength={254} />
          <Field label={t("login.password")} name="password" type="password" value={password} onValue={setPassword} error={errors.fields.password} autoComplete="current-password" maxLength={1024} />
          <button type="submit" disabled={busy || locked > 0}>
            {t("login.submit")}
          </button>
        </Form>
      )}
      <p>
        <Link href="/forgot-password">{t("login.forgot")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link href="/register">{t("app.register")}</Link>
      </p>
    </Layout>
  );
}
