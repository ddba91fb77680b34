import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { formatDate, t, useLang } from "../../i18n";
import { Link, navigate, useLocation } from "../../router";
import { Field, Form, Select, TextArea } from "../../ui/form";
import { ComplaintDetail } from "./complaint";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad, usePages } from "./shared";

// /account/complaints: the complaints the user filed and filing a new one; ?id= opens one
// (./complaint.tsx).

type Mine = Ok<"/me/complaints", "get">;
type Summary = Mine["items"][number];
type Category = Summary["category"];

const CATEGORIES: Category[] = ["PRODUCT", "SERVICE", "LOGISTICS", "PAYMENT", "SAFETY", "OTHER"];
const ORDER_REF = /^[A-Za-z0-9._:#/-]{1,64}$/;

function ComplaintList({ first }: { first: Mine }) {
  const { items, footer } = usePages<Summary>(first, (cursor) => api.GET("/me/complaints", { params: { query: { limit: 20, cursor } } }));
  if (items.length === 0) return <p>{t("account.complaints.none")}</p>;
  return (
    <>
      <table>
        <caption class="sr-only">{t("account.complaints.mine")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account.complaints.ticket")}</th>
            <th scope="col">{t("account.complaints.subject")}</th>
            <th scope="col">{t("account.complaints.status")}</th>
            <th scope="col">{t("account.complaints.updatedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.complaintId}>
              <td>
                <Link href={`/account/complaints?id=${encodeURIComponent(c.complaintId)}`}>{c.ticketNo}</Link>
              </td>
              <td>{c.subject}</td>
              <td>
                <span class="badge">{label("account.complaints.state", c.status)}</span>
              </td>
              <td>{formatDate(c.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </>
  );
}

function FileComplaint() {
  const [category, setCategory] = useState<Category>("SERVICE");
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [orderRef, setOrderRef] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const fields: Record<string, string> = {};
    if (!subject.trim()) fields.subject = t("app.required");
    if (!description.trim()) fields.description = t("app.required");
    if (orderRef.trim() && !ORDER_REF.test(orderRef.trim())) fields.orderRef = t("account.complaints.orderRefFormat");
    if (Object.keys(fields).length) {
      setErrors({ fields });
      return focusFirstInvalid();
    }
    setBusy(true);
    const { data, error, response } = await api.POST("/complaints", {
      body: { category, channel: "WEB", subject: subject.trim(), description: description.trim(), ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}) },
    });
    setBusy(false);
    if (!data) {
      const found = formErrors(asProblem(error, response.status));
      setErrors(found);
      setResult(found.form ? outcome("error", found.form) : undefined);
      if (!found.form) focusFirstInvalid();
      return;
    }
    navigate(`/account/complaints?id=${encodeURIComponent(data.complaintId)}&filed=1`);
  };

  return (
    <>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.complaints.new")}>
        <Select label={t("account.complaints.category")} name="category" value={category} onValue={(v) => setCategory(v as Category)} options={CATEGORIES.map((c): [string, string] => [c, label("account.complaints.cat", c)])} error={errors.fields.category} />
        <Field label={t("account.complaints.subject")} name="subject" value={subject} onValue={setSubject} error={errors.fields.subject} maxLength={200} />
        <TextArea label={t("account.complaints.description")} name="description" value={description} onValue={setDescription} error={errors.fields.description} maxLength={5000} rows={6} />
        <Field label={t("account.complaints.orderRef")} name="orderRef" value={orderRef} onValue={setOrderRef} error={errors.fields.orderRef} hint={t("account.complaints.orderRefHint")} maxLength={64} />
        <button type="submit" disabled={busy}>
          {t("account.complaints.file")}
        </button>
      </Form>
    </>
  );
}

export function ComplaintsPage() {
  useLang();
  const { query } = useLocation();
  const id = query.get("id");
  if (id) return <ComplaintDetail id={id} filed={query.get("filed") === "1"} />;
  return <ComplaintsHome />;
}

function ComplaintsHome() {
  const mine = useLoad(() => api.GET("/me/complaints", { params: { query: { limit: 20 } } }));
  return (
    <AccountLayout>
      <PageTitle title={t("account.complaints.title")} />
      <h2>{t("account.complaints.mine")}</h2>
      <Show state={mine}>{(data) => <ComplaintList first={data} />}</Show>
      <h2>{t("account.complaints.new")}</h2>
      <FileComplaint />
    </AccountLayout>
  );
}
