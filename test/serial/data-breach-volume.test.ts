import { beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { http } from "#test/steps/http";
import { incidentUsers, outboxTemplatesOf, seedUsersWithMail, untilIncident } from "#test/steps/incidents";
import { stack } from "#test/steps/stack";
import { call } from "#test/steps/when";

// A DATA_BREACH over 2,000 users fanned out in pages across invocations, each notified exactly
// once: 2,000 mails through the one outbox sender, which would hold up every other file's codes,
// so it runs serially, on the stack of the serial tests.

let opsToken = "";
const token = () => opsToken;
const NOTICE = /a security incident involving your data/;

beforeAll(async () => {
  opsToken = (await given.aSignedInStaffMember(["ops"])).tokens.accessToken;
});

const open = (body: Record<string, unknown>) => call("POST", "/admin/incidents", { token: token(), body });

describe("DATA_BREACH at volume", () => {
  it("fans out over 2,000 users registered in a window: one notice each, every one delivered and on record", async () => {
    const began = Date.now();
    const from = new Date(Date.UTC(2001, 0, 1 + Math.floor(Math.random() * 300)));
    const seeded = await seedUsersWithMail(2000, from);
    const seededMs = Date.now() - began;
    const opened = await open({
      type: "DATA_BREACH",
      severity: "HIGH",
      details: { summary: "Old marketing list leaked", dataCategories: ["EMAIL", "NAME"], affected: { registeredAfter: from.toISOString(), registeredBefore: new Date(from.getTime() + 3600_000).toISOString() } },
    });
    expect(opened.status, opened.text).toBe(202);
    const { incidentId } = opened.body;
    const view = await untilIncident(token(), incidentId, "MITIGATED", 280_000);
    const doneMs = Date.now() - began - seededMs;
    const [, selected, notified, confirmed] = view.steps;
    expect(selected.counts).toEqual({ selected: 2000 });
    expect(notified.counts).toEqual({ QUEUED: 2000 });
    expect(confirmed.counts).toEqual({ delivered: 2000 });

    const evidence = await incidentUsers(token(), incidentId);
    expect(evidence).toHaveLength(2000);
    expect(new Set(evidence.map((e) => e.userId))).toEqual(new Set(seeded.map((u) => u.userId)));
    expect(new Set(evidence.map((e) => e.measures["notify-affected-users"]?.messageId)).size).toBe(2000);
    expect(evidence.every((e) => e.measures["notify-affected-users"]?.status === "DELIVERED")).toBe(true);
    const store = await http<{ emails: { destination: { to: string[] }; subject: string }[] }>(stack().urls.mail, "GET", "/store");
    const perAddress = new Map<string, number>();
    for (const m of store.body.emails) if (NOTICE.test(m.subject)) for (const to of m.destination.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(seeded.filter((u) => perAddress.get(u.email) !== 1)).toEqual([]);
    for (let i = 0; i < seeded.length; i += 50) {
      const templates = await Promise.all(seeded.slice(i, i + 50).map((u) => outboxTemplatesOf(u.userId)));
      expect(templates.filter((t) => t.length !== 1 || t[0] !== "DATA_BREACH_NOTICE")).toEqual([]);
    }
    const notify = view.steps[2];
    const notifySeconds = (Date.parse(notify.finishedAt) - Date.parse(notify.startedAt)) / 1000;
    console.log(
      `[incidents] DATA_BREACH over 2,000 users: seeded in ${(seededMs / 1000).toFixed(1)} s; MITIGATED ${(doneMs / 1000).toFixed(1)} s after opening ` +
        `(notices queued in ${notifySeconds.toFixed(1)} s = ${(2000 / notifySeconds).toFixed(0)}/s; all delivered and confirmed by then)`,
    );
  }, 320_000);
});
