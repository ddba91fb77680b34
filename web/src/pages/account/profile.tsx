import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { formatNumber, t, useLang } from "../../i18n";
import { Link } from "../../router";
import { Field, Form, Notice, Select, TextArea } from "../../ui/form";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad } from "./shared";

// /account: who the user is (username, contacts with their verified state, level, credit, points,
// identity) and the profile they may change (PATCH /me).

type Me = Ok<"/me", "get">;
type Gender = NonNullable<Me["profile"]["gender"]>;
const GENDERS: Gender[] = ["FEMALE", "MALE", "OTHER", "UNDISCLOSED"];

function Contact({ value, verified }: { value: string | null; verified: boolean }) {
  if (!value) return <>{t("account.profile.notGiven")}</>;
  return (
    <>
      {value} <span class="badge">{verified ? t("account.profile.verified") : t("account.profile.unverified")}</span>
    </>
  );
}

function Facts({ me }: { me: Me }) {
  return (
    <dl class="facts">
      <dt>{t("account.profile.username")}</dt>
      <dd>{me.username}</dd>
      <dt>{t("account.profile.email")}</dt>
      <dd>
        <Contact value={me.email} verified={me.emailVerified} />
      </dd>
      <dt>{t("account.profile.phone")}</dt>
      <dd>
        <Contact value={me.phone} verified={me.phoneVerified} />
      </dd>
      <dt>{t("account.profile.level")}</dt>
      <dd>{label("account.level", me.level)}</dd>
      <dt>{t("account.profile.credit")}</dt>
      <dd>
        <Link href="/account/credit">{t("account.profile.creditValue", { tier: label("account.tier", me.credit.tier), score: me.credit.score })}</Link>
      </dd>
      <dt>{t("account.profile.points")}</dt>
      <dd>
        <Link href="/account/rewards">{formatNumber(me.points)}</Link>
      </dd>
      <dt>{t("account.profile.identity")}</dt>
      <dd>
        <Link href="/account/documents">{label("account.identity", me.identityStatus)}</Link>
      </dd>
    </dl>
  );
}

function EditProfile({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const [displayName, setDisplayName] = useState(me.displayName);
  const [gender, setGender] = useState<string>(me.profile.gender ?? "");
  const [birthDate, setBirthDate] = useState(me.profile.birthDate ?? "");
  const [bio, setBio] = useState(me.profile.bio ?? "");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!displayName.trim()) {
      setErrors({ fields: { displayName: t("app.required") } });
      return focusFirstInvalid();
    }
    setBusy(true);
    const body = {
      displayName: displayName.trim(),
      ...(GENDERS.includes(gender as Gender) ? { gender: gender as Gender } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(bio !== (me.profile.bio ?? "") ? { bio } : {}),
    };
    const { data, error, response } = await api.PATCH("/me", { body });
    setBusy(false);
    if (error || !data) {
      const found = formErrors(asProblem(error, response.status));
      setErrors(found);
      if (found.form) return setResult(outcome("error", found.form));
      setResult(undefined);
      return focusFirstInvalid();
    }
    setErrors(noErrors);
    setResult(outcome("success", t("app.saved")));
    onSaved(data);
  };

  return (
    <>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.profile.edit")}>
        <Field label={t("account.profile.displayName")} name="displayName" value={displayName} onValue={setDisplayName} error={errors.fields.displayName} maxLength={64} autoComplete="nickname" required />
        <Select
          label={t("account.profile.gender")}
          name="gender"
          value={gender}
          onValue={setGender}
          error={errors.fields.gender}
          options={[...(me.profile.gender ? [] : [["", t("account.profile.notGiven")] as [string, string]]), ...GENDERS.map((g): [string, string] => [g, label("account.gender", g)])]}
        />
        <Field label={t("account.profile.birthDate")} name="birthDate" type="date" value={birthDate} onValue={setBirthDate} error={errors.fields.birthDate} hint={t("account.profile.birthDateHint")} autoComplete="bday" />
        <TextArea label={t("account.profile.bio")} name="bio" value={bio} onValue={setBio} error={errors.fields.bio} maxLength={500} />
        <button type="submit" disabled={busy}>
          {t("app.save")}
        </button>
      </Form>
    </>
  );
}

export function ProfilePage() {
  useLang();
  const me = useLoad(() => api.GET("/me"));
  return (
    <AccountLayout>
      <PageTitle title={t("account.profile.title")} />
      <Show state={me}>
        {(data) => (
          <>
            {data.consentRequired && (
              <Notice kind="info">
                {t("account.profile.consentRequired")} <Link href="/account/privacy">{t("account.nav.privacy")}</Link>
              </Notice>
            )}
            <Facts me={data} />
            <h2>{t("account.profile.edit")}</h2>
            <EditProfile me={data} onSaved={me.set} />
          </>
        )}
      </Show>
    </AccountLayout>
  );
}
