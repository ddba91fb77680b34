import { api } from "../api/client";
import { t } from "../i18n";
import { Link } from "../router";
import { can, useSession } from "../session";
import { Badge, Loading, Title, useLoad, When, word } from "./shared";
import type { StaffUser } from "./types";
import { LevelControl, PermissionControl, StatusControl } from "./user-actions";
import { UserLists } from "./user-lists";
import { CreditPanel, Records } from "./user-records";

// One user for staff: the profile (contact details masked unless data:pii:read), level and pin,
// status, permissions with their sources, credit, rewards, sign-ins and the records about them.
// Each change is a control of its own, shown only with its route's permission.

export function UserDetail({ userId }: { userId: string }) {
  const session = useSession();
  const user = useLoad(() => api.GET("/admin/users/{userId}", { params: { path: { userId } } }), [userId]);
  return (
    <>
      <p>
        <Link href="/console/users">← {t("console.users.back")}</Link>
      </p>
      <Loading state={user}>
        {(u) => (
          <>
            <Title text={t("console.users.userTitle", { name: u.displayName })} />
            <Profile user={u} pii={can(session, "data:pii:read")} />
            <section class="card" aria-labelledby="status">
              <h2 id="status">{t("console.status")}</h2>
              <p>
                <Badge tone={u.status === "ACTIVE" ? "ok" : u.status === "SUSPENDED" ? "danger" : undefined}>{word("userStatus", u.status)}</Badge>
              </p>
              {can(session, "users:manage") && <StatusControl user={u} onChanged={user.reload} />}
            </section>
            <section class="card" aria-labelledby="level">
              <h2 id="level">{t("console.level")}</h2>
              <dl class="facts">
                <dt>{t("console.level")}</dt>
                <dd>{word("level", u.level)}</dd>
                <dt>{t("console.users.pin")}</dt>
                <dd>
                  {u.levelPin ? (
                    <>
                      {t("console.users.pinnedBy")} <code>{u.levelPin.by}</code>, <When at={u.levelPin.at} />
                      {u.levelPin.until ? (
                        <>
                          {" · "}
                          {t("console.users.pinnedUntil")} <When at={u.levelPin.until} />
                        </>
                      ) : (
                        ` · ${t("console.users.pinnedForGood")}`
                      )}
                    </>
                  ) : (
                    t("console.users.notPinned")
                  )}
                </dd>
              </dl>
              {can(session, "levels:manage") && <LevelControl user={u} onChanged={user.reload} />}
            </section>
            <Permissions user={u} />
            {can(session, "permissions:manage") && <PermissionControl user={u} onChanged={user.reload} />}
            <CreditPanel user={u} />
            <UserLists user={u} />
            <Records user={u} />
          </>
        )}
      </Loading>
    </>
  );
}

function Profile({ user: u, pii }: { user: StaffUser; pii: boolean }) {
  return (
    <section class="card" aria-labelledby="profile">
      <h2 id="profile">{t("console.users.profile")}</h2>
      <dl class="facts">
        <dt>{t("console.users.username")}</dt>
        <dd>{u.username}</dd>
        <dt>{t("console.users.userId")}</dt>
        <dd>
          <code>{u.userId}</code>
        </dd>
        <dt>{t("console.users.email")}</dt>
        <dd>{u.email ?? "—"}</dd>
        <dt>{t("console.users.phone")}</dt>
        <dd>{u.phone ?? "—"}</dd>
        <dt>{t("console.users.identity")}</dt>
        <dd>{word("identity", u.identityStatus)}</dd>
        <dt>{t("console.users.groups")}</dt>
        <dd>{u.groups.length > 0 ? u.groups.join(", ") : "—"}</dd>
        <dt>{t("console.users.created")}</dt>
        <dd>
          <When at={u.createdAt} />
        </dd>
        <dt>{t("console.users.lastLogin")}</dt>
        <dd>
          <When at={u.lastLoginAt} />
        </dd>
        <dt>{t("console.users.points")}</dt>
        <dd>{u.points}</dd>
        {u.lifecycle && (
          <>
            <dt>{t("console.users.lifecycle")}</dt>
            <dd>
              {word("stage", u.lifecycle.stage)}
              {u.lifecycle.churnRisk ? ` · ${t("console.users.churnRisk")}` : ""}
            </dd>
          </>
        )}
      </dl>
      <p class="hint">{pii ? t("console.users.piiShown") : t("console.users.piiMasked")}</p>
    </section>
  );
}

function Permissions({ user: u }: { user: StaffUser }) {
  const withheld = Object.entries(u.withheld);
  return (
    <section class="card" aria-labelledby="permissions">
      <h2 id="permissions">{t("console.users.permissions")}</h2>
      <table class="console-table">
        <caption class="sr-only">{t("console.users.permissions")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("console.users.permission")}</th>
            <th scope="col">{t("console.users.sources")}</th>
          </tr>
        </thead>
        <tbody>
          {u.permissions.map((p) => (
            <tr key={p}>
              <td>
                <code>{p}</code>
              </td>
              <td>{(u.permissionSources[p] ?? []).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {withheld.length > 0 && (
        <>
          <h3>{t("console.users.withheld")}</h3>
          <ul>
            {withheld.map(([p, by]) => (
              <li key={p}>
                <code>{p}</code> — {by.join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        {t("console.users.grants")}: {u.grants.length > 0 ? u.grants.join(", ") : "—"} · {t("console.users.revokes")}: {u.revokes.length > 0 ? u.revokes.join(", ") : "—"}
      </p>
    </section>
  );
}
