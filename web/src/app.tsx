import type { ComponentType } from "preact";
import { lazy, Suspense } from "preact/compat";
import { t, useLang } from "./i18n";
import { navigate, useLocation } from "./router";
import { isStaff, useSession } from "./session";
import { Layout } from "./ui/layout";
import { accountRoutes, publicRoutes } from "./pages/routes";

// Which page a path shows. Public pages load with the app; the account pages and the console are
// chunks of their own, fetched when first opened, so the first page stays small.

const ConsoleApp = lazy(() => import("./console/app"));

function NotFound() {
  return (
    <Layout>
      <h1>{t("app.notFound")}</h1>
    </Layout>
  );
}

function Redirect({ to }: { to: string }) {
  queueMicrotask(() => navigate(to, { replace: true }));
  return null;
}

export function App() {
  useLang();
  const { path } = useLocation();
  const current = useSession();
  const loading = <p class="loading">{t("app.loading")}</p>;

  if (path === "/") return <Redirect to={current ? "/account" : "/login"} />;
  const publicPage = publicRoutes[path] as ComponentType | undefined;
  if (publicPage) {
    const Page = publicPage;
    return <Page />;
  }
  if (path === "/account" || path.startsWith("/account/")) {
    if (!current) return <Redirect to={`/login?next=${encodeURIComponent(path)}`} />;
    const Page = accountRoutes[path] as ComponentType | undefined;
    return Page ? (
      <Suspense fallback={loading}>
        <Page />
      </Suspense>
    ) : (
      <NotFound />
    );
  }
  if (path === "/console" || path.startsWith("/console/")) {
    if (!current) return <Redirect to={`/login?next=${encodeURIComponent(path)}`} />;
    if (!isStaff(current)) return <NotFound />;
    return (
      <Suspense fallback={loading}>
        <ConsoleApp path={path} />
      </Suspense>
    );
  }
  return <NotFound />;
}
