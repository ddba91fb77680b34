import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { Form, TextArea } from "../ui/form";
import { ComplaintActions } from "./complaint-actions";
import { useMe } from "./me";
import { mayOpenUsers } from "./sections";
import { Badge, DueTimer, Loading, Outcome, priorityTone, Title, useAction, useLoad, UserRef, When, word } from "./shared";
import type { StaffComplaint } from "./types";

// One case as staff see it: the facts and SLA timers, the proposal (and who made it), every
// transition the process allows now (complaint-actions.tsx), the timeline and the thread.

export function ComplaintDetail({ complaintId }: { complaintId: string }) {
  const session = useSession();
  const me = useMe();
  const found = useLoad(() => api.GET("/complaints/{complaintId}", { params: { path: { complaintId } } }), [complaintId]);
  const linkUsers = mayOpenUsers(session);
  return (
    <>
      <p>
        <Link href="/console/complaints">← {t("console.complaints.back")}</Link>
      </p>
      <Loading state={found}>
        {(view) => {
          if (!("legalActions" in view)) return <p>{t("console.complaints.party")}</p>;
          const c: StaffComplaint = view;
          return (
            <>
              <Title text={t("console.complaints.case", { ticket: c.ticketNo })}>
                {t("console.complaints.case", { ticket: c.ticketNo })} <Badge>{word("complaintStatus", c.status)}</Badge>
              </Title>
              <section class="card" aria-labelledby="facts">
                <h2 id="facts">{c.subject}</h2>
                <p>{c.description}</p>
                <dl class="facts">
                  <dt>{t("console.complaints.priority")}</dt>
                  <dd>
                    <Badge tone={priorityTone(c.priority)}>{word("priority", c.priority)}</Badge>
                  </dd>
                  <dt>{t("console.complaints.category")}</dt>
                  <dd>
                    {word("category", c.category)} · {word("channel", c.channel)}
                  </dd>
                  <dt>{t("console.complaints.complainant")}</dt>
                  <dd>
                    <UserRef id={c.complainantId} linked={linkUsers} />
                  </dd>
                  {c.respondentId && (
                    <>
                      <dt>{t("console.complaints.respondent")}</dt>
                      <dd>
                        <UserRef id={c.respondentId} linked={linkUsers} />
                      </dd>
                    </>
                  )}
                  {c.orderRef && (
                    <>
                      <dt>{t("console.complaints.order")}</dt>
                      <dd>{c.orderRef}</dd>
                    </>
                  )}
                  <dt>{t("console.complaints.filed")}</dt>
                  <dd>
                    <When at={c.createdAt} />
                  </dd>
                  <dt>{t("console.complaints.firstResponse")}</dt>
                  <dd>{c.firstResponseAt ? <When at={c.firstResponseAt} /> : <DueTimer at={c.firstResponseDueAt} />}</dd>
                  <dt>{t("console.complaints.resolution")}</dt>
                  <dd>{c.resolvedAt ? <When at={c.resolvedAt} /> : <DueTimer at={c.resolutionDueAt} />}</dd>
                  {c.due && (
                    <>
                      <dt>{t("console.complaints.sla")}</dt>
                      <dd>
                        <DueTimer at={c.due.at} label={word("deadline", c.due.kind)} />
                      </dd>
                    </>
                  )}
                </dl>
              </section>
              {c.proposal && (
                <section class="card" aria-labelledby="proposal">
                  <h2 id="proposal">{t("console.complaints.proposal")}</h2>
                  <p>
                    <strong>{word("outcome", c.proposal.outcome)}</strong> — {c.proposal.resolution}
                  </p>
                  <p class="hint">
                    {c.proposal.proposedBy === me?.userId ? t("console.complaints.proposedByYou") : t("console.complaints.proposedBy")} <UserRef id={c.proposal.proposedBy} linked={linkUsers} />,{" "}
                    <When at={c.proposal.proposedAt} />
                    {c.approvedBy && (
                      <>
                        {" · "}
                        {t("console.complaints.approvedBy")} <UserRef id={c.approvedBy} linked={linkUsers} />
                      </>
                    )}
                  </p>
                </section>
              )}
              <ComplaintActions complaint={c} onChanged={found.reload} />
              <Timeline complaint={c} linkUsers={linkUsers} />
              <Thread complaint={c} onPosted={found.reload} />
            </>
          );
        }}
      </Loading>
    </>
  );
}

function Timeline({ complaint: c, linkUsers }: { complaint: StaffComplaint; linkUsers: boolean }) {
  return (
    <section class="card" aria-labelledby="timeline">
      <h2 id="timeline">{t("console.complaints.timeline")}</h2>
      <ol class="timeline">
        {c.timeline.map((e) => (
          <li key={e.seq}>
            <div class="meta">
              <When at={e.at} /> · {word("role", e.actorRole)} {e.actorId && <UserRef id={e.actorId} linked={linkUsers} />}
            </div>
            <div>
              {word("entry", e.kind)}
              {e.action ? `: ${word("transition", e.action)}` : ""}
              {e.from && e.to ? ` (${word("complaintStatus", e.from)} → ${word("complaintStatus", e.to)})` : ""}
            </div>
            {e.note && <div class="hint">{t("console.complaints.note")}: {e.note}</div>}
            {e.kind === "MESSAGE" && e.body && <div>“{e.body}”</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Thread({ complaint: c, onPosted }: { complaint: StaffComplaint; onPosted: () => void }) {
  const [body, setBody] = useState("");
  const [missing, setMissing] = useState(false);
  const action = useAction();
  const messages = c.timeline.filter((e) => e.kind === "MESSAGE");
  const open = c.status !== "CLOSED" && c.status !== "REJECTED";
  const post = async () => {
    if (!body.trim()) return setMissing(true);
    setMissing(false);
    const done = await action.run(() => api.POST("/complaints/{complaintId}/messages", { params: { path: { complaintId: c.complaintId } }, body: { body: body.trim() } }), () => t("console.complaints.posted"));
    if (done) {
      setBody("");
      onPosted();
    }
  };
  return (
    <section class="card" aria-labelledby="thread">
      <h2 id="thread">{t("console.complaints.thread")}</h2>
      <div class="thread">
        {messages.length === 0 && <p>{t("app.none")}</p>}
        {messages.map((m) => (
          <blockquote key={m.seq}>
            <div class="meta">
              {word("role", m.actorRole)} · <When at={m.at} />
            </div>
            {m.body}
          </blockquote>
        ))}
      </div>
      {open && (
        <Form onSubmit={post} label={t("console.complaints.write")}>
          <Outcome problem={action.problem} done={action.done} />
          <TextArea label={t("console.complaints.message")} name="message" value={body} onValue={setBody} maxLength={2000} rows={3} error={missing ? t("app.required") : undefined} />
          <button type="submit" disabled={action.busy}>
            {t("console.complaints.send")}
          </button>
        </Form>
      )}
    </section>
  );
}
