import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors, problemMessage } from "../../api/problem";
import { formatDate, t, useLang } from "../../i18n";
import { Link, navigate } from "../../router";
import { signOut } from "../../session";
import { Checkbox, Field, Form, Notice } from "../../ui/form";
import { PRIVACY_POLICY_VERSION } from "../../privacy-policy";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad } from "./shared";

// /account/privacy: the consent given (and giving it to the current policy), a download of
// everything held about the user, and deleting the account.

type Me = Ok<"/me", "get">;

function Consent({ me, onDone }: { me: Me; onDone: () => void }) {
  const [accept, setAccept] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!accept) {
      setErrors({ fields: { consent: t("register.needConsent") } });
      return focusFirstInvalid();
    }
    setBusy(true);
    const { error, response } = await api.POST("/me/consent", { body: { privacyPolicyVersion: PRIVACY_POLICY_VERSION, channel: "WEB" } });
    setBusy(false);
    if (!response.ok) {
      setErrors(noErrors);
      return setResult(outcome("error", problemMessage(asProblem(error, response.status))));
    }
    setErrors(noErrors);
    setAccept(false);
    setResult(outcome("success", t("account.privacy.consentSaved", { version: PRIVACY_POLICY_VERSION })));
    onDone();
  };
  const { consent } = me;
  return (
    <>
      <p>
        {t("account.privacy.consentGiven", { version: consent.privacyPolicyVersion, at: formatDate(consent.at), channel: consent.channel ? label("account.privacy.channel", consent.channel) : "—" })}
      </p>
      {me.consentRequired && <Notice kind="error">{t("account.privacy.consentRequired", { version: PRIVACY_POLICY_VERSION })}</Notice>}
      <p>
        <Link href="/privacy-policy">{t("register.readPolicy")}</Link>
      </p>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.privacy.consent")}>
        <Checkbox name="consent" checked={accept} onChecked={setAccept} error={errors.fields.consent} label={t("register.consent", { version: PRIVACY_POLICY_VERSION })} />
        <button type="submit" disabled={busy}>
          {t("account.privacy.consentSubmit")}
        </button>
      </Form>
    </>
  );
}

function Export() {
  const [file, setFile] = useState<{ url: string; name: string }>();
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(
    () => () => {
      if (file) URL.revokeObjectURL(file.url);
    },
    [file],
  );
  useEffect(() => {
    if (file) link.current?.click();
  }, [file]);
  const download = async () => {
    setBusy(true);
    const { data, error, response } = await api.GET("/me/data-export");
    setBusy(false);
    if (!data) return setResult(outcome("error", problemMessage(asProblem(error, response.status))));
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    setFile({ url: URL.createObjectURL(blob), name: `my-data-${new Date().toISOString().slice(0, 10)}.json` });
    setResult(outcome("success", t("account.privacy.exportReady")));
  };
  return (
    <>
      <p>{t("account.privacy.exportHint")}</p>
      <Announce result={result} />
      {file && (
        <p>
          <a ref={link} href={file.url} download={file.name}>
            {t("account.privacy.exportLink", { name: file.name })}
          </a>
        </p>
      )}
      <button type="button" class="secondary" onClick={() => void download()} disabled={busy}>
        {t("account.privacy.export")}
      </button>
    </>
  );
}

function DeleteAccount() {
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const fields = { ...(password ? {} : { password: t("app.required") }), ...(sure ? {} : { confirm: t("account.privacy.confirmNeeded") }) };
    setErrors({ fields });
    if (Object.keys(fields).length) return focusFirstInvalid();
    setBusy(true);
    const { error, response } = await api.DELETE("/me", { body: { password } });
    setBusy(false);
    if (!response.ok) {
      const found = formErrors(asProblem(error, response.status), { CURRENT_PASSWORD_INCORRECT: "password" });
      setErrors(found);
      setResult(found.form ? outcome("error", found.form) : undefined);
      if (!found.form) focusFirstInvalid();
      return;
    }
    // Every session has ended on the server: leave, and the sign-in page says the account is deleted.
    navigate("/login", { replace: true });
    signOut("DELETED");
  };
  return (
    <>
      <p>{t("account.privacy.deleteHint")}</p>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.privacy.delete")}>
        <Field label={t("account.privacy.password")} name="password" type="password" value={password} onValue={setPassword} error={errors.fields.password} autoComplete="current-password" maxLength={128} />
        <Checkbox name="confirm" checked={sure} onChecked={setSure} error={errors.fields.confirm} label={t("account.privacy.confirm")} />
        <button type="submit" class="danger" disabled={busy}>
          {t("account.privacy.delete")}
        </button>
      </Form>
    </>
  );
}

export function PrivacyPage() {
  useLang();
  const me = useLoad(() => api.GET("/me"));
  return (
    <AccountLayout>
      <PageTitle title={t("account.privacy.title")} />
      <h2>{t("account.privacy.consent")}</h2>
      <Show state={me}>{(data) => <Consent me={data} onDone={me.reload} />}</Show>
      <h2>{t("account.privacy.exportTitle")}</h2>
      <Export />
      <h2>{t("account.privacy.delete")}</h2>
      <DeleteAccount />
    </AccountLayout>
  );
}
