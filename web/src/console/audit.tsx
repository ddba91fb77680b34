import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t, useLang } from "../i18n";
import { useLocation } from "../router";
import { useSession } from "../session";
import { Field, Form, Select } from "../ui/form";
import { useMe } from "./me";
import { mayOpenUsers } from "./sections";
import { Loading, More, Title, useLoad, UserRef, When, word } from "./shared";

// The audit trail (audit:read): entries about a user (target) or by a staff member (actor), newest
// first; the action filter narrows the page shown. Opens on the staff member's own actions.

type By = "actorId" | "userId";

export default function Audit() {
  useLang();
  const session = useSession();
  const me = useMe();
  const { query } = useLocation();
  const initial: [By, string] = query.get("userId") ? ["userId", query.get("userId") ?? ""] : ["actorId", query.get("actorId") ?? me?.userId ?? ""];
  const [by, setBy] = useState<By>(initial[0]);
  const [who, setWho] = useState(initial[1]);
  const [action, setAction] = useState(query.get("action") ?? "");
  const [applied, setApplied] = useState<{ by: By; who: string; action: string }>({ by: initial[0], who: initial[1], action: action });
  const [cursor, setCursor] = useState<string>();
  const [missing, setMissing] = useState(false);
  const trail = useLoad(
    applied.who ? () => api.GET("/admin/audit", { params: { query: { ...(applied.by === "userId" ? { userId: applied.who } : { actorId: applied.who }), limit: 100, ...(cursor ? { cursor } : {}) } } }) : null,
    [applied.by, applied.who, cursor],
  );
  const linkUsers = mayOpenUsers(session);
  const search = () => {
    setMissing(!who.trim());
    if (!who.trim()) return;
    setCursor(undefined);
    setApplied({ by, who: who.trim(), action: action.trim().toUpperCase() });
  };
  return (
    <>
      <Title text={t("console.audit.title")} />
      <Form onSubmit={search} label={t("console.filters")}>
        <div class="console-filters">
          <Select label={t("console.audit.by")} name="by" value={by} onValue={(v) => setBy(v === "userId" ? "userId" : "actorId")} options={[["actorId", t("console.audit.actor")], ["userId", t("console.audit.target")]]} />
          <Field label={t("console.audit.who")} name="who" value={who} onValue={setWho} error={missing ? t("app.required") : undefined} maxLength={64} autoComplete="off" />
          <Field label={t("console.audit.action")} name="action" value={action} onValue={setAction} maxLength={64} autoComplete="off" hint={t("console.audit.actionHint")} />
          <button type="submit">{t("console.audit.show")}</button>
        </div>
      </Form>
      {applied.who ? (
        <Loading state={trail}>
          {(page) => {
            const items = applied.action ? page.items.filter((e) => e.action.includes(applied.action)) : page.items;
            return items.length === 0 ? (
              <p>{t("console.audit.none")}</p>
            ) : (
              <>
                <table class="console-table">
                  <caption>{applied.by === "userId" ? t("console.audit.about", { who: applied.who }) : t("console.audit.byActor", { who: applied.who })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("console.audit.at")}</th>
                      <th scope="col">{t("console.audit.actor")}</th>
                      <th scope="col">{t("console.audit.action")}</th>
                      <th scope="col">{t("console.audit.target")}</th>
                      <th scope="col">{t("console.reason")}</th>
                      <th scope="col">{t("console.audit.subject")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((e) => (
                      <tr key={e.entryId}>
                        <td>
                          <When at={e.at} />
                        </td>
                        <td>
                          <UserRef id={e.actorId} linked={linkUsers && !e.actorId.includes(":")} />
                        </td>
                        <td>
                          {word("action", e.action)} <span class="hint">({e.action})</span>
                        </td>
                        <td>
                          <UserRef id={e.targetUserId} linked={linkUsers && !e.targetUserId.includes("#")} />
                        </td>
                        <td>{e.reason ?? "—"}</td>
                        <td>{e.subject ? <code>{e.subject}</code> : "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <More cursor={page.nextCursor} onMore={setCursor} busy={trail.loading} />
              </>
            );
          }}
        </Loading>
      ) : (
        <p>{t("console.audit.pick")}</p>
      )}
    </>
  );
}
