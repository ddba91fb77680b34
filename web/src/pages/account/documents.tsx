import { useId, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors, problemMessage } from "../../api/problem";
import { formatDate, t, useLang } from "../../i18n";
import { Field, Form, Select } from "../../ui/form";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad } from "./shared";
import { uploadFile } from "./upload";

// /account/documents: identity-document submissions and a new one: declared (POST /me/documents),
// each image uploaded straight to S3 with its presigned URL (a progress bar per file), then
// submitted (POST /me/documents/{id}/submit), which checks it at once or queues it for review.

type Submissions = Ok<"/me/documents", "get">;
type Declaration = Ok<"/me/documents", "post", 201>;
type DocType = Submissions["items"][number]["type"];
type Kind = Declaration["uploads"][number]["kind"];
type ContentType = Declaration["uploads"][number]["headers"]["content-type"];

const TYPES: DocType[] = ["ID_CARD", "PASSPORT", "DRIVER_LICENSE"];
const KINDS: Record<DocType, Kind[]> = { ID_CARD: ["FRONT", "BACK", "SELFIE"], DRIVER_LICENSE: ["FRONT", "BACK", "SELFIE"], PASSPORT: ["FRONT", "SELFIE"] };
const CONTENT_TYPES: readonly string[] = ["image/jpeg", "image/png", "application/pdf"] satisfies ContentType[];
const MAX_BYTES = 10 * 1024 * 1024;

