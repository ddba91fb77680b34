import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t } from "../i18n";
import { Form, Notice, Select, TextArea } from "../ui/form";
import { useMe } from "./me";
import { type Input, Outcome, useAction, word } from "./shared";
import type { StaffComplaint } from "./types";

// Every transition the process allows now (the API's legalActions for this staff member's roles),
// each a form with the fields it needs and the staff note. Four eyes: the member who proposed a
// resolution sees its approval disabled, with why; the API refuses it too (403 SELF_APPROVAL).

type Transition = Input<"/admin/complaints/{complaintId}/transition", "post">;
type Action = Transition["action"];

const CATEGORIES = ["PRODUCT", "SERVICE", "LOGISTICS", "PAYMENT", "SAFETY", "OTHER"] as const satisfies readonly NonNullable<Transition["category"]>[];
const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const satisfies readonly NonNullable<Transition["priority"]>[];
const OUTCOMES = ["UPHELD", "PARTIALLY_UPHELD", "NOT_UPHELD"] as const satisfies readonly NonNullable<Transition["outcome"]>[];

export function ComplaintActions({ complaint, onChanged }: { complaint: StaffComplaint; onChanged: () => void }) {
  const [done, setDone] = useState<string>();
  if (complaint.legalActions.length === 0) {
    return (
      <section class="card" aria-labelledby="actions">
        <h2 id="actions">{t("console.complaints.actions")}</h2>
        <p>{t("console.complaints.noActions")}</p>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="actions">
      <h2 id="actions">{t("console.complaints.actions")}</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <div class="actions">
        {complaint.legalActions.map((action) => (
          <ActionForm
            key={`${action}-${complaint.version}`}
            complaint={complaint}
            action={action}
            onDone={(status) => {
              setDone(t("console.complaints.moved", { action: word("transition", action), status: word("complaintStatus", status) }));
              onChanged();
            }}
          />
        ))}
      </div>
    </section>
  );
}

function ActionForm({ complaint: c, action, onDone }: { complaint: StaffComplaint; action: Action; onDone: (status: string) => void }) {
  const me = useMe();
  const [note, setNote] = useState("");
  const [category, setCategory] = useState<string>(c.category);
  const [priority, setPriority] = useState<string>(c.priority);
  const [resolution, setResolution] = useState("");
  const [outcome, setOutcome] = useState<string>("UPHELD");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = useAction();
  const ownProposal = action === "APPROVE_RESOLUTION" && !!me && c.proposal?.proposedBy === me.userId;
  const label = word("transition", action);

  const submit = async () => {
    const missing: Record<string, string> = {};
    if (note.trim().length < 3) missing.note = t("console.reasonNeeded");
    if (action === "PROPOSE_RESOLUTION" && !resolution.trim()) missing.resolution = t("app.required");
    if (action === "REJECT" && reason.trim().length < 3) missing.reason = t("console.reasonNeeded");
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const body: Transition = {
      action,
      note: note.trim(),
      expectedVersion: c.version,
      ...(action === "CLASSIFY" ? { category: category as Transition["category"], priority: priority as Transition["priority"] } : {}),
      ...(action === "PROPOSE_RESOLUTION" ? { resolution: resolution.trim(), outcome: outcome as Transition["outcome"] } : {}),
      ...(action === "REJECT" ? { reason: reason.trim() } : {}),
    };
    const data = await run.run(() => api.POST("/admin/complaints/{complaintId}/transition", { params: { path: { complaintId: c.complaintId } }, body }));
    if (data) onDone(data.status);
  };

  const explainId = `explain-${action}`;
  return (
    <Form onSubmit={submit} label={label}>
      <h3>{label}</h3>
      <Outcome problem={run.problem} />
      {action === "CLASSIFY" && (
        <>
          <Select label={t("console.complaints.category")} name="category" value={category} onValue={setCategory} options={CATEGORIES.map((v): [string, string] => [v, word("category", v)])} />
          <Select label={t("console.complaints.priority")} name="priority" value={priority} onValue={setPriority} options={PRIORITIES.map((v): [string, string] => [v, word("priority", v)])} />
        </>
      )}
      {action === "PROPOSE_RESOLUTION" && (
        <>
          <TextArea label={t("console.complaints.resolutionText")} name="resolution" value={resolution} onValue={setResolution} maxLength={2000} rows={3} error={errors.resolution} />
          <Select label={t("console.complaints.outcome")} name="outcome" value={outcome} onValue={setOutcome} options={OUTCOMES.map((v): [string, string] => [v, word("outcome", v)])} />
        </>
      )}
      {action === "REJECT" && <TextArea label={t("console.complaints.rejectReason")} name="reason" value={reason} onValue={setReason} maxLength={500} rows={2} error={errors.reason} />}
      {!ownProposal && <TextArea label={t("console.complaints.note")} name="note" value={note} onValue={setNote} maxLength={500} rows={2} error={errors.note} />}
      {ownProposal && (
        <p class="explain" id={explainId}>
          {t("console.complaints.needsSecondPerson")}
        </p>
      )}
      <button type="submit" class={action === "REJECT" ? "danger" : undefined} disabled={run.busy || ownProposal} aria-describedby={ownProposal ? explainId : undefined}>
        {label}
      </button>
    </Form>
  );
}
