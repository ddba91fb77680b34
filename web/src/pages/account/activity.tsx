import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { asProblem, problemMessage } from "../../api/problem";
import { formatDate, t, useLang } from "../../i18n";
import { navigate } from "../../router";
import { signOut } from "../../session";
import { AccountLayout, Announce, type Ok, type Outcome, outcome, PageTitle, Show, useLoad, usePages } from "./shared";

// /account/activity: the sign-ins of the account, newest first (a page at a time), and signing
// out of every device at once.

type Activity = Ok<"/me/activity", "get">;
type Sign = Activity["items"][number];

/** A short name for a browser's user agent (the full string is in the cell's title). */
function device(userAgent: string): string {
  const browser = /(Edg|OPR|Firefox|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1]?.replace("Edg", "Edge").replace("OPR", "Opera");
  const system = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent)?.[1]?.replace("Mac OS X", "macOS");
  return [browser, system].filter(Boolean).join(" · ") || userAgent.slice(0, 60) || t("account.activity.unknownDevice");
}

function SignIns({ first }: { first: Activity }) {
  const { items, footer } = usePages<Sign>(first, (cursor) => api.GET("/me/activity", { params: { query: { limit: 20, cursor } } }));
  if (items.length === 0) return <p>{t("app.none")}</p>;
  return (
    <>
      <table>
        <caption class="sr-only">{t("account.activity.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account.activity.at")}</th>
            <th scope="col">{t("account.activity.device")}</th>
            <th scope="col">{t("account.activity.ip")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={`${s.at}-${s.ip}`}>
              <td>{formatDate(s.at)}</td>
              <td title={s.userAgent}>
                {device(s.userAgent)} {s.newDevice && <span class="badge">{t("account.activity.newDevice")}</span>}
              </td>
              <td>{s.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </>
  );
}

export function ActivityPage() {
  useLang();
  const activity = useLoad(() => api.GET("/me/activity", { params: { query: { limit: 20 } } }));
  const [result, setResult] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const everywhere = async () => {
    setBusy(true);
    const { error, response } = await api.POST("/auth/logout", { body: { allDevices: true } });
    setBusy(false);
    if (!response.ok) return setResult(outcome("error", problemMessage(asProblem(error, response.status))));
    navigate("/login", { replace: true });
    signOut("USER");
  };
  return (
    <AccountLayout>
      <PageTitle title={t("account.activity.title")} />
      <p>{t("account.activity.intro")}</p>
      <Show state={activity}>{(data) => <SignIns first={data} />}</Show>
      <h2>{t("account.activity.everywhere")}</h2>
      <p>{t("account.activity.everywhereHint")}</p>
      <Announce result={result} />
      <button type="button" class="danger" onClick={() => void everywhere()} disabled={busy}>
        {t("account.activity.everywhere")}
      </button>
    </AccountLayout>
  );
}
