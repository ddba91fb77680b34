import { useState } from "preact/hooks";
import { api } from "../api/client";
import { t, useLang } from "../i18n";
import { Link, useLocation } from "../router";
import { can, useSession } from "../session";
import { Select } from "../ui/form";
import { ReviewDetail } from "./review-detail";
import { mayOpenUsers } from "./sections";
import { Badge, Loading, More, Refresh, Title, useLoad, UserRef, When, word } from "./shared";

// Review queue: identity documents by status, oldest first (names and numbers masked here); one
// submission at /console/reviews?id=.

type Status = "PENDING_REVIEW" | "APPROVED" | "REJECTED";
const STATUSES: Status[] = ["PENDING_REVIEW", "APPROVED", "REJECTED"];

export default function Reviews() {
  useLang();
  const { query } = useLocation();
  const id = query.get("id");
  return id ? <ReviewDetail submissionId={id} /> : <Queue />;
}

function Queue() {
  const session = useSession();
  const [status, setStatus] = useState<Status>("PENDING_REVIEW");
  const [cursor, setCursor] = useState<string>();
  const queue = useLoad(() => api.GET("/admin/reviews", { params: { query: { status, limit: 25, ...(cursor ? { cursor } : {}) } } }), [status, cursor]);
  const linkUsers = mayOpenUsers(session);
  return (
    <>
      <Title text={t("console.reviews.title")} />
      <p class="hint">{can(session, "data:pii:read") ? t("console.reviews.piiShown") : t("console.reviews.piiMasked")}</p>
      <form class="console-filters" aria-label={t("console.filters")} onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t("console.status")}
          name="status"
          value={status}
          onValue={(v) => {
            setCursor(undefined);
            setStatus(v as Status);
          }}
          options={STATUSES.map((s) => [s, word("reviewStatus", s)])}
        />
        <Refresh onRefresh={queue.reload} busy={queue.loading} />
      </form>
      <Loading state={queue}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("console.reviews.empty")}</p>
          ) : (
            <>
              <table class="console-table">
                <caption>{t("console.reviews.caption", { status: word("reviewStatus", status) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("console.reviews.submitted")}</th>
                    <th scope="col">{t("console.reviews.type")}</th>
                    <th scope="col">{t("console.reviews.name")}</th>
                    <th scope="col">{t("console.reviews.number")}</th>
                    <th scope="col">{t("console.user")}</th>
                    <th scope="col">{t("console.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((item) => (
                    <tr key={item.submissionId}>
                      <td>
                        <Link href={`/console/reviews?id=${item.submissionId}`}>
                          <When at={item.submittedAt} />
                          <span class="sr-only"> {t("console.reviews.open", { name: item.fullName, type: word("docType", item.type) })}</span>
                        </Link>
                      </td>
                      <td>{word("docType", item.type)}</td>
                      <td>{item.fullName}</td>
                      <td>
                        <code>{item.documentNumber}</code>
                      </td>
                      <td>
                        <UserRef id={item.userId} linked={linkUsers} />
                      </td>
                      <td>
                        <Badge tone={item.status === "APPROVED" ? "ok" : item.status === "REJECTED" ? "danger" : "warn"}>{word("reviewStatus", item.status)}</Badge>
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
