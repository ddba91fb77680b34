import { type AnalyticsReport, reportOf } from "#lib/analytics/counts";
import { readAnalytics } from "#lib/data/analytics";

const DAYS = 30;

/**
 * GET /admin/analytics: the counters' shards (and the registrations of the months the last 30
 * days touch), one BatchGetItem of at most 48 keys, summed. No scan, whatever the number of users.
 */
export async function analyticsReport(now = new Date()): Promise<AnalyticsReport> {
  const first = new Date(now.getTime() - (DAYS - 1) * 86_400_000);
  const months = [...new Set([first.toISOString().slice(0, 7), now.toISOString().slice(0, 7)])];
  const { totals, days } = await readAnalytics(months);
  return reportOf(totals, days, now, DAYS);
}
