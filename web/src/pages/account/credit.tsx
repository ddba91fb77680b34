import { api } from "../../api/client";
import { formatDate, formatNumber, t, useLang } from "../../i18n";
import { BarChart, LineChart } from "../../ui/charts";
import { AccountLayout, label, type Ok, PageTitle, Show, useLoad } from "./shared";

// /account/credit: the score and its tier, what each factor contributes, why it is not higher,
// what the tier gives or withholds, and how the score moved.

type Credit = Ok<"/me/credit", "get">;

const SCORE_MIN = 350;
const SCORE_MAX = 950;

function Effects({ credit }: { credit: Credit }) {
  if (credit.entitlements.length === 0 && credit.restrictions.length === 0) return <p>{t("account.credit.noEffects")}</p>;
  return (
    <ul>
      {credit.entitlements.map((e) => (
        <li key={e}>{label("account.entitlement", e)}</li>
      ))}
      {credit.restrictions.map((r) => (
        <li key={r} class="overdue">
          {label("account.restriction", r)}
        </li>
      ))}
    </ul>
  );
}

function CreditView({ credit }: { credit: Credit }) {
  const bars = credit.factors.map((f) => ({ label: t("account.credit.factorLabel", { name: label("account.factor", f.name), weight: Math.round(f.weight * 100) }), value: f.score }));
  // History comes newest first; the chart reads left to right in time.
  const history = [...credit.history].reverse().map((h) => ({ label: formatDate(h.at), value: h.score }));
  const reasons = credit.reasonCodes.map((r) => {
    const text = label("account.reason", r.code);
    return text === r.code ? r.text : text;
  });
  return (
    <>
      <dl class="facts">
        <dt>{t("account.credit.score")}</dt>
        <dd>
          <strong class="big">{formatNumber(credit.score)}</strong> <span class="hint">{t("account.credit.range", { min: SCORE_MIN, max: SCORE_MAX })}</span>
        </dd>
        <dt>{t("account.credit.tier")}</dt>
        <dd>
          <span class="badge">{label("account.tier", credit.tier)}</span>
        </dd>
        {credit.computedAt && (
          <>
            <dt>{t("account.credit.computedAt")}</dt>
            <dd>{formatDate(credit.computedAt)}</dd>
          </>
        )}
      </dl>
      <h2>{t("account.credit.factors")}</h2>
      <BarChart title={t("account.credit.factorsChart")} bars={bars} format={(n) => `${n} / 100`} />
      <h2>{t("account.credit.reasons")}</h2>
      {reasons.length ? (
        <ul>
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : (
        <p>{t("account.credit.noReasons")}</p>
      )}
      <h2>{t("account.credit.effects")}</h2>
      <Effects credit={credit} />
      <h2>{t("account.credit.history")}</h2>
      {history.length ? <LineChart title={t("account.credit.historyChart")} points={history} min={SCORE_MIN} max={SCORE_MAX} /> : <p>{t("account.credit.noHistory")}</p>}
    </>
  );
}

export function CreditPage() {
  useLang();
  const credit = useLoad(() => api.GET("/me/credit"));
  return (
    <AccountLayout>
      <PageTitle title={t("account.credit.title")} />
      <Show state={credit}>{(data) => <CreditView credit={data} />}</Show>
    </AccountLayout>
  );
}
