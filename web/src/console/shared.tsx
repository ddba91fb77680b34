import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { FetchResponse } from "openapi-fetch";
import type { paths } from "../api/schema";
import { asProblem, type Problem, problemMessage } from "../api/problem";
import { formatDate, type MessageKey, t } from "../i18n";
import { Link, navigate } from "../router";
import { Notice } from "../ui/form";

// What every console section shares: loading an API call into state, showing a problem, dates,
// SLA timers, badges and "who did it" links. The API decides every call; these only show.

/** The JSON body a route answers with when it succeeds, as the client hands it over. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends Record<string | number, unknown> ? NonNullable<FetchResponse<paths[P][M], object, "application/json">["data"]> : never;
/** The JSON body a route takes. */
export type Input<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export const ENROL_PATH = "/account/security?required=1";

/** Staff who must enrol two-factor sign-in first: every staff route answers MFA_REQUIRED until they do. */
export function followProblem(problem: Problem) {
  if (problem.code === "MFA_REQUIRED") navigate(ENROL_PATH, { replace: true });
}

type Call<T> = () => Promise<{ data?: T; error?: unknown; response: Response }>;

export interface Loaded<T> {
  data?: T;
  problem?: Problem;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload()), keeping the last answer while the next one loads. */
export function useLoad<T>(load: Call<T> | null, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({ loading: load !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!load) return setState({ loading: false });
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then(({ data, error, response }) => {
        if (!live) return;
        if (error !== undefined || !response.ok) {
          const problem = asProblem(error, response.status);
          followProblem(problem);
          setState({ problem, loading: false });
        } else setState({ data, loading: false });
      })
      .catch(() => live && setState({ problem: asProblem(undefined, 0), loading: false }));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export interface Result<T> {
  data?: T;
  problem?: Problem;
}

/** Runs a change (POST): the answer or the problem, with MFA_REQUIRED sent to enrolment. */
export async function send<T>(call: Call<T>): Promise<Result<T>> {
  try {
    const { data, error, response } = await call();
    if (error === undefined && response.ok) return { data };
    const problem = asProblem(error, response.status);
    followProblem(problem);
    return { problem };
  } catch {
    return { problem: asProblem(undefined, 0) };
  }
}

/** A busy flag, the last problem and a success message around one change. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const run = async <T,>(call: Call<T>, success?: (data: T) => string | undefined): Promise<T | undefined> => {
    setBusy(true);
    setDone(undefined);
    const out = await send(call);
    setBusy(false);
    setProblem(out.problem);
    if (out.problem || out.data === undefined) return undefined;
    setDone(success?.(out.data));
    return out.data;
  };
  return { busy, problem, done, run, clear: () => (setProblem(undefined), setDone(undefined)) };
}

/** The problem in words, or the success message. */
export function Outcome({ problem, done }: { problem?: Problem | undefined; done?: string | undefined }) {
  if (problem) return <ProblemNotice problem={problem} />;
  return done ? <Notice kind="success">{done}</Notice> : null;
}

export function ProblemNotice({ problem }: { problem: Problem }) {
  const words = problem.status === 403 && problem.code === "FORBIDDEN" ? t("console.forbidden") : problemMessage(problem);
  return (
    <Notice kind="error">
      {words} {problem.code !== "UNKNOWN" && <span class="hint">({problem.code})</span>}
    </Notice>
  );
}

/** The page's heading: it takes the focus when the page opens (so the change is announced) and names the tab. */
export function Title({ text, children }: { text: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  useEffect(() => {
    document.title = `${text} · ${t("app.console")}`;
  }, [text]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children ?? text}
    </h1>
  );
}

/** Loading, a problem, or the content once the data is there. */
export function Loading<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (state.problem && state.data === undefined) return <ProblemNotice problem={state.problem} />;
  if (state.data === undefined) return <p class="loading">{t("app.loading")}</p>;
  return <>{children(state.data)}</>;
}

/** A list of records as `<ul>`, or "Nothing yet." when there are none. */
export function ItemList<T>({ items, keyOf, children }: { items: T[]; keyOf: (item: T) => string; children: (item: T) => ComponentChildren }) {
  if (items.length === 0) return <p>{t("app.none")}</p>;
  return (
    <ul>
      {items.map((item) => (
        <li key={keyOf(item)}>{children(item)}</li>
      ))}
    </ul>
  );
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span>{t("console.never")}</span>;
  return <time dateTime={at}>{formatDate(at)}</time>;
}

/** An enumerated value in words (`console.<group>.<VALUE>`), the raw value when we have none. */
export function word(group: string, value: string | undefined | null): string {
  if (!value) return "";
  const key = `console.${group}.${value}` as MessageKey;
  const text = t(key);
  return text === key ? value : text;
}

export function Badge({ children, tone }: { children: ComponentChildren; tone?: "ok" | "warn" | "danger" | undefined }) {
  return <span class={`badge${tone ? ` tone-${tone}` : ""}`}>{children}</span>;
}

export const priorityTone = (p: string) => (p === "URGENT" ? "danger" : p === "HIGH" ? "warn" : undefined);

export const incidentTone = (s: string) => (s === "RESOLVED" || s === "MITIGATED" || s === "DONE" ? "ok" : s === "FAILED" ? "danger" : "warn");

/** Minutes between now and `at`, as "2 d 3 h", "4 h 5 min" or "7 min". */
export function span(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t("console.span.dh", { d, h });
  if (h > 0) return t("console.span.hm", { h, m });
  return t("console.span.m", { m });
}

/** Re-renders every `ms` (for timers). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** An SLA deadline: time left, or overdue (highlighted, in words, not by colour alone). */
export function DueTimer({ at, label }: { at: string | undefined; label?: string }) {
  const now = useNow();
  if (!at) return <span>—</span>;
  const left = Date.parse(at) - now;
  const text = left >= 0 ? t("console.due.in", { span: span(left) }) : t("console.due.overdue", { span: span(left) });
  return (
    <span class={left < 0 ? "overdue" : undefined} title={formatDate(at)}>
      {label ? `${label}: ` : ""}
      {text}
    </span>
  );
}

/** A user id that opens the user's page where the session may (Users section), else plain. */
export function UserRef({ id, linked }: { id: string | undefined; linked: boolean }) {
  if (!id) return <span>—</span>;
  const short = id.length > 14 ? `${id.slice(0, 8)}…` : id;
  return linked ? (
    <Link href={`/console/users?id=${encodeURIComponent(id)}`} title={id}>
      {short}
    </Link>
  ) : (
    <code title={id}>{short}</code>
  );
}

/** Asks the API again (lists change while a page is open). */
export function Refresh({ onRefresh, busy }: { onRefresh: () => void; busy?: boolean }) {
  return (
    <button type="button" class="secondary" disabled={busy} onClick={onRefresh}>
      {t("console.refresh")}
    </button>
  );
}

/** "Load more" for a listing with a nextCursor. */
export function More({ cursor, onMore, busy }: { cursor: string | null | undefined; onMore: (cursor: string) => void; busy?: boolean }) {
  if (!cursor) return null;
  return (
    <p>
      <button type="button" class="secondary" disabled={busy} onClick={() => onMore(cursor)}>
        {t("console.more")}
      </button>
    </p>
  );
}

/** A fresh key for a request that may be retried (Idempotency-Key): the same key means the same request. */
export const newRequestKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
