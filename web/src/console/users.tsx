import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t, useLang } from "../i18n";
import { Link, useLocation } from "../router";
import { can, useSession } from "../session";
import { Field, Form, Notice, Select } from "../ui/form";
import { UserDetail } from "./user-detail";
import { Badge, Loading, More, Title, useLoad, When, word } from "./shared";

// Users: find one by exact login (username, e-mail, phone), or list by status or by level
// (the API takes exactly one of the three); a user's page at /console/users?id=.

const STATUSES = ["ACTIVE", "SUSPENDED", "PENDING_VERIFICATION", "DELETED"] as const;
const LEVELS = ["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"] as const;
type Filter = { login: string } | { status: (typeof STATUSES)[number] } | { level: (typeof LEVELS)[number] };

export default function Users() {
  useLang();
  const { query } = useLocation();
  const id = query.get("id");
  return id ? <UserDetail userId={id} /> : <Search />;
}

function Search() {
  const session = useSession();
  const [login, setLogin] = useState("");
  const [status, setStatus] = useState("");
  const [level, setLevel] = useState("");
  const [filter, setFilter] = useState<Filter>({ status: "ACTIVE" });
  const [cursor, setCursor] = useState<string>();
  const [invalid, setInvalid] = useState<string>();
  const users = useLoad(() => api.GET("/admin/users", { params: { query: { ...filter, limit: 25, ...(cursor ? { cursor } : {}) } } }), [JSON.stringify(filter), cursor]);

  const search = () => {
    const given = [login.trim(), status, level].filter(Boolean).length;
    if (given !== 1) return setInvalid(t("console.users.oneFilter"));
    setInvalid(undefined);
    setCursor(undefined);
    if (login.trim()) setFilter({ login: login.trim() });
    else if (status) setFilter({ status: status as (typeof STATUSES)[number] });
    else setFilter({ level: level as (typeof LEVELS)[number] });
  };
  const any: [string, string] = ["", t("console.any")];

  return (
    <>
      <Title text={t("console.users.title")} />
      <p class="hint">{can(session, "data:pii:read") ? t("console.users.piiShown") : t("console.users.piiMasked")}</p>
      <Form onSubmit={search} label={t("console.users.search")}>
        <div class="console-filters">
          <Field label={t("console.users.login")} name="login" value={login} onValue={setLogin} maxLength={254} autoComplete="off" />
          <Select label={t("console.status")} name="status" value={status} onValue={setStatus} options={[any, ...STATUSES.map((s): [string, string] => [s, word("userStatus", s)])]} />
          <Select label={t("console.level")} name="level" value={level} onValue={setLevel} options={[any, ...LEVELS.map((l): [string, string] => [l, word("level", l)])]} />
          <button type="submit">{t("console.users.search")}</button>
        </div>
        {invalid && <Notice kind="error">{invalid}</Notice>}
      </Form>
      <Loading state={users}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("console.users.none")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption>{t("console.users.results")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.users.username")}</th>
                    <th scope="col">{t("console.users.email")}</th>
                    <th scope="col">{t("console.users.phone")}</th>
                    <th scope="col">{t("console.status")}</th>
                    <th scope="col">{t("console.level")}</th>
                    <th scope="col">{t("console.users.credit")}</th>
                    <th scope="col">{t("console.users.created")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((u) => (
                    <tr key={u.userId}>
                      <td>
                        <Link href={`/console/users?id=${encodeURIComponent(u.userId)}`}>{u.username}</Link>
                        {u.groups.length > 0 && <span class="hint"> ({u.groups.join(", ")})</span>}
                      </td>
                      <td>{u.email ?? "—"}</td>
                      <td>{u.phone ?? "—"}</td>
                      <td>
                        <Badge tone={u.status === "ACTIVE" ? "ok" : u.status === "SUSPENDED" ? "danger" : undefined}>{word("userStatus", u.status)}</Badge>
                      </td>
                      <td>{word("level", u.level)}</td>
                      <td>
                        {u.credit.score ?? "—"} {u.credit.tier ? word("tier", u.credit.tier) : ""}
                      </td>
                      <td>
                        <When at={u.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More cursor={page.nextCursor} onMore={setCursor} busy={users.loading} />
            </>
          )
        }
      </Loading>
    </>
  );
}

