import { useState } from "preact/hooks";
import { api } from "../api/client";
import { formatNumber, t, useLang } from "../i18n";
import { useLocation } from "../router";
import { can, useSession } from "../session";
import { Field, Form, Select, TextArea } from "../ui/form";
import { useMe } from "./me";
import { UserLookup } from "./user-lookup";
import { mayOpenUsers } from "./sections";
import { Badge, type Input, Loading, More, newRequestKey, Outcome, Title, useAction, useLoad, UserRef, When, word } from "./shared";

// Rewards: grant points (negative: take back) or an achievement (rewards:grant), each request
// carrying an Idempotency-Key the page makes, so a retry never pays twice; and the grants above
// the threshold waiting for a second staff member (rewards:approve), never the requester.

type Grant = Input<"/admin/rewards/grants", "post">;
const ACHIEVEMENTS = ["FIRST_VERIFICATION", "FIRST_APPROVED_DOCUMENT", "TRANSACTIONS_10", "TRANSACTIONS_100", "FIRST_REVIEW_GIVEN"] as const satisfies readonly NonNullable<Grant["achievementId"]>[];

export default function Rewards() {
  useLang();
  const session = useSession();
  const [granted, setGranted] = useState(0);
  return (
    <>
      <Title text={t("console.rewards.title")} />
      {can(session, "rewards:grant") && <GrantForm onGranted={() => setGranted((n) => n + 1)} />}
      {can(session, "rewards:approve") && <Pending granted={granted} />}
    </>
  );
}

function GrantForm({ onGranted }: { onGranted: () => void }) {
  const { query } = useLocation();
  const [userId, setUserId] = useState(query.get("userId") ?? "");
  const [kind, setKind] = useState<"points" | "achievement">("points");
  const [points, setPoints] = useState("");
  const [achievement, setAchievement] = useState<string>(ACHIEVEMENTS[0]);
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(newRequestKey);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  // Another request is another key; the same request sent again (a retry) keeps its key.
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setKey(newRequestKey());
    };

  const submit = async () => {
    const n = Number(points);
    const missing: Record<string, string> = {};
    if (!userId.trim()) missing.userId = t("app.required");
    if (kind === "points" && (!Number.isInteger(n) || n === 0)) missing.points = t("console.rewards.pointsNeeded");
    if (reason.trim().length < 3) missing.reason = t("console.reasonNeeded");
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const body: Grant = { userId: userId.trim(), reason: reason.trim(), ...(kind === "points" ? { points: n } : { achievementId: achievement as Grant["achievementId"] }) };
    const data = await action.run(
      () => api.POST("/admin/rewards/grants", { body, headers: { "Idempotency-Key": key } }),
      (g) => (g.status === "PENDING_APPROVAL" ? t("console.rewards.pending", { points: formatNumber(g.points) }) : t("console.rewards.granted", { points: formatNumber(g.points) })),
    );
    if (data) {
      onGranted();
      setKey(newRequestKey());
      setPoints("");
      setReason("");
    }
  };

  return (
    <section class="card" aria-labelledby="grant">
      <h2 id="grant">{t("console.rewards.grant")}</h2>
      <Form onSubmit={submit} label={t("console.rewards.grant")}>
        <Outcome problem={action.problem} done={action.done} />
        <Field label={t("console.rewards.userId")} name="userId" value={userId} onValue={edit(setUserId)} error={errors.userId} maxLength={64} autoComplete="off" />
        <UserLookup onFound={edit(setUserId)} />
        <Select label={t("console.rewards.kind")} name="kind" value={kind} onValue={edit((v: string) => setKind(v === "achievement" ? "achievement" : "points"))} options={[["points", t("console.rewards.kindPoints")], ["achievement", t("console.rewards.kindAchievement")]]} />
        {kind === "points" ? (
          <Field label={t("console.rewards.points")} name="points" type="number" inputMode="numeric" value={points} onValue={edit(setPoints)} error={errors.points} hint={t("console.rewards.pointsHint")} />
        ) : (
          <Select label={t("console.rewards.achievement")} name="achievementId" value={achievement} onValue={edit(setAchievement)} options={ACHIEVEMENTS.map((a): [string, string] => [a, word("achievement", a)])} />
        )}
        <TextArea label={t("console.reason")} name="reason" value={reason} onValue={edit(setReason)} maxLength={500} rows={2} error={errors.reason} />
        <p class="hint">
          {t("console.rewards.key")} <code>{key}</code>
        </p>
        <button type="submit" disabled={action.busy}>
          {t("console.rewards.send")}
        </button>
      </Form>
    </section>
  );
}

function Pending({ granted }: { granted: number }) {
  const session = useSession();
  const me = useMe();
  const [cursor, setCursor] = useState<string>();
  const grants = useLoad(() => api.GET("/admin/rewards/grants", { params: { query: { status: "PENDING_APPROVAL", limit: 100, ...(cursor ? { cursor } : {}) } } }), [cursor, granted]);
  const action = useAction();
  const linkUsers = mayOpenUsers(session);
  const approve = async (grantId: string) => {
    const done = await action.run(() => api.POST("/admin/rewards/grants/{grantId}/approve", { params: { path: { grantId } } }), () => t("console.rewards.approved"));
    if (done) grants.reload();
  };
  return (
    <section class="card" aria-labelledby="pending">
      <h2 id="pending">{t("console.rewards.pendingTitle")}</h2>
      <Outcome problem={action.problem} done={action.done} />
      <Loading state={grants}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("console.rewards.nonePending")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption class="sr-only">{t("console.rewards.pendingTitle")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.rewards.requested")}</th>
                    <th scope="col">{t("console.user")}</th>
                    <th scope="col">{t("console.rewards.points")}</th>
                    <th scope="col">{t("console.reason")}</th>
                    <th scope="col">{t("console.rewards.requestedBy")}</th>
                    <th scope="col">{t("console.rewards.decision")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((g) => {
                    const own = g.requestedBy === me?.userId;
                    return (
                      <tr key={g.grantId}>
                        <td>
                          <When at={g.createdAt} />
                        </td>
                        <td>
                          <UserRef id={g.userId} linked={linkUsers} />
                        </td>
                        <td>{g.achievementId ? word("achievement", g.achievementId) : <Badge tone={g.points < 0 ? "danger" : undefined}>{formatNumber(g.points)}</Badge>}</td>
                        <td>{g.reason}</td>
                        <td>{own ? t("console.you") : <UserRef id={g.requestedBy} linked={linkUsers} />}</td>
                        <td>
                          <button type="button" disabled={action.busy || own} aria-describedby={own ? `own-${g.grantId}` : undefined} onClick={() => void approve(g.grantId)}>
                            {t("console.rewards.approve")}
                          </button>
                          {own && (
                            <div class="explain" id={`own-${g.grantId}`}>
                              {t("console.rewards.needsSecondPerson")}
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <More cursor={page.nextCursor} onMore={setCursor} busy={grants.loading} />
            </>
          )
        }
      </Loading>
    </section>
  );
}
