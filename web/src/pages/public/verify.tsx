import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors, problemMessage } from "../../api/problem";
import { t, useLang } from "../../i18n";
import { Link } from "../../router";
import { useStore } from "../../store";
import { useCountdown } from "../../ui/countdown";
import { Field, Form, Notice } from "../../ui/form";
import { Layout } from "../../ui/layout";
import { pendingVerification } from "./pending";

/** The server's resend cooldown (codes.resendCooldownSeconds); a 429 with Retry-After corrects it. */
const RESEND_COOLDOWN_SECONDS = 60;
const CODE_FIELDS = { CODE_MISMATCH: "code", CODE_EXPIRED: "code", TOO_MANY_ATTEMPTS: "code" };

export function VerifyPage() {
  useLang();
  const pending = useStore(pendingVerification);
  const [login, setLogin] = useState(pending?.login ?? "");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [info, setInfo] = useState<string>();
  const [done, setDone] = useState(false);
  const [wait, startWait] = useCountdown();

  useEffect(() => {
    if (pending) startWait(RESEND_COOLDOWN_SECONDS); // the registration just sent a code
  }, []);

  const verify = async () => {
    setInfo(undefined);
    const { error, response } = await api.POST("/auth/verify", { body: { login: login.trim(), code: code.trim() } });
    if (error) return setErrors(formErrors(asProblem(error, response.status), CODE_FIELDS));
    setErrors(noErrors);
    pendingVerification.set(null);
    setDone(true);
  };

  const resend = async () => {
    const { error, response } = await api.POST("/auth/verify/resend", { body: { login: login.trim() } });
    if (error) {
      const problem = asProblem(error, response.status);
      if (problem.retryAfter) startWait(problem.retryAfter);
      return setErrors({ fields: {}, form: problemMessage(problem) });
    }
    setErrors(noErrors);
    setInfo(t("verify.resent"));
    startWait(RESEND_COOLDOWN_SECONDS);
  };

  if (done) {
    return (
      <Layout>
        <h1>{t("verify.title")}</h1>
        <Notice kind="success">{t("verify.done")}</Notice>
        <Link href="/login">{t("app.signIn")}</Link>
      </Layout>
    );
  }
  return (
    <Layout>
      <h1>{t("verify.title")}</h1>
      {pending?.destination && <p>{t("verify.sent", { destination: pending.destination })}</p>}
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      {info && <Notice kind="info">{info}</Notice>}
      <Form onSubmit={verify} label={t("verify.title")}>
        <Field label={t("verify.login")} name="login" value={login} onValue={setLogin} error={errors.fields.login} autoComplete="username" maxLength={254} />
        <Field label={t("verify.code")} name="code" value={code} onValue={setCode} error={errors.fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
        <button type="submit">{t("verify.submit")}</button>
      </Form>
      <p class="row">
        <button type="button" class="secondary" disabled={wait > 0 || !login.trim()} onClick={() => void resend()}>
          {t("verify.resend")}
        </button>
        {wait > 0 && <span role="timer">{t("verify.resendIn", { seconds: wait })}</span>}
      </p>
    </Layout>
  );
}
