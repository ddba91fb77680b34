import { useState } from "preact/hooks";
import { api } from "../api/client";
import { formatNumber, type MessageKey, t } from "../i18n";
import { Link } from "../router";
import { can, useSession } from "../session";
import { Form, TextArea } from "../ui/form";
import { mayOpenUsers } from "./sections";
import { Badge, type Body, Loading, Outcome, Title, useAction, useLoad, UserRef, When, word } from "./shared";

// One submission for a reviewer: the facts (PII masked unless data:pii:read), the sealed images
// through short-lived URLs, what the automatic checks found, and the decision (reviews:decide).

type Review = Body<"/admin/reviews/{submissionId}", "get">;
type File = Review["files"][number];

/** The file's short-lived URL, when it has one (submissions sealed before URLs existed have none). */
const linkOf = (f: File) => ("url" in f && typeof f.url === "string" && "expiresAt" in f ? { url: f.url, expiresAt: f.expiresAt } : undefined);

/** The checks lib/documents/checks.ts ran before the submission could enter the queue. */
const CHECKS: Record<string, MessageKey[]> = {
  ID_CARD: ["console.check.idFormat", "console.check.idDigit", "console.check.birthDate", "console.check.adult", "console.check.name", "console.check.unique"],
  DRIVER_LICENSE: ["console.check.idFormat", "console.check.idDigit", "console.check.birthDate", "console.check.adult", "console.check.name", "console.check.unique"],
  PASSPORT: ["console.check.passport", "console.check.name", "console.check.unique"],
};

export function ReviewDetail({ submissionId }: { submissionId: string }) {
  const session = useSession();
  const review = useLoad(() => api.GET("/admin/reviews/{submissionId}", { params: { path: { submissionId } } }), [submissionId]);
  const [done, setDone] = useState<string>();
  const decided = (decision: "APPROVE" | "REJECT") => {
    setDone(decision === "APPROVE" ? t("console.reviews.approved") : t("console.reviews.rejected"));
    review.reload();
  };
  return (
    <>
      <p>
        <Link href="/console/reviews">← {t("console.reviews.back")}</Link>
      </p>
      <Title text={t("console.reviews.detailTitle")} />
      <Outcome done={done} />
      <Loading state={review}>
        {(r) => (
          <>
            <Facts review={r} linkUsers={mayOpenUsers(session)} pii={can(session, "data:pii:read")} />
            <Checks review={r} />
            <Images review={r} onReload={review.reload} />
            {r.status === "PENDING_REVIEW" && can(session, "reviews:decide") && <Decision submissionId={submissionId} onDecided={decided} />}
          </>
        )}
      </Loading>
    </>
  );
}

function Facts({ review: r, linkUsers, pii }: { review: Review; linkUsers: boolean; pii: boolean }) {
  return (
    <section class="card" aria-labelledby="facts">
      <h2 id="facts">{t("console.reviews.facts")}</h2>
      <dl class="facts">
        <dt>{t("console.status")}</dt>
        <dd>
          <Badge tone={r.status === "APPROVED" ? "ok" : r.status === "REJECTED" ? "danger" : "warn"}>{word("reviewStatus", r.status)}</Badge>
        </dd>
        <dt>{t("console.reviews.type")}</dt>
        <dd>{word("docType", r.type)}</dd>
        <dt>{t("console.reviews.name")}</dt>
        <dd>{r.fullName}</dd>
        <dt>{t("console.reviews.number")}</dt>
        <dd>
          <code>{r.documentNumber}</code>
        </dd>
        <dt>{t("console.user")}</dt>
        <dd>
          <UserRef id={r.userId} linked={linkUsers} />
        </dd>
        <dt>{t("console.reviews.submitted")}</dt>
        <dd>
          <When at={r.submittedAt} />
        </dd>
        {r.decidedAt && (
          <>
            <dt>{t("console.reviews.decided")}</dt>
            <dd>
              <When at={r.decidedAt} /> · {r.decidedBy === "AUTOMATIC_CHECK" ? t("console.reviews.byChecks") : <UserRef id={r.decidedBy} linked={linkUsers} />}
              {r.reason ? ` · ${r.reason}` : ""}
            </dd>
          </>
        )}
      </dl>
      <p class="hint">{pii ? t("console.reviews.piiShown") : t("console.reviews.piiMasked")}</p>
    </section>
  );
}

