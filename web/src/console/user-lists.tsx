import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { type MessageKey, formatNumber, t, useLang } from "../i18n";
import { Link } from "../router";
import { can, useSession } from "../session";
import { Badge, DueTimer, ItemList, Loading, More, useLoad, When, word } from "./shared";
import type { StaffUser } from "./types";

// A user's own records as staff read them (GET /admin/users/{userId}/activity|rewards|documents|
// complaints): each panel only for the permission its route needs; the API masks and audits.

function Panel({ id, title, children }: { id: string; title: MessageKey; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{t(title)}</h2>
      {children}
    </section>
  );
}

function Activity({ userId }: { userId: string }) {
  const [cursor, setCursor] = useState<string>();
  const state = useLoad(() => api.GET("/admin/users/{userId}/activity", { params: { path: { userId }, query: cursor ? { cursor } : {} } }), [userId, cursor]);
  return (
    <Panel id="user-activity" title="console.lists.activity">
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("app.none")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption class="sr-only">{t("console.lists.activity")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.lists.when")}</th>
                    <th scope="col">{t("console.lists.network")}</th>
                    <th scope="col">{t("console.lists.device")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((a) => (
                    <tr key={a.at}>
                      <td>
                        <When at={a.at} />
                      </td>
                      <td>
                        <code>{a.ip ?? a.network}</code>
                      </td>
                      <td>
                        {a.browser} · {a.os} {a.newDevice && <Badge tone="warn">{t("console.lists.newDevice")}</Badge>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More cursor={page.nextCursor} onMore={setCursor} busy={state.loading} />
            </>
          )
        }
      </Loading>
    </Panel>
  );
}

function Rewards({ userId }: { userId: string }) {
  const state = useLoad(() => api.GET("/admin/users/{userId}/rewards", { params: { path: { userId } } }), [userId]);
  return (
    <Panel id="user-rewards" title="console.lists.rewards">
      <Loading state={state}>
        {(r) => (
          <>
            <p>
              {t("console.lists.balance", { points: formatNumber(r.balance) })} {r.frozen && <Badge tone="danger">{t("console.lists.frozen")}</Badge>}
            </p>
            <ItemList items={r.ledger} keyOf={(e) => e.entryId}>
              {(e) => (
                <>
                  <When at={e.at} /> · {word("entry", e.type)} · {e.points > 0 ? `+${e.points}` : e.points} · {e.reason}
                </>
              )}
            </ItemList>
          </>
        )}
      </Loading>
    </Panel>
  );
}

function Documents({ userId }: { userId: string }) {
  const state = useLoad(() => api.GET("/admin/users/{userId}/documents", { params: { path: { userId } } }), [userId]);
  return (
    <Panel id="user-documents" title="console.lists.documents">
      <Loading state={state}>
        {(list) => (
          <ItemList items={list.items} keyOf={(d) => d.submissionId}>
            {(d) => (
              <>
                {word("docType", d.type)} · <Badge>{t(`console.lists.submission.${d.status}`)}</Badge> · <When at={d.submittedAt ?? d.createdAt} />
                {d.reason ? ` · ${d.reason}` : ""}
                {d.status === "PENDING_REVIEW" && (
                  <>
                    {" · "}
                    <Link href={`/console/reviews?id=${d.submissionId}`}>{t("console.records.openDocument")}</Link>
                  </>
                )}
              </>
            )}
          </ItemList>
        )}
      </Loading>
    </Panel>
  );
}

function Complaints({ userId }: { userId: string }) {
  const state = useLoad(() => api.GET("/admin/users/{userId}/complaints", { params: { path: { userId }, query: {} } }), [userId]);
  return (
    <Panel id="user-complaints" title="console.lists.complaints">
      <Loading state={state}>
        {(page) => (
          <ItemList items={page.items} keyOf={(c) => c.complaintId}>
            {(c) => (
              <>
                <Link href={`/console/complaints?id=${c.complaintId}`}>{c.ticketNo}</Link> · {c.subject} · <Badge>{word("complaintStatus", c.status)}</Badge>
                {c.due && (
                  <>
                    {" · "}
                    <DueTimer at={c.due.at} />
                  </>
                )}
              </>
            )}
          </ItemList>
        )}
      </Loading>
    </Panel>
  );
}

/** The panels this staff member's permissions allow. */
export function UserLists({ user }: { user: StaffUser }) {
  useLang();
  const session = useSession();
  return (
    <>
      {can(session, "users:read") && <Activity userId={user.userId} />}
      {can(session, "rewards:grant") && <Rewards userId={user.userId} />}
      {can(session, "reviews:read") && <Documents userId={user.userId} />}
      {can(session, "complaints:manage") && <Complaints userId={user.userId} />}
    </>
  );
}
