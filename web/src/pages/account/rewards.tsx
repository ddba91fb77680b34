import { useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, type FormErrors, formErrors, noErrors } from "../../api/problem";
import { formatDate, formatNumber, t, useLang } from "../../i18n";
import { can, useSession } from "../../session";
import { Field, Form, Notice } from "../../ui/form";
import { AccountLayout, Announce, focusFirstInvalid, label, type Ok, type Outcome, outcome, PageTitle, Show, useLoad, usePages } from "./shared";

// /account/rewards: the points balance, the next expiry, achievements, the ledger (a page at a
// time) and redeeming. A redemption carries an Idempotency-Key made for the attempt: a retry after
// a lost answer (no response) sends the same key, so the server redeems once; any answer ends the
// attempt, and the next submit gets a new key.

type Rewards = Ok<"/me/rewards", "get">;
type Entry = Rewards["ledger"][number];

const signed = (n: number) => (n > 0 ? `+${formatNumber(n)}` : formatNumber(n));

function Ledger({ first }: { first: Rewards }) {
  // The ledger pages through GET /me/rewards, whose list is `ledger`.
  const { items: entries, footer } = usePages<Entry>({ items: first.ledger, nextCursor: first.nextCursor }, async (cursor) => {
    const { data, error, response } = await api.GET("/me/rewards", { params: { query: { limit: 20, cursor } } });
    return { ...(data ? { data: { items: data.ledger, nextCursor: data.nextCursor } } : {}), error, response };
  });
  if (entries.length === 0) return <p>{t("app.none")}</p>;
  return (
    <>
      <table>
        <caption class="sr-only">{t("account.rewards.ledger")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account.rewards.at")}</th>
            <th scope="col">{t("account.rewards.type")}</th>
            <th scope="col">{t("account.rewards.points")}</th>
            <th scope="col">{t("account.rewards.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.entryId}>
              <td>{formatDate(e.at)}</td>
              <td>{label("account.rewards.entry", e.type)}</td>
              <td>{signed(e.points)}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </>
  );
}

function Redeem({ balance, onRedeemed }: { balance: number; onRedeemed: (balance: number) => void }) {
  const [points, setPoints] = useState("");
  const [itemId, setItemId] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  /** The key of the attempt in progress: kept only while no answer came back. */
  const attempt = useRef<{ key: string; body: string }>();

  const submit = async () => {
    const n = Number(points);
    if (!Number.isInteger(n) || n < 1) {
      setErrors({ fields: { points: t("account.rewards.pointsFormat") } });
      return focusFirstInvalid();
    }
    const body = { points: n, ...(itemId.trim() ? { itemId: itemId.trim() } : {}) };
    const same = attempt.current?.body === JSON.stringify(body);
    const key = same && attempt.current ? attempt.current.key : crypto.randomUUID();
    attempt.current = { key, body: JSON.stringify(body) };
    setBusy(true);
    try {
      const { data, error, response } = await api.POST("/me/rewards/redeem", { body, headers: { "Idempotency-Key": key } });
      attempt.current = undefined;
      if (!data) {
        const problem = asProblem(error, response.status);
        if (problem.code === "INSUFFICIENT_POINTS") {
          setErrors({ fields: { points: t("account.rewards.insufficient", { balance: formatNumber(balance) }) } });
          setResult(undefined);
          return focusFirstInvalid();
        }
        const found = formErrors(problem);
        setErrors(found);
        setResult(found.form ? outcome("error", found.form) : undefined);
        if (!found.form) focusFirstInvalid();
        return;
      }
      setErrors(noErrors);
      setPoints("");
      setItemId("");
      setResult(outcome("success", t("account.rewards.redeemed", { points: formatNumber(n), balance: formatNumber(data.balance) })));
      onRedeemed(data.balance);
    } catch {
      // No answer: the same submit again reuses the key, so the points are taken at most once.
      setResult(outcome("error", t("account.rewards.noAnswer")));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Announce result={result} />
      <Form onSubmit={submit} label={t("account.rewards.redeem")}>
        <Field label={t("account.rewards.redeemPoints")} name="points" type="number" inputMode="numeric" min={1} step={1} value={points} onValue={setPoints} error={errors.fields.points} hint={t("account.rewards.balanceHint", { balance: formatNumber(balance) })} />
        <Field label={t("account.rewards.itemId")} name="itemId" value={itemId} onValue={setItemId} error={errors.fields.itemId} hint={t("account.rewards.itemIdHint")} maxLength={64} />
        <button type="submit" disabled={busy}>
          {t("account.rewards.redeem")}
        </button>
      </Form>
    </>
  );
}

function RewardsView({ rewards, onBalance }: { rewards: Rewards; onBalance: () => void }) {
  const current = useSession();
  return (
    <>
      <dl class="facts balance">
        <dt>{t("account.rewards.balance")}</dt>
        <dd>
          <strong class="big">{formatNumber(rewards.balance)}</strong>
        </dd>
      </dl>
      {rewards.frozen && <Notice kind="error">{t("account.rewards.frozen")}</Notice>}
      {rewards.nextExpiry && <Notice kind="info">{t("account.rewards.expiry", { points: formatNumber(rewards.nextExpiry.points), at: formatDate(rewards.nextExpiry.at) })}</Notice>}
      <h2>{t("account.rewards.redeem")}</h2>
      {rewards.frozen ? (
        <p>{t("account.rewards.frozenHint")}</p>
      ) : can(current, "rewards:redeem") ? (
        <Redeem balance={rewards.balance} onRedeemed={onBalance} />
      ) : (
        <p>{t("account.rewards.notYet")}</p>
      )}
      <h2>{t("account.rewards.achievements")}</h2>
      {rewards.achievements.length ? (
        <ul>
          {rewards.achievements.map((a) => (
            <li key={a.id}>
              {label("account.achievement", a.id) === a.id ? a.title : label("account.achievement", a.id)} — {t("account.rewards.achievementPoints", { points: formatNumber(a.points), at: formatDate(a.at) })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("app.none")}</p>
      )}
      <h2>{t("account.rewards.ledger")}</h2>
      <Ledger key={rewards.ledger[0]?.entryId} first={rewards} />
    </>
  );
}

export function RewardsPage() {
  useLang();
  const rewards = useLoad(() => api.GET("/me/rewards", { params: { query: { limit: 20 } } }));
  return (
    <AccountLayout>
      <PageTitle title={t("account.rewards.title")} />
      <Show state={rewards}>{(data) => <RewardsView rewards={data} onBalance={rewards.reload} />}</Show>
    </AccountLayout>
  );
}
