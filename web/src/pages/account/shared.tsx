import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { asProblem, type Problem, problemMessage } from "../../api/problem";
import type { paths } from "../../api/schema";
import { type MessageKey, t, useLang } from "../../i18n";
import { Notice } from "../../ui/form";
import { Layout } from "../../ui/layout";

// What the account pages share: their frame with the side navigation, the heading that takes the
// focus when a page opens, notices that take the focus after an action, loading a GET on open, and
// the response types of the generated API schema.

type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
/** The JSON body of a success of an operation (status 200 unless given). */
export type Ok<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = JsonOf<Responses<P, M>[S & keyof Responses<P, M>]>;

const NAV: Array<[string, MessageKey]> = [
  ["/account", "account.nav.profile"],
  ["/account/security", "account.nav.security"],
  ["/account/activity", "account.nav.activity"],
  ["/account/credit", "account.nav.credit"],
  ["/account/documents", "account.nav.documents"],
  ["/account/rewards", "account.nav.rewards"],
  ["/account/complaints", "account.nav.complaints"],
  ["/account/privacy", "account.nav.privacy"],
];

/** The frame of every account page: the site header and the side navigation of these pages. */
export function AccountLayout({ children }: { children: ComponentChildren }) {
  useLang();
  return <Layout nav={NAV.map(([href, key]) => [href, t(key)])}>{children}</Layout>;
}

/** The page's heading: it takes the focus when the page opens (a new page is announced), and names the tab. */
export function PageTitle({ title }: { title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {title}
    </h1>
  );
}

export interface Outcome {
  kind: "error" | "success" | "info";
  text: ComponentChildren;
  /** Changes on each action, so a repeated message takes the focus again. */
  at: number;
}

export const outcome = (kind: Outcome["kind"], text: ComponentChildren): Outcome => ({ kind, text, at: Date.now() });

/** The result of an action, announced and focused (keyboard and screen-reader users land on it). */
export function Announce({ result }: { result: Outcome | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) ref.current?.focus();
  }, [result?.at]);
  if (!result) return null;
  return (
    <div ref={ref} tabIndex={-1} class="announce">
      <Notice kind={result.kind}>{result.text}</Notice>
    </div>
  );
}

/** After a failed submit: the first field marked invalid takes the focus (errors sit beside fields). */
export function focusFirstInvalid() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>("main [aria-invalid='true']")?.focus());
}

interface Loaded<T> {
  data?: T;
  problem?: Problem;
  loading: boolean;
}

type Fetched<T> = { data?: T; error?: unknown; response: Response };

/** A GET made when the page opens (and again on reload() or when `deps` change). */
export function useLoad<T>(fetcher: () => Promise<Fetched<T>>, deps: unknown[] = []): Loaded<T> & { reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fetcher()
      .then(({ data, error, response }) => {
        if (!live) return;
        setState(error !== undefined || data === undefined ? { loading: false, problem: asProblem(error, response.status) } : { loading: false, data });
      })
      .catch(() => live && setState({ loading: false, problem: asProblem(undefined) }));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1), set: (data: T) => setState({ loading: false, data }) };
}

/** Loading, the problem of a failed GET, or the page's content once there. */
export function Show<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.problem) return <Notice kind="error">{problemMessage(state.problem)}</Notice>;
  return <p class="loading">{t("app.loading")}</p>;
}

/** A message key built from an API value, if the dictionary has it; else the value itself. */
export function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const text = t(key);
  return text === key ? value : text;
}

/**
 * A listing shown a page at a time: the first page came with the page's GET, *More* fetches the
 * next one with its cursor. A failure is announced; the rows already shown stay.
 */
export function usePages<T>(first: { items: T[]; nextCursor: string | null }, fetchPage: (cursor: string) => Promise<Fetched<{ items: T[]; nextCursor: string | null }>>) {
  const [items, setItems] = useState<T[]>(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [result, setResult] = useState<Outcome>();
  const more = async () => {
    if (!cursor) return;
    const { data, error, response } = await fetchPage(cursor);
    if (!data) return setResult(outcome("error", problemMessage(asProblem(error, response.status))));
    setItems((shown) => [...shown, ...data.items]);
    setCursor(data.nextCursor);
  };
  const footer = (
    <>
      <Announce result={result} />
      {cursor && (
        <p>
          <button type="button" class="secondary" onClick={() => void more()}>
            {t("account.more")}
          </button>
        </p>
      )}
    </>
  );
  return { items, footer };
}
