import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { formatDate, t } from "../../i18n";
import { Link, navigate } from "../../router";
import { Form, TextArea } from "../../ui/form";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad } from "./shared";

// One complaint as its complainant sees it (/account/complaints?id=): the case, its decision, the
// thread and timeline, writing on the thread, and rating how it was handled once resolved.

type Seen = Ok<"/complaints/{complaintId}", "get">;
/** As a party sees it: the complainant (who may rate) or the respondent of a dispute. Staff get the console's view. */
type Complaint = Exclude<Seen, { complainantId: string }>;
type Entry = Complaint["timeline"][number];

const FINAL = ["CLOSED", "REJECTED"];

function what(e: Entry): string {
  if (e.kind === "MESSAGE") return e.body ?? "";
  if (e.kind === "TRANSITION" && e.status) return t("account.complaint.movedTo", { status: label("account.complaints.state", e.status) });
  return label("account.complaint.kind", e.kind);
}

function Timeline({ entries }: { entries: Entry[] }) {
  return (
    <ol class="timeline">
      {entries.map((e) => (
        <li key={e.seq} class={e.kind === "MESSAGE" ? "message" : ""}>
          <div class="hint">
            <time dateTime={e.at}>{formatDate(e.at)}</time> · {label("account.complaint.by", e.by)}
          </div>
          <div>{what(e)}</div>
        </li>
      ))}
    </ol>
  );
}

/** A form that posts once and reports; `send` returns the failed call or nothing on success. */
function useSend(field: string, onDone: (result: Outcome) => void, success: string) {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<{ error?: unknown; response: Response }>) => {
    setBusy(true);
    const { error, response } = await call();
    setBusy(false);
    if (!response.ok) {
      const found = formErrors(asProblem(error, response.status), { CHANGED_MEANWHILE: field });
      setErrors(found);
      setResult(found.form ? outcome("error", found.form) : undefined);
      if (!found.form) focusFirstInvalid();
      return false;
    }
    setErrors(noErrors);
    onDone(outcome("success", success));
    return true;
  };
  return { errors, setErrors, result, busy, run };
}

function Reply({ id, onDone }: { id: string; onDone: (result: Outcome) => void }) {
  const [body, setBody] = useState("");
  const send = useSend("body", onDone, t("account.complaint.sent"));
  const submit = async () => {
    if (!body.trim()) {
      send.setErrors({ fields: { body: t("app.required") } });
      return focusFirstInvalid();
    }
    if (await send.run(() => api.POST("/complaints/{complaintId}/messages", { params: { path: { complaintId: id } }, body: { body: body.trim() } }))) setBody("");
  };
  return (
    <>
      <Announce result={send.result} />
      <Form onSubmit={submit} label={t("account.complaint.write")}>
        <TextArea label={t("account.complaint.message")} name="body" value={body} onValue={setBody} error={send.errors.fields.body} maxLength={2000} />
        <button type="submit" disabled={send.busy}>
          {t("account.complaint.send")}
        </button>
      </Form>
    </>
  );
}

function Rate({ id, onDone }: { id: string; onDone: (result: Outcome) => void }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState("");
  const send = useSend("rating", onDone, t("account.complaint.rated"));
  const submit = async () => {
    if (rating < 1) {
      send.setErrors({ fields: { rating: t("account.complaint.pickRating") } });
      return focusFirstInvalid();
    }
    await send.run(() => api.POST("/complaints/{complaintId}/satisfaction", { params: { path: { complaintId: id } }, body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
  };
  const error = send.errors.fields.rating;
  return (
    <>
      <Announce result={send.result} />
      <Form onSubmit={submit} label={t("account.complaint.rate")}>
        <fieldset aria-describedby={error ? "rating-error" : undefined}>
          <legend>{t("account.complaint.rating")}</legend>
          <div class="row">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="choice">
                <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} aria-invalid={error ? "true" : undefined} /> {label("account.complaint.stars", String(n))}
              </label>
            ))}
          </div>
          {error && (
            <div class="error" id="rating-error" role="alert">
              {error}
            </div>
          )}
        </fieldset>
        <TextArea label={t("account.complaint.comment")} name="comment" value={comment} onValue={setComment} error={send.errors.fields.comment} maxLength={1000} rows={3} />
        <button type="submit" disabled={send.busy}>
          {t("account.complaint.rate")}
        </button>
      </Form>
    </>
  );
}

