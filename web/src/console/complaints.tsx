import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t, useLang } from "../i18n";
import { Link, useLocation } from "../router";
import { useSession } from "../session";
import { Field, Form, Select } from "../ui/form";
import { ComplaintDetail } from "./complaint-detail";
import { mayOpenUsers } from "./sections";
import { Badge, DueTimer, Loading, More, priorityTone, Refresh, Title, useLoad, UserRef, When, word } from "./shared";

// Complaint queues: one per status, the most urgent first, then the oldest (the API's order),
// each with its next SLA deadline (overdue ones highlighted); or the complaint of a ticket number.
// One case at /console/complaints?id=.

const STATUSES = ["RECEIVED", "CLASSIFIED", "MEDIATION", "INVESTIGATING", "RESOLUTION_PROPOSED", "RESOLUTION_APPROVED", "RESOLVED", "CLOSED", "REJECTED"] as const;
type Status = (typeof STATUSES)[number];

export default function Complaints() {
  useLang();
  const { query } = useLocation();
  const id = query.get("id");
  return id ? <ComplaintDetail complaintId={id} /> : <Queue initial={(query.get("status") as Status | null) ?? "RECEIVED"} />;
}

function Queue({ initial }: { initial: Status }) {
  const session = useSession();
  const [status, setStatus] = useState<Status>(STATUSES.includes(initial) ? initial : "RECEIVED");
  const [ticket, setTicket] = useState("");
  const [ticketNo, setTicketNo] = useState<string>();
  const [cursor, setCursor] = useState<string>();
  const queue = useLoad(
    () => api.GET("/admin/complaints", { params: { query: ticketNo ? { ticketNo } : { status, limit: 25, ...(cursor ? { cursor } : {}) } } }),
    [status, ticketNo, cursor],
  );
  const linkUsers = mayOpenUsers(session);
  return (
    <>
      <Title text={t("console.complaints.title")} />
      <Form onSubmit={() => (setCursor(undefined), setTicketNo(ticket.trim() || undefined))} label={t("console.filters")}>
        <div class="console-filters">
          <Select
            label={t("console.complaints.queue")}
            name="status"
            value={status}
            onValue={(v) => {
              setCursor(undefined);
              setTicketNo(undefined);
              setTicket("");
              setStatus(v as Status);
            }}
            options={STATUSES.map((s): [string, string] => [s, word("complaintStatus", s)])}
          />
          <Field label={t("console.complaints.ticket")} name="ticketNo" value={ticket} onValue={setTicket} placeholder="C-20261202-0042" maxLength={16} autoComplete="off" />
          <button type="submit">{t("console.complaints.find")}</button>
          <Refresh onRefresh={queue.reload} busy={queue.loading} />
        </div>
      </Form>
      <Loading state={queue}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("console.complaints.empty")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption>{ticketNo ? ticketNo : t("console.complaints.caption", { status: word("complaintStatus", status) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.complaints.ticket")}</th>
                    <th scope="col">{t("console.complaints.priority")}</th>
                    <th scope="col">{t("console.complaints.subject")}</th>
                    <th scope="col">{t("console.complaints.category")}</th>
                    <th scope="col">{t("console.complaints.complainant")}</th>
                    <th scope="col">{t("console.complaints.filed")}</th>
                    <th scope="col">{t("console.complaints.sla")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr key={c.complaintId}>
                      <td>
                        <Link href={`/console/complaints?id=${c.complaintId}`}>{c.ticketNo}</Link>
                        {c.dispute && (
                          <>
                            {" "}
                            <Badge>{t("console.complaints.dispute")}</Badge>
                          </>
                        )}
                      </td>
                      <td>
                        <Badge tone={priorityTone(c.priority)}>{word("priority", c.priority)}</Badge>
                      </td>
                      <td>{c.subject}</td>
                      <td>{word("category", c.category)}</td>
                      <td>
                        <UserRef id={c.complainantId} linked={linkUsers} />
                      </td>
                      <td>
                        <When at={c.createdAt} />
                      </td>
                      <td>
                        {c.due ? <DueTimer at={c.due.at} label={word("deadline", c.due.kind)} /> : "—"}
                        {c.escalated.length > 0 && (
                          <>
                            {" "}
                            <Badge tone="danger">{t("console.complaints.escalated")}</Badge>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More cursor={page.nextCursor} onMore={setCursor} busy={queue.loading} />
            </>
          )
        }
      </Loading>
    </>
  );
}
