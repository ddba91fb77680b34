import type { ComponentType } from "preact";
import { lazy, Suspense } from "preact/compat";
import { useEffect } from "preact/hooks";
import { t, useLang } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";
import { Layout } from "../ui/layout";
import "./console.css";
import { loadMe, useMe, useMeFailed } from "./me";
import { allowedSections, type SectionId, sectionOf } from "./sections";
import { ENROL_PATH } from "./shared";

// The staff console (its own chunk; each section is a chunk of its own too): a side nav of the
// sections the session's permissions allow, /console landing on the first of them. Staff without
// two-factor sign-in are sent to enrolment before anything else.

const PAGES: Record<SectionId, ComponentType> = {
  reviews: lazy(() => import("./reviews")),
  users: lazy(() => import("./users")),
  complaints: lazy(() => import("./complaints")),
  rewards: lazy(() => import("./rewards")),
  incidents: lazy(() => import("./incidents")),
  audit: lazy(() => import("./audit")),
  analytics: lazy(() => import("./analytics")),
};

export default function ConsoleApp({ path }: { path: string }) {
  useLang();
  const session = useSession();
  const me = useMe();
  const failed = useMeFailed();
  useEffect(() => {
    if (session) void loadMe(session);
  }, [session?.username]);
  useEffect(() => {
    if (me && !me.mfaEnabled) navigate(ENROL_PATH, { replace: true });
  }, [me]);

  const allowed = allowedSections(session);
  const first = allowed[0];
  const landing = path === "/console" || path === "/console/";
  useEffect(() => {
    if (landing && first && me?.mfaEnabled) navigate(first.path, { replace: true });
  }, [landing, first?.path, me?.mfaEnabled]);

  const nav = allowed.map((s): [string, string] => [s.path, t(s.label)]);
  if (!me || !me.mfaEnabled || (landing && first)) {
    return (
      <Layout nav={nav}>
        <h1>{t("app.console")}</h1>
        {failed && session ? (
          <p>
            {t("app.error")}{" "}
            <button type="button" class="link" onClick={() => void loadMe(session)}>
              {t("console.retry")}
            </button>
          </p>
        ) : (
          <p class="loading">{t("app.loading")}</p>
        )}
      </Layout>
    );
  }
  const section = sectionOf(path);
  if (!section || !allowed.includes(section)) {
    return (
      <Layout nav={nav}>
        <h1>{t("app.notFound")}</h1>
        <p>{allowed.length > 0 ? t("console.notAvailable") : t("console.noSections")}</p>
      </Layout>
    );
  }
  const Page = PAGES[section.id];
  return (
    <Layout nav={nav}>
      <Suspense fallback={<p class="loading">{t("app.loading")}</p>}>
        <Page />
      </Suspense>
    </Layout>
  );
}