function Checks({ review: r }: { review: Review }) {
  const failedByChecks = r.status === "REJECTED" && r.decidedBy === "AUTOMATIC_CHECK";
  return (
    <section class="card" aria-labelledby="checks">
      <h2 id="checks">{t("console.reviews.checks")}</h2>
      {failedByChecks ? (
        <ul class="checks">
          <li class="failed">{r.reason ?? t("console.reviews.checksFailed")}</li>
        </ul>
      ) : (
        <ul class="checks">
          {(CHECKS[r.type] ?? []).map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
          <li>{t("console.check.files", { count: r.files.length })}</li>
          {r.files.every((f) => f.etag) && <li>{t("console.check.sealed")}</li>}
        </ul>
      )}
    </section>
  );
}

function Images({ review: r, onReload }: { review: Review; onReload: () => void }) {
  const expires = r.files.map(linkOf).find(Boolean)?.expiresAt;
  return (
    <section class="card" aria-labelledby="images">
      <h2 id="images">{t("console.reviews.images")}</h2>
      <p class="hint">
        {expires && (
          <>
            {t("console.reviews.urlsExpire")} <When at={expires} />{" "}
          </>
        )}
        <button type="button" class="link" onClick={onReload}>
          {t("console.reviews.reloadImages")}
        </button>
      </p>
      <div class="images">
        {r.files.map((f) => {
          const link = linkOf(f);
          return (
          <figure key={f.kind}>
            {link && f.contentType.startsWith("image/") ? (
              <img src={link.url} alt={t("console.reviews.imageAlt", { kind: word("fileKind", f.kind) })} />
            ) : link ? (
              <a href={link.url} target="_blank" rel="noreferrer">
                {t("console.reviews.openFile", { kind: word("fileKind", f.kind) })}
              </a>
            ) : (
              <p>{t("console.reviews.noUrl")}</p>
            )}
            <figcaption>
              {word("fileKind", f.kind)} · {f.contentType} · {formatNumber(Math.round(f.size / 1024))} KB
            </figcaption>
          </figure>
          );
        })}
      </div>
    </section>
  );
}

function Decision({ submissionId, onDecided }: { submissionId: string; onDecided: (decision: "APPROVE" | "REJECT") => void }) {
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const action = useAction();
  const decide = async (decision: "APPROVE" | "REJECT") => {
    if (decision === "REJECT" && !reason.trim()) return setMissing(true);
    setMissing(false);
    const body = { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    const done = await action.run(() => api.POST("/admin/reviews/{submissionId}/decision", { params: { path: { submissionId } }, body }));
    if (done) onDecided(decision);
  };
  return (
    <section class="card" aria-labelledby="decision">
      <h2 id="decision">{t("console.reviews.decision")}</h2>
      <Outcome problem={action.problem} />
      <Form onSubmit={() => decide("APPROVE")} label={t("console.reviews.decision")}>
        <TextArea label={t("console.reviews.reason")} name="reason" value={reason} onValue={setReason} maxLength={500} rows={3} error={missing ? t("console.reviews.reasonNeeded") : undefined} />
        <div class="row">
          <button type="submit" disabled={action.busy}>
            {t("console.reviews.approve")}
          </button>
          <button type="button" class="danger" disabled={action.busy} onClick={() => void decide("REJECT")}>
            {t("console.reviews.reject")}
          </button>
        </div>
      </Form>
    </section>
  );
}