function Case({ c, onChange }: { c: Complaint; onChange: (result: Outcome) => void }) {
  return (
    <>
      <dl class="facts">
        <dt>{t("account.complaints.status")}</dt>
        <dd>
          <span class="badge">{label("account.complaints.state", c.status)}</span>
        </dd>
        <dt>{t("account.complaints.category")}</dt>
        <dd>{label("account.complaints.cat", c.category)}</dd>
        <dt>{t("account.complaints.subject")}</dt>
        <dd>{c.subject}</dd>
        <dt>{t("account.complaints.description")}</dt>
        <dd class="pre">{c.description}</dd>
        {c.orderRef && (
          <>
            <dt>{t("account.complaints.orderRef")}</dt>
            <dd>{c.orderRef}</dd>
          </>
        )}
        <dt>{t("account.complaint.filedAt")}</dt>
        <dd>{formatDate(c.createdAt)}</dd>
        {!FINAL.includes(c.status) && c.status !== "RESOLVED" && (
          <>
            <dt>{t("account.complaint.dueAt")}</dt>
            <dd>{formatDate(c.resolutionDueAt)}</dd>
          </>
        )}
        {c.resolution && (
          <>
            <dt>{t("account.complaint.resolution")}</dt>
            <dd>
              {label("account.complaint.outcome", c.resolution.outcome)}: {c.resolution.text}
            </dd>
          </>
        )}
        {c.rejectedReason && (
          <>
            <dt>{t("account.complaint.rejected")}</dt>
            <dd>{c.rejectedReason}</dd>
          </>
        )}
        {"satisfaction" in c && c.satisfaction && (
          <>
            <dt>{t("account.complaint.rating")}</dt>
            <dd>{label("account.complaint.stars", String(c.satisfaction.rating))}</dd>
          </>
        )}
      </dl>
      <h2>{t("account.complaint.thread")}</h2>
      <Timeline entries={c.timeline} />
      {"canRate" in c && c.canRate && (
        <>
          <h2>{t("account.complaint.rate")}</h2>
          <Rate id={c.complaintId} onDone={onChange} />
        </>
      )}
      {!FINAL.includes(c.status) && (
        <>
          <h2>{t("account.complaint.write")}</h2>
          <Reply id={c.complaintId} onDone={onChange} />
        </>
      )}
    </>
  );
}

export function ComplaintDetail({ id, filed }: { id: string; filed: boolean }) {
  const complaint = useLoad(() => api.GET("/complaints/{complaintId}", { params: { path: { complaintId: id } } }), [id]);
  const [result, setResult] = useState<Outcome | undefined>(() => (filed ? outcome("success", t("account.complaint.filed")) : undefined));
  // The "just filed" notice is shown once: going back to this address later does not repeat it.
  useEffect(() => {
    if (filed) navigate(`/account/complaints?id=${encodeURIComponent(id)}`, { replace: true });
  }, [filed, id]);
  const changed = (r: Outcome) => {
    setResult(r);
    complaint.reload();
  };
  return (
    <AccountLayout>
      <p>
        <Link href="/account/complaints">{t("account.complaint.back")}</Link>
      </p>
      <PageTitle title={complaint.data ? t("account.complaint.title", { ticket: complaint.data.ticketNo }) : t("account.complaints.title")} />
      <Announce result={result} />
      <Show state={complaint}>
        {(data) =>
          "complainantId" in data ? (
            <p>
              <Link href="/console">{t("account.complaint.inConsole")}</Link>
            </p>
          ) : (
            <Case c={data} onChange={changed} />
          )
        }
      </Show>
    </AccountLayout>
  );
}
