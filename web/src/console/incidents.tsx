import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t, useLang } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { Checkbox, Form, Select, TextArea } from "../ui/form";
import { IncidentDetail } from "./incident-detail";
import { UserLookup } from "./user-lookup";
import { Badge, incidentTone, type Input, Loading, More, Outcome, Refresh, Title, useAction, useLoad, When, word } from "./shared";

// Incidents (incidents:manage): the list, newest first; starting one (its runbook runs in the
// background); one incident, followed live, at /console/incidents?id=.

type Request = Input<"/admin/incidents", "post">;
type Type = Request["type"];
const TYPES = ["ACCOUNT_COMPROMISE", "FRAUD_RING", "CREDENTIAL_STUFFING", "DATA_BREACH"] as const satisfies readonly Type[];
const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const satisfies readonly Request["severity"][];
const CATEGORIES = ["EMAIL", "PHONE", "NAME", "PASSWORD", "IDENTITY_DOCUMENT", "LOGIN_HISTORY", "PROFILE", "PAYMENT_REFERENCE"] as const;
type Category = (typeof CATEGORIES)[number];

export default function Incidents() {
  useLang();
  const { query } = useLocation();
  const id = query.get("id");
  return id ? <IncidentDetail incidentId={id} /> : <List />;
}

function List() {
  const [cursor, setCursor] = useState<string>();
  const incidents = useLoad(() => api.GET("/admin/incidents", { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }), [cursor]);
  return (
    <>
      <Title text={t("console.incidents.title")} />
      <StartForm />
      <div class="row">
        <h2>{t("console.incidents.recent")}</h2>
        <Refresh onRefresh={incidents.reload} busy={incidents.loading} />
      </div>
      <Loading state={incidents}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("console.incidents.none")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption class="sr-only">{t("console.incidents.recent")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.incidents.received")}</th>
                    <th scope="col">{t("console.incidents.type")}</th>
                    <th scope="col">{t("console.incidents.severity")}</th>
                    <th scope="col">{t("console.status")}</th>
                    <th scope="col">{t("console.incidents.users")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((i) => (
                    <tr key={i.incidentId}>
                      <td>
                        <Link href={`/console/incidents?id=${i.incidentId}`}>
                          <When at={i.receivedAt} />
                        </Link>
                      </td>
                      <td>{word("incidentType", i.type)}</td>
                      <td>{word("severity", i.severity)}</td>
                      <td>
                        <Badge tone={incidentTone(i.status)}>{word("incidentStatus", i.status)}</Badge>
                      </td>
                      <td>{i.users ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More cursor={page.nextCursor} onMore={setCursor} busy={incidents.loading} />
            </>
          )
        }
      </Loading>
    </>
  );
}

function StartForm() {
  const [type, setType] = useState<Type>("ACCOUNT_COMPROMISE");
  const [severity, setSeverity] = useState<Request["severity"]>("HIGH");
  const [userIds, setUserIds] = useState("");
  const [sourceIps, setSourceIps] = useState("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [summary, setSummary] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const lines = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  const needsUsers = type === "ACCOUNT_COMPROMISE" || type === "FRAUD_RING" || type === "DATA_BREACH";

  const submit = async () => {
    const ids = lines(userIds);
    const missing: Record<string, string> = {};
    if (summary.trim().length < 3) missing.summary = t("console.reasonNeeded");
    if ((type === "ACCOUNT_COMPROMISE" || type === "FRAUD_RING" || type === "DATA_BREACH") && ids.length === 0) missing.userIds = t("console.incidents.usersNeeded");
    if (type === "DATA_BREACH" && categories.length === 0) missing.categories = t("console.incidents.categoriesNeeded");
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const details = { summary: summary.trim() };
    const body: Request =
      type === "CREDENTIAL_STUFFING"
        ? { type, severity, details: { ...details, ...(lines(sourceIps).length > 0 ? { sourceIps: lines(sourceIps) } : {}) } }
        : type === "DATA_BREACH"
          ? { type, severity, userIds: ids, details: { ...details, dataCategories: categories } }
          : { type, severity, userIds: ids, details };
    const data = await action.run(() => api.POST("/admin/incidents", { body }));
    if (data) navigate(`/console/incidents?id=${data.incidentId}`);
  };

  return (
    <section class="card" aria-labelledby="start">
      <h2 id="start">{t("console.incidents.start")}</h2>
      <Form onSubmit={submit} label={t("console.incidents.start")}>
        <Outcome problem={action.problem} />
        <Select label={t("console.incidents.type")} name="type" value={type} onValue={(v) => setType(v as Type)} options={TYPES.map((v): [string, string] => [v, word("incidentType", v)])} />
        <Select label={t("console.incidents.severity")} name="severity" value={severity} onValue={(v) => setSeverity(v as Request["severity"])} options={SEVERITIES.map((v): [string, string] => [v, word("severity", v)])} />
        {needsUsers && (
          <>
            <TextArea label={t("console.incidents.userIds")} name="userIds" value={userIds} onValue={setUserIds} rows={3} error={errors.userIds} />
            <UserLookup onFound={(id) => setUserIds((text) => [...new Set([...lines(text), id])].join("\n"))} />
          </>
        )}
        {type === "CREDENTIAL_STUFFING" && <TextArea label={t("console.incidents.sourceIps")} name="sourceIps" value={sourceIps} onValue={setSourceIps} rows={2} />}
        {type === "DATA_BREACH" && (
          <fieldset>
            <legend>{t("console.incidents.categories")}</legend>
            {CATEGORIES.map((c) => (
              <Checkbox key={c} name={`category-${c}`} label={word("dataCategory", c)} checked={categories.includes(c)} onChecked={(on) => setCategories((list) => (on ? [...list, c] : list.filter((x) => x !== c)))} />
            ))}
            {errors.categories && <div class="error">{errors.categories}</div>}
          </fieldset>
        )}
        <TextArea label={t("console.incidents.summary")} name="summary" value={summary} onValue={setSummary} maxLength={2000} rows={3} error={errors.summary} />
        <button type="submit" class="danger" disabled={action.busy}>
          {t("console.incidents.startButton")}
        </button>
      </Form>
    </section>
  );
}
