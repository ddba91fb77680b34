import { useState } from "preact/hooks";
import { api } from "../api/client";
import { type FormErrors, noErrors } from "../api/problem";
import { t } from "../i18n";
import { useSession } from "../session";
import { Field, Form, Select, TextArea } from "../ui/form";
import { Outcome, useAction, word } from "./shared";
import type { StaffUser } from "./types";

// The changes staff make to a user, each audited with its reason (3–500 characters) and refused
// by the API on oneself (SELF_CHANGE): status (users:manage), level with its pin (levels:manage),
// single permissions granted or revoked (permissions:manage).

const reasonError = (reason: string) => (reason.trim().length < 3 ? t("console.reasonNeeded") : undefined);

function useReasonForm() {
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const action = useAction();
  const check = () => {
    const error = reasonError(reason);
    setErrors(error ? { fields: { reason: error } } : noErrors);
    return !error;
  };
  return { reason, setReason, errors, action, check };
}

export function StatusControl({ user, onChanged }: { user: StaffUser; onChanged: () => void }) {
  const form = useReasonForm();
  const next = user.status === "SUSPENDED" ? "ACTIVE" : user.status === "ACTIVE" ? "SUSPENDED" : undefined;
  if (!next) return null;
  const submit = async () => {
    if (!form.check()) return;
    const reason = form.reason.trim();
    const done = await form.action.run(
      () => api.POST("/admin/users/{userId}/status", { params: { path: { userId: user.userId } }, body: { status: next, reason } }),
      () => (next === "SUSPENDED" ? t("console.users.suspended") : t("console.users.restored")),
    );
    if (done) {
      form.setReason("");
      onChanged();
    }
  };
  const label = next === "SUSPENDED" ? t("console.users.suspend") : t("console.users.restore");
  return (
    <Form onSubmit={submit} label={label}>
      <Outcome problem={form.action.problem} done={form.action.done} />
      <p class="hint">{next === "SUSPENDED" ? t("console.users.suspendHint") : t("console.users.restoreHint")}</p>
      <TextArea label={t("console.reason")} name="reason" value={form.reason} onValue={form.setReason} maxLength={500} rows={2} error={form.errors.fields.reason} />
      <button type="submit" class={next === "SUSPENDED" ? "danger" : undefined} disabled={form.action.busy}>
        {label}
      </button>
    </Form>
  );
}

const LEVELS = ["NEWBIE", "ACTIVE", "ADVANCED"] as const;

export function LevelControl({ user, onChanged }: { user: StaffUser; onChanged: () => void }) {
  const form = useReasonForm();
  const [level, setLevel] = useState<string>(user.level === "ADMIN" ? "ADVANCED" : user.level);
  const [until, setUntil] = useState("");
  const submit = async () => {
    if (!form.check()) return;
    const pinnedUntil = until ? new Date(until).toISOString() : undefined;
    const done = await form.action.run(
      () =>
        api.POST("/admin/users/{userId}/level", {
          params: { path: { userId: user.userId } },
          body: { level: level as (typeof LEVELS)[number], reason: form.reason.trim(), ...(pinnedUntil ? { pinnedUntil } : {}) },
        }),
      () => t("console.users.levelSet"),
    );
    if (done) {
      form.setReason("");
      onChanged();
    }
  };
  return (
    <Form onSubmit={submit} label={t("console.users.setLevel")}>
      <Outcome problem={form.action.problem} done={form.action.done} />
      <Select label={t("console.users.newLevel")} name="level" value={level} onValue={setLevel} options={LEVELS.map((l): [string, string] => [l, word("level", l)])} />
      <Field label={t("console.users.pinUntil")} name="pinnedUntil" type="datetime-local" value={until} onValue={setUntil} hint={t("console.users.pinHint")} />
      <TextArea label={t("console.reason")} name="reason" value={form.reason} onValue={form.setReason} maxLength={500} rows={2} error={form.errors.fields.reason} />
      <button type="submit" disabled={form.action.busy}>
        {t("console.users.setLevel")}
      </button>
    </Form>
  );
}

export function PermissionControl({ user, onChanged }: { user: StaffUser; onChanged: () => void }) {
  const session = useSession();
  const form = useReasonForm();
  const [change, setChange] = useState<"grant" | "revoke">("grant");
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string>();
  // Names to suggest: what the API has shown us (the server refuses unknown ones with the list).
  const known = [...new Set([...(session?.permissions ?? []), ...user.permissions, ...Object.keys(user.withheld), ...user.grants, ...user.revokes])].sort();
  const submit = async () => {
    const okName = name.trim().length > 0;
    setNameError(okName ? undefined : t("app.required"));
    if (!form.check() || !okName) return;
    const reason = form.reason.trim();
    const body = change === "grant" ? { grant: [name.trim()], reason } : { revoke: [name.trim()], reason };
    const done = await form.action.run(
      () => api.POST("/admin/users/{userId}/permissions", { params: { path: { userId: user.userId } }, body }),
      () => (change === "grant" ? t("console.users.granted", { name: name.trim() }) : t("console.users.revoked", { name: name.trim() })),
    );
    if (done) {
      form.setReason("");
      setName("");
      onChanged();
    }
  };
  return (
    <section class="card" aria-labelledby="change-permissions">
      <h2 id="change-permissions">{t("console.users.changePermissions")}</h2>
      <Form onSubmit={submit} label={t("console.users.changePermissions")}>
        <Outcome problem={form.action.problem} done={form.action.done} />
        <Select label={t("console.users.change")} name="change" value={change} onValue={(v) => setChange(v === "revoke" ? "revoke" : "grant")} options={[["grant", t("console.users.grant")], ["revoke", t("console.users.revoke")]]} />
        <Field label={t("console.users.permission")} name="permission" value={name} onValue={setName} error={nameError} list="permission-names" autoComplete="off" maxLength={64} />
        <datalist id="permission-names">
          {known.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <TextArea label={t("console.reason")} name="reason" value={form.reason} onValue={form.setReason} maxLength={500} rows={2} error={form.errors.fields.reason} />
        <button type="submit" disabled={form.action.busy}>
          {change === "grant" ? t("console.users.grant") : t("console.users.revoke")}
        </button>
      </Form>
    </section>
  );
}
