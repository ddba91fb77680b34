import { api } from "../api/client";
import { formatNumber, t, useLang } from "../i18n";
import { BarChart, LineChart } from "../ui/charts";
import { Loading, Title, useLoad, When, word } from "./shared";

// Analytics (analytics:read): the aggregates kept by the stream counters, as charts (each with its
// numbers in a table for screen readers): users by level, credit tier and lifecycle stage, and
// verified registrations per day over 30 days.

const bars = (group: string, counts: Record<string, number>) => Object.entries(counts).map(([k, v]) => ({ label: word(group, k), value: v }));

export default function Analytics() {
  useLang();
  const report = useLoad(() => api.GET("/admin/analytics"), []);
  return (
    <>
      <Title text={t("console.analytics.title")} />
      <Loading state={report}>
        {(r) => (
          <>
            <dl class="facts card">
              <dt>{t("console.analytics.users")}</dt>
              <dd>{formatNumber(r.users)}</dd>
              <dt>{t("console.analytics.churnRisk")}</dt>
              <dd>{formatNumber(r.churnRisk)}</dd>
              <dt>{t("console.analytics.feedback")}</dt>
              <dd>{r.feedbackRatings.average === null ? "—" : t("console.analytics.rating", { average: r.feedbackRatings.average.toFixed(2), total: r.feedbackRatings.total })}</dd>
              <dt>{t("console.analytics.generated")}</dt>
              <dd>
                <When at={r.generatedAt} />
              </dd>
            </dl>
            <div class="charts">
              <BarChart title={t("console.analytics.byLevel")} bars={bars("level", r.byLevel)} format={formatNumber} />
              <BarChart title={t("console.analytics.byTier")} bars={bars("tier", r.byTier)} format={formatNumber} />
              <BarChart title={t("console.analytics.byLifecycle")} bars={bars("stage", r.byLifecycle)} format={formatNumber} />
            </div>
            <LineChart title={t("console.analytics.registrations")} points={r.registrationsPerDay.map((d) => ({ label: d.date, value: d.count }))} min={0} />
          </>
        )}
      </Loading>
    </>
  );
}
