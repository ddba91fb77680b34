import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { formatNumber, t } from "../i18n";
import { Link } from "../router";
import { Form, TextArea } from "../ui/form";
import { Badge, type Body, incidentTone, Loading, Outcome, Title, useAction, useLoad, When, word } from "./shared";

// One incident, followed live: the page asks again every 2 s while the runbook (or the recovery a
// resolve starts) is running, and stops once it has settled. Steps in runbook order with their
// counts and errors, the timeline, and the resolve form once the measures are in place.

type Incident = Body<"/admin/incidents/{incidentId}", "get">;
type Step = Incident["steps"][number];
const POLL_MS = 2_000;
const moving = (status: string) => status === "RUNNING" || status === "RESOLVING";

export function IncidentDetail({ incidentId }: { incidentId: string }) {
  const incident = useLoad(() => api.GET("/admin/incidents/{incidentId}", { params: { path: { incidentId } } }), [incidentId]);
  const status = incident.data?.status;
  useEffect(() => {
    if (!status || !moving(status) || incident.loading) return;
    const timer = setTimeout(incident.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [status, incident.loading, incident.data]);
  return (
    <>
      <p>
        <Link href="/console/incidents">← {t("console.incidents.back")}</Link>
      </p>
      <Loading state={incident}>
        {(i) => (
          <>
            <Title text={word("incidentType", i.type)}>
              {word("incidentType", i.type)}{" "}
              <Badge tone={incidentTone(i.status)}>
                <span role="status">{word("incidentStatus", i.status)}</span>
              </Badge>
            </Title>
            <p class="hint">{moving(i.status) ? t("console.incidents.live") : t("console.incidents.settled")}</p>
            <Facts incident={i} />
            <Steps title={t("console.incidents.steps")} steps={i.steps} />
            {i.resolution && <Steps title={t("console.incidents.recovery")} steps={i.resolution.steps} />}
            {(i.status === "MITIGATED" || i.status === "FAILED") && <Resolve incidentId={i.incidentId} onResolved={incident.reload} />}
            {i.resolution && (
              <section class="card" aria-labelledby="resolution">
                <h2 id="resolution">{t("console.incidents.resolution")}</h2>
                <p>{i.resolution.summary}</p>
              </section>
            )}
            <section class="card" aria-labelledby="timeline">
              <h2 id="timeline">{t("console.incidents.timeline")}</h2>
              <ol class="timeline">
                {i.timeline.map((e, n) => (
                  <li key={n}>
                    <div class="meta">
                      <When at={e.at} />
                    </div>
                    <div>
                      {word("incidentEvent", e.event)}
                      {e.step ? ` · ${word("step", e.step)}` : ""}
                      {e.detail ? ` · ${e.detail}` : ""}
                    </div>
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </Loading>
    </>
  );
}

function Facts({ incident: i }: { incident: Incident }) {
  return (
    <section class="card" aria-labelledby="facts">
      <h2 id="facts">{i.details.summary}</h2>
      <dl class="facts">
        <dt>{t("console.incidents.severity")}</dt>
        <dd>{word("severity", i.severity)}</dd>
        <dt>{t("console.incidents.requestedBy")}</dt>
        <dd>
          <code>{i.requestedBy}</code>
        </dd>
        <dt>{t("console.incidents.received")}</dt>
        <dd>
          <When at={i.receivedAt} />
        </dd>
        {i.mitigatedAt && (
          <>
            <dt>{t("console.incidents.mitigated")}</dt>
            <dd>
              <When at={i.mitigatedAt} />
            </dd>
          </>
        )}
        {i.authorityDeadline && (
          <>
            <dt>{t("console.incidents.authorityDeadline")}</dt>
            <dd>
              <When at={i.authorityDeadline} />
            </dd>
          </>
        )}
        <dt>{t("console.incidents.users")}</dt>
        <dd>{i.userIds.length > 0 ? i.userIds.map((id) => <code key={id}>{id} </code>) : "—"}</dd>
        {i.failure && (
          <>
            <dt>{t("console.incidents.failure")}</dt>
            <dd class="error">
              {word("step", i.failure.step)}: {i.failure.error}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Steps({ title, steps }: { title: string; steps: Step[] }) {
  const done = steps.filter((s) => s.status === "DONE").length;
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <progress max={steps.length || 1} value={done} aria-label={t("console.incidents.progress", { done, total: steps.length })} />
      <p>{t("console.incidents.progress", { done, total: steps.length })}</p>
      <table class="console-table">
        <caption class="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t("console.incidents.step")}</th>
            <th scope="col">{t("console.status")}</th>
            <th scope="col">{t("console.incidents.when")}</th>
            <th scope="col">{t("console.incidents.counts")}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.name}>
              <td>{word("step", s.name)}</td>
              <td>
                <Badge tone={incidentTone(s.status)}>{word("stepStatus", s.status)}</Badge>
                {s.failures > 0 && <span class="error"> {t("console.incidents.failures", { n: s.failures })}</span>}
                {s.lastError && <div class="error">{s.lastError}</div>}
              </td>
              <td>{s.at ? <When at={s.at} /> : "—"}</td>
              <td>
                {Object.entries(s.counts)
                  .map(([k, v]) => `${k} ${formatNumber(v)}`)
                  .join(", ") || "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Resolve({ incidentId, onResolved }: { incidentId: string; onResolved: () => void }) {
  const [summary, setSummary] = useState("");
  const [missing, setMissing] = useState(false);
  const action = useAction();
  const submit = async () => {
    if (summary.trim().length < 3) return setMissing(true);
    setMissing(false);
    const done = await action.run(() => api.POST("/admin/incidents/{incidentId}/resolve", { params: { path: { incidentId } }, body: { summary: summary.trim() } }));
    if (done) onResolved();
  };
  return (
    <section class="card" aria-labelledby="resolve">
      <h2 id="resolve">{t("console.incidents.resolve")}</h2>
      <Form onSubmit={submit} label={t("console.incidents.resolve")}>
        <Outcome problem={action.problem} />
        <p class="hint">{t("console.incidents.resolveHint")}</p>
        <TextArea label={t("console.incidents.resolveSummary")} name="summary" value={summary} onValue={setSummary} maxLength={2000} rows={3} error={missing ? t("console.reasonNeeded") : undefined} />
        <button type="submit" disabled={action.busy}>
          {t("console.incidents.resolveButton")}
        </button>
      </Form>
    </section>
  );
}
