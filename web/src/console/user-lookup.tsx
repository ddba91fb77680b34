import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t } from "../i18n";
import { can, useSession } from "../session";
import { Field } from "../ui/form";
import { useAction } from "./shared";

// Staff name users by id in the API; a login (username, e-mail or phone) is what they are told.
// This finds the id of an exact login (GET /admin/users?login=, users:read) for a form.

export function UserLookup({ onFound }: { onFound: (userId: string) => void }) {
  const session = useSession();
  const [login, setLogin] = useState("");
  const [error, setError] = useState<string>();
  const lookup = useAction();
  if (!can(session, "users:read")) return null;
  const find = async () => {
    if (!login.trim()) return setError(t("app.required"));
    const page = await lookup.run(() => api.GET("/admin/users", { params: { query: { login: login.trim() } } }));
    const found = page?.items[0];
    if (found) {
      setError(undefined);
      setLogin("");
      onFound(found.userId);
    } else setError(page ? t("console.lookup.none") : t("app.error"));
  };
  return (
    <div class="row lookup">
      <Field
        label={t("console.lookup.label")}
        name="lookup"
        value={login}
        onValue={setLogin}
        error={error}
        autoComplete="off"
        maxLength={254}
        onKeyDown={(e) => {
          // Enter finds the user; it does not send the form this sits in.
          if (e.key === "Enter") {
            e.preventDefault();
            void find();
          }
        }}
      />
      <button type="button" class="secondary" disabled={lookup.busy} onClick={() => void find()}>
        {t("console.lookup.find")}
      </button>
    </div>
  );
}
