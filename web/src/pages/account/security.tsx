import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { t, useLang } from "../../i18n";
import { Link, useLocation } from "../../router";
import { useSession } from "../../session";
import { Checkbox, Field, Form, Notice } from "../../ui/form";
import { PasswordMeter, usePasswordCheck } from "../../ui/password-meter";
import { AccountLayout, Announce, focusFirstInvalid, type Ok, type Outcome, outcome, PageTitle, Show, useLoad } from "./shared";

// /account/security: two-factor sign-in (enrol with an authenticator app, recovery codes shown
// once, turn off) and the password. Staff without two-factor sign-in are sent here first
// (?required=1, pages/sign-in.ts).

type Enrolment = Ok<"/me/mfa/totp", "post", 201>;
const CODE_FIELDS = { CODE_MISMATCH: "code", TOO_MANY_ATTEMPTS: "code", CURRENT_PASSWORD_INCORRECT: "password" };

/** What a failed call means for its form: errors beside fields (focused), or a message above. */
function failed(problemOf: { error?: unknown; response: Response }, setErrors: (e: FormErrors) => void, setResult: (o: Outcome | undefined) => void, codeFields: Record<string, string> = CODE_FIELDS) {
  const found = formErrors(asProblem(problemOf.error, problemOf.response.status), codeFields);
  setErrors(found);
  if (found.form) return setResult(outcome("error", found.form));
  setResult(undefined);
  focusFirstInvalid();
}

function Enrol({ onDone }: { onDone: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    const res = await api.POST("/me/mfa/totp");
    setBusy(false);
    if (!res.data) return failed(res, setErrors, setResult);
    setEnrolment(res.data);
    setResult(outcome("info", t("account.mfa.scan")));
  };

  const confirm = async () => {
    if (!/^\d{6}$/.test(code.trim())) {
      setErrors({ fields: { code: t("account.mfa.codeFormat") } });
      return focusFirstInvalid();
    }
    setBusy(true);
    const res = await api.POST("/me/mfa/totp/confirm", { body: { code: code.trim() } });
    setBusy(false);
    if (!res.data) return failed(res, setErrors, setResult);
    setErrors(noErrors);
    setRecoveryCodes(res.data.recoveryCodes);
    setResult(outcome("success", t("account.mfa.enabled")));
  };

  if (recoveryCodes) {
    return (
      <>
        <Announce result={result} />
        <p>{t("account.mfa.recoveryOnce")}</p>
        <ol class="codes" aria-label={t("account.mfa.recoveryCodes")}>
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <button type="button" onClick={onDone}>
          {t("account.mfa.savedCodes")}
        </button>
      </>
    );
  }
  if (!enrolment) {
    return (
      <>
        <Announce result={result} />
        <p>{t("account.mfa.off")}</p>
        <button type="button" onClick={() => void start()} disabled={busy}>
          {t("account.mfa.start")}
        </button>
      </>
    );
  }
  return (
    <>
      <Announce result={result} />
      <img class="qr" src={enrolment.qrCode} alt={t("account.mfa.qrAlt")} width={200} height={200} />
      <p>
        {t("account.mfa.secret")} <code class="secret">{enrolment.secret}</code>
      </p>
      <Form onSubmit={confirm} label={t("account.mfa.confirm")}>
        <Field label={t("account.mfa.code")} name="code" value={code} onValue={setCode} error={errors.fields.code} hint={t("account.mfa.codeHint")} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
        <button type="submit" disabled={busy}>
          {t("account.mfa.confirm")}
        </button>
      </Form>
    </>
  );
}

function TurnOff({ codesLeft, onDone }: { codesLeft: number; onDone: () => void }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const fields = { ...(password ? {} : { password: t("app.required") }), ...(code.trim() ? {} : { code: t("app.required") }) };
    setErrors({ fields });
    if (Object.keys(fields).length) return focusFirstInvalid();
    setBusy(true);
    const res = await api.DELETE("/me/mfa", { body: { password, code: code.trim() } });
    setBusy(false);
    if (!res.response.ok) return failed(res, setErrors, setResult);
    onDone();
  };
  return (
    <>
      <p>{t("account.mfa.on", { count: codesLeft })}</p>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.mfa.turnOff")}>
        <Field label={t("account.mfa.password")} name="password" type="password" value={password} onValue={setPassword} error={errors.fields.password} autoComplete="current-password" maxLength={128} />
        <Field label={t("account.mfa.codeOrRecovery")} name="code" value={code} onValue={setCode} error={errors.fields.code} autoComplete="one-time-code" maxLength={16} />
        <button type="submit" class="danger" disabled={busy}>
          {t("account.mfa.turnOff")}
        </button>
      </Form>
    </>
  );
}

function ChangePassword() {
  const username = useSession()?.username ?? "";
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [others, setOthers] = useState(true);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const broken = usePasswordCheck(next, username);
  const submit = async () => {
    const fields = {
      ...(current ? {} : { currentPassword: t("app.required") }),
      ...(broken || !next ? { newPassword: t(`password.rule.${broken ?? "TOO_SHORT"}`) } : {}),
    };
    setErrors({ fields });
    if (Object.keys(fields).length) return focusFirstInvalid();
    setBusy(true);
    const res = await api.POST("/me/password", { body: { currentPassword: current, newPassword: next, signOutOtherDevices: others } });
    setBusy(false);
    if (!res.response.ok) return failed(res, setErrors, setResult, { CURRENT_PASSWORD_INCORRECT: "currentPassword" });
    setCurrent("");
    setNext("");
    setResult(outcome("success", t("account.password.changed")));
  };
  return (
    <>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.password.title")}>
        <Field label={t("account.password.current")} name="currentPassword" type="password" value={current} onValue={setCurrent} error={errors.fields.currentPassword} autoComplete="current-password" maxLength={128} />
        <Field label={t("account.password.new")} name="newPassword" type="password" value={next} onValue={setNext} error={errors.fields.newPassword} hint={next ? <PasswordMeter password={next} broken={broken} /> : undefined} autoComplete="new-password" maxLength={128} />
        <Checkbox name="signOutOtherDevices" checked={others} onChecked={setOthers} label={t("account.password.signOutOthers")} />
        <button type="submit" disabled={busy}>
          {t("account.password.submit")}
        </button>
      </Form>
    </>
  );
}

export function SecurityPage() {
  useLang();
  const { query } = useLocation();
  const me = useLoad(() => api.GET("/me"));
  const required = query.get("required") === "1";
  const [turnedOff, setTurnedOff] = useState<Outcome>();
  const offDone = () => {
    setTurnedOff(outcome("success", t("account.mfa.turnedOff")));
    me.reload();
  };
  return (
    <AccountLayout>
      <PageTitle title={t("account.security.title")} />
      {required && me.data && !me.data.mfa.enabled && <Notice kind="info">{t("account.security.staffMustEnrol")}</Notice>}
      <h2>{t("account.mfa.title")}</h2>
      <Announce result={turnedOff} />
      <Show state={me}>
        {(data) =>
          data.mfa.enabled ? (
            <>
              <TurnOff codesLeft={data.mfa.recoveryCodesLeft} onDone={offDone} />
              {required && (
                <p>
                  <Link href="/account">{t("account.security.continue")}</Link>
                </p>
              )}
            </>
          ) : (
            <Enrol
              onDone={() => {
                setTurnedOff(undefined);
                me.reload();
              }}
            />
          )
        }
      </Show>
      <h2>{t("account.password.title")}</h2>
      <ChangePassword />
    </AccountLayout>
  );
}
