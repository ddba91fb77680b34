import type { ComponentChildren } from "preact";
import { api } from "../api/client";
import { LANGS, type Lang, setLang, t, useLang } from "../i18n";
import { Link, navigate, useLocation } from "../router";
import { isStaff, signOut, useSession } from "../session";

const LANG_NAMES: Record<Lang, string> = { en: "English", zh: "简体中文" };

/** Every page's frame: skip link, header with navigation and language, one main landmark. */
export function Layout({ children, nav }: { children: ComponentChildren; nav?: Array<[string, string]> }) {
  useLang();
  const current = useSession();
  const { path } = useLocation();
  const logout = async () => {
    await api.POST("/auth/logout", { body: {} }).catch(() => undefined);
    signOut("USER");
    navigate("/login");
  };
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <Link href={current ? "/account" : "/"} class="brand">
          {t("app.name")}
        </Link>
        <nav aria-label={t("app.account")}>
          {current ? (
            <>
              <Link href="/account">{t("app.account")}</Link>
              {isStaff(current) && <Link href="/console">{t("app.console")}</Link>}
              <button type="button" class="link" onClick={() => void logout()}>
                {t("app.signOut")}
              </button>
            </>
          ) : (
            <>
              <Link href="/login">{t("app.signIn")}</Link>
              <Link href="/register">{t("app.register")}</Link>
            </>
          )}
        </nav>
        <label class="lang">
          <span>{t("app.language")}</span>
          <select value={useLang()} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {LANGS.map((l) => (
              <option value={l} key={l}>
                {LANG_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div class={nav ? "with-nav" : ""}>
        {nav && (
          <nav class="side" aria-label={t("app.account")}>
            <ul>
              {nav.map(([href, label]) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? "page" : undefined}>
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
