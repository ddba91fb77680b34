import { useState } from "preact/hooks";
import { api } from "../api/client";
import { type MessageKey, t } from "../i18n";
import { Link } from "../router";
import { can, useSession } from "../session";
import { BarChart } from "../ui/charts";
import { type Body, Loading, More, Outcome, useAction, useLoad, When, word } from "./shared";
import type { StaffUser } from "./types";

// Credit (factors come with a recompute, credit:recompute) and what the audit trail holds about
// the user (audit:read): documents reviewed, complaints handled, rewards granted, sign-in security
// and staff changes, each linking to where it is handled.

type Credit = Body<"/admin/users/{userId}/credit/recompute", "post">;
type Entry = Body<"/admin/audit", "get">["items"][number];

export function CreditPanel({ user }: { user: StaffUser }) {
  const session = useSession();
  const [credit, setCredit] = useState<Credit>();
  const action = useAction();
  const recompute = async () => {
    const data = await action.run(() => api.POST("/admin/users/{userId}/credit/recompute", { params: { path: { userId: user.userId } } }));
    if (data) setCredit(data);
  };
  return (
    <section class="card" aria-labelledby="credit">
      <h2 id="credit">{t("console.users.credit")}</h2>
      <p>
        {t("console.users.score", { score: credit?.score ?? user.credit.score })} · {word("tier", credit?.tier ?? user.credit.tier)}
      </p>
      {credit ? (
        <>
          <BarChart title={t("console.users.factors")} bars={credit.factors.map((f) => ({ label: `${word("factor", f.name)} (×${f.weight})`, value: f.score }))} />
          {credit.reasons.length > 0 && (
            <ul>
              {credit.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p class="hint">{can(session, "credit:recompute") ? t("console.users.factorsHint") : t("console.users.factorsNeedPermission")}</p>
      )}
      <Outcome problem={action.problem} />
      {can(session, "credit:recompute") && (
        <button type="button" class="secondary" disabled={action.busy} onClick={() => void recompute()}>
          {t("console.users.recompute")}
        </button>
      )}
    </section>
  );
}

/** Which part of the user's page an audited action belongs to. */
const GROUPS: Array<{ title: MessageKey; match: (action: string) => boolean }> = [
  { title: "console.records.documents", match: (a) => a.startsWith("REVIEW_") },
  { title: "console.records.complaints", match: (a) => a.startsWith("COMPLAINT_") },
  { title: "console.records.rewards", match: (a) => a.startsWith("REWARD_") },
  { title: "console.records.security", match: (a) => a.startsWith("MFA_") || a.startsWith("ACCOUNT_") || a === "DATA_EXPORTED" },
  { title: "console.records.staff", match: () => true },
];

function subjectLink(entry: Entry, session: ReturnType<typeof useSession>) {
  if (!entry.subject) return null;
  if (entry.action.startsWith("REVIEW_") && can(session, "reviews:read")) return <Link href={`/console/reviews?id=${entry.subject}`}>{t("console.records.openDocument")}</Link>;
  if (entry.action.startsWith("COMPLAINT_") && can(session, "complaints:manage")) return <Link href={`/console/complaints?id=${entry.subject}`}>{t("console.records.openComplaint")}</Link>;
  return <code>{entry.subject}</code>;
}

export function Records({ user }: { user: StaffUser }) {
  const session = useSession();
  const [cursor, setCursor] = useState<string>();
  const allowed = can(session, "audit:read");
  const trail = useLoad(allowed ? () => api.GET("/admin/audit", { params: { query: { userId: user.userId, limit: 100, ...(cursor ? { cursor } : {}) } } }) : null, [user.userId, cursor]);
  if (!allowed) {
    return (
      <section class="card" aria-labelledby="records">
        <h2 id="records">{t("console.records.title")}</h2>
        <p class="hint">{t("console.records.needAudit")}</p>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="records">
      <h2 id="records">{t("console.records.title")}</h2>
      <p class="hint">{t("console.records.hint")}</p>
      <Loading state={trail}>
        {(page) => {
          const rest = [...page.items];
          return (
            <>
              {GROUPS.map((group) => {
                const entries = rest.filter((e) => group.match(e.action));
                for (const e of entries) rest.splice(rest.indexOf(e), 1);
                return (
                  <div key={group.title}>
                    <h3>{t(group.title)}</h3>
                    {entries.length === 0 ? (
                      <p>{t("app.none")}</p>
                    ) : (
                      <ul>
                        {entries.map((e) => (
                          <li key={e.entryId}>
                            <When at={e.at} /> · {word("action", e.action)} {e.reason ? `· ${e.reason} ` : ""}· {subjectLink(e, session)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                );
              })}
              <More cursor={page.nextCursor} onMore={setCursor} busy={trail.loading} />
              {can(session, "audit:read") && (
                <p>
                  <Link href={`/console/audit?userId=${encodeURIComponent(user.userId)}`}>{t("console.records.fullTrail")}</Link>
                </p>
              )}
            </>
          );
        }}
      </Loading>
    </section>
  );
}