function FileField({ kind, onFile, error }: { kind: Kind; onFile: (file: File | undefined) => void; error: string | undefined }) {
  const id = useId();
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label("account.documents.kind", kind)}</label>
      <input id={id} name={kind} type="file" accept={CONTENT_TYPES.join(",")} onChange={(e) => onFile((e.currentTarget as HTMLInputElement).files?.[0])} aria-invalid={error ? "true" : undefined} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`} />
      <div class="hint" id={`${id}-hint`}>
        {t("account.documents.fileHint")}
      </div>
      {error && (
        <div class="error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function Progress({ kind, fraction }: { kind: Kind; fraction: number }) {
  const id = useId();
  const percent = Math.round(fraction * 100);
  return (
    <div class="field">
      <label for={id}>{t("account.documents.uploading", { kind: label("account.documents.kind", kind), percent })}</label>
      <progress id={id} max={100} value={percent} />
    </div>
  );
}

function NewSubmission({ onDone }: { onDone: (result: Outcome) => void }) {
  const [type, setType] = useState<DocType>("ID_CARD");
  const [fullName, setFullName] = useState("");
  const [documentNumber, setDocumentNumber] = useState("");
  const [files, setFiles] = useState<Partial<Record<Kind, File>>>({});
  const [progress, setProgress] = useState<Partial<Record<Kind, number>>>({});
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const kinds = KINDS[type];

  const check = () => {
    const fields: Record<string, string> = {};
    if (!fullName.trim()) fields.fullName = t("app.required");
    if (!documentNumber.trim()) fields.documentNumber = t("app.required");
    for (const kind of kinds) {
      const file = files[kind];
      if (!file) fields[kind] = t("account.documents.fileMissing");
      else if (!CONTENT_TYPES.includes(file.type)) fields[kind] = t("account.documents.fileType");
      else if (file.size > MAX_BYTES || file.size === 0) fields[kind] = t("account.documents.fileSize");
    }
    return fields;
  };

  const fail = (found: FormErrors) => {
    setErrors(found);
    setBusy(false);
    setProgress({});
    if (found.form) return setResult(outcome("error", found.form));
    setResult(undefined);
    focusFirstInvalid();
  };

  const submit = async () => {
    const fields = check();
    if (Object.keys(fields).length) return fail({ fields });
    setBusy(true);
    setResult(undefined);
    const chosen = kinds.map((kind) => ({ kind, file: files[kind] as File }));
    const declared = await api.POST("/me/documents", {
      body: { type, fullName: fullName.trim(), documentNumber: documentNumber.trim(), files: chosen.map(({ kind, file }) => ({ kind, contentType: file.type as ContentType, size: file.size })) },
    });
    if (!declared.data) return fail(formErrors(asProblem(declared.error, declared.response.status)));
    const { submissionId, uploads } = declared.data;
    setProgress(Object.fromEntries(uploads.map((u) => [u.kind, 0])));
    try {
      await Promise.all(
        uploads.map((u) => {
          const file = chosen.find((c) => c.kind === u.kind)?.file as File;
          return uploadFile(u, file, (fraction) => setProgress((p) => ({ ...p, [u.kind]: fraction })));
        }),
      );
    } catch {
      return fail({ fields: {}, form: t("account.documents.uploadFailed") });
    }
    const submitted = await api.POST("/me/documents/{submissionId}/submit", { params: { path: { submissionId } } });
    if (!submitted.data) return fail({ fields: {}, form: problemMessage(asProblem(submitted.error, submitted.response.status)) });
    setBusy(false);
    setProgress({});
    setErrors(noErrors);
    const { status } = submitted.data;
    const reason = "reason" in submitted.data && submitted.data.reason ? reasonText(submitted.data.reasonCode, submitted.data.reason) : "";
    setResult(undefined);
    setFiles({});
    onDone(status === "REJECTED" ? outcome("error", t("account.documents.rejectedNow", { reason })) : outcome("success", t("account.documents.submitted")));
  };

  return (
    <>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.documents.new")}>
        <Select label={t("account.documents.type")} name="type" value={type} onValue={(v) => setType(v as DocType)} options={TYPES.map((d): [string, string] => [d, label("account.documents.docType", d)])} error={errors.fields.type} />
        <Field label={t("account.documents.fullName")} name="fullName" value={fullName} onValue={setFullName} error={errors.fields.fullName} hint={t("account.documents.fullNameHint")} maxLength={100} autoComplete="name" />
        <Field label={t("account.documents.number")} name="documentNumber" value={documentNumber} onValue={setDocumentNumber} error={errors.fields.documentNumber} maxLength={40} autoComplete="off" />
        <fieldset>
          <legend>{t("account.documents.images")}</legend>
          {errors.fields.files && (
            <div class="error" role="alert">
              {errors.fields.files}
            </div>
          )}
          {kinds.map((kind) => (
            <FileField key={`${type}-${kind}`} kind={kind} error={errors.fields[kind]} onFile={(file) => setFiles((f) => ({ ...f, [kind]: file }))} />
          ))}
        </fieldset>
        {kinds.map((kind) => progress[kind] !== undefined && <Progress key={kind} kind={kind} fraction={progress[kind] ?? 0} />)}
        <button type="submit" disabled={busy}>
          {busy ? t("account.documents.sending") : t("account.documents.submit")}
        </button>
      </Form>
    </>
  );
}

function reasonText(code: string | undefined, reason: string): string {
  const text = code ? label("account.documents.reason", code) : reason;
  return code && text === code ? reason : text;
}

function SubmissionList({ items }: { items: Submissions["items"] }) {
  if (items.length === 0) return <p>{t("account.documents.none")}</p>;
  return (
    <table>
      <caption class="sr-only">{t("account.documents.listTitle")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("account.documents.type")}</th>
          <th scope="col">{t("account.documents.status")}</th>
          <th scope="col">{t("account.documents.submittedAt")}</th>
          <th scope="col">{t("account.documents.reasonTitle")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.submissionId}>
            <td>{label("account.documents.docType", s.type)}</td>
            <td>
              <span class="badge">{label("account.documents.state", s.status)}</span>
            </td>
            <td>{s.submittedAt ? formatDate(s.submittedAt) : formatDate(s.createdAt)}</td>
            <td>{s.reason ? reasonText(s.reasonCode, s.reason) : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DocumentsPage() {
  useLang();
  const list = useLoad(() => api.GET("/me/documents"));
  const [done, setDone] = useState<Outcome>();
  const submitted = (result: Outcome) => {
    setDone(result);
    list.reload();
  };
  return (
    <AccountLayout>
      <PageTitle title={t("account.documents.title")} />
      <p>{t("account.documents.intro")}</p>
      <h2>{t("account.documents.listTitle")}</h2>
      <Show state={list}>{(data) => <SubmissionList items={data.items} />}</Show>
      <Announce result={done} />
      <h2>{t("account.documents.new")}</h2>
      {list.data?.items.some((s) => s.status === "PENDING_REVIEW") ? <p>{t("account.documents.inReview")}</p> : <NewSubmission key={done?.at} onDone={submitted} />}
    </AccountLayout>
  );
}
