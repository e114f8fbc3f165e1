import { afterEach, describe, expect, it } from "vitest";
import { ANNOUNCEMENTS, isoDate, localEpochDay, parseInstant } from "../../shared/calendar/index.ts";
import { aDossierCode, adminA, assigned, directoryA, handlerA, received } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";
import type { RecordingEmail } from "./support/recorders.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const emailsFor = (h: Harness, needle: string) =>
  (h.email as RecordingEmail).sent.filter((m) => m.text.includes(needle));

describe("calendar: PUT /calendar/{year}", () => {
  it("stores the year, re-evaluates open dossiers, keeps the appointment given and never resends a sent alert", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00", limit: 10 }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    const before = (await h.tables.dossiers.load(code))!;
    const at = (rule: string) => before.agenda.find((e) => e.alert.rule === rule)!.alert.at;
    const dueIn2 = `${code}/due-in-2-working-days/v1/handler/email`;
    const dueIn1 = `${code}/due-in-1-working-day/v1/handler/email`;

    // The first warning goes out.
    h.clock.set(at("due-in-2-working-days"));
    await h.sweep();
    await h.deliverNotices();
    expect((await h.tables.alerts.get(dueIn2))?.status).toBe("sent");

    // The province announces the working day before the due day a day off.
    const dayOff = isoDate(localEpochDay(parseInstant(at("due-in-1-working-day"))));
    const year2026 = ANNOUNCEMENTS.find((a) => a.year === 2026)!;
    const put = await h.api("PUT /calendar/{year}", {
      claims: adminA,
      path: { year: "2026" },
      body: {
        ...year2026,
        daysOff: [...year2026.daysOff, { date: dayOff, name: "Nghỉ đột xuất", kind: "holiday" }],
      },
    });
    await h.drainEvents();
    const after = (await h.tables.dossiers.load(code))!;
    const get = await h.api("GET /calendar/{year}", { claims: adminA, path: { year: "2026" } });

    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({
      year: 2026,
      reevaluation: "queued",
      calendarVersion: expect.any(String),
    });
    expect(get.body.source).toBe("stored");
    expect(after.version).toBe(before.version + 1);
    // The receipt's appointment was a promise: kept as given.
    expect(after.state?.appointments.map((a) => a.at)).toEqual(before.state?.appointments.map((a) => a.at));
    expect(after.state?.legalDueAt).toBe(before.state?.legalDueAt);
    // The plan follows the new working days: the next warning moves a working day earlier.
    const moved = after.agenda.find((e) => e.alert.dedupeKey === dueIn1)!;
    expect(parseInstant(moved.alert.at)).toBeLessThan(parseInstant(at("due-in-1-working-day")));
    // The warning already sent stays done, under the same dedupe key.
    expect(after.agenda.find((e) => e.alert.dedupeKey === dueIn2)?.doneAt).toBe(at("due-in-2-working-days"));

    h.clock.set(moved.alert.at);
    await h.sweep();
    await h.deliverNotices();
    h.clock.advance(24 * 3_600_000);
    await h.sweep();
    await h.deliverNotices();

    expect((await h.tables.alerts.get(dueIn2))?.deliveries.filter((d) => d.status === "sent")).toHaveLength(
      1,
    );
    expect((await h.tables.alerts.get(dueIn1))?.status).toBe("sent");
    const dueIn2Emails = [...h.notifyQueue.sent()].filter((m) => JSON.parse(m.body).dedupeKey === dueIn2);
    expect(dueIn2Emails).toHaveLength(1);
  });

  it("refuses an announcement that does not validate, or from a non-admin", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;

    const bad = await h.api("PUT /calendar/{year}", {
      claims: adminA,
      path: { year: "2027" },
      body: { year: 2027, sources: [], daysOff: [], workingDays: [] },
    });
    const wrongYear = await h.api("PUT /calendar/{year}", {
      claims: adminA,
      path: { year: "2027" },
      body: ANNOUNCEMENTS.find((a) => a.year === 2026),
    });
    const handler = await h.api("PUT /calendar/{year}", {
      claims: handlerA,
      path: { year: "2026" },
      body: {},
    });

    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/sources/);
    expect(wrongYear.status).toBe(400);
    expect(handler.status).toBe(403);
    expect(await h.tables.calendar.list()).toEqual([]);
  });
});

describe("digest", () => {
  /** Received 10 August 2026 with 3 working days: overdue from 13 August. */
  async function overdueDossier(): Promise<{ h: Harness; code: string }> {
    const h = await Harness.start({ start: "2026-08-10T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode("260810");
    await h.ingest([
      received(code, { at: "2026-08-10T09:00:00+07:00" }),
      assigned(code, "2026-08-10T09:30:00+07:00"),
    ]);
    return { h, code };
  }

  it("is sent on a làm bù Saturday (22/08/2026), once per leader, listing the overdue dossiers", async () => {
    const { h, code } = await overdueDossier();
    h.clock.set("2026-08-22T07:30:00+07:00");

    const run = await h.digest();
    const again = await h.digest();
    await h.deliverNotices();

    expect(run).toMatchObject({ date: "2026-08-22", overdue: 1, digests: 2, queued: 2 });
    expect(again).toMatchObject({ digests: 2, queued: 0 });
    const emails = emailsFor(h, code);
    expect(emails.map((m) => m.to).sort()).toEqual([
      "hung.gd@snnmt.example.gov.vn",
      "tuan.tp@snnmt.example.gov.vn",
    ]);
    // One block per dossier, to the leader by name (no table: it wrapped on phones).
    expect(emails[0]?.html).toContain(`${code} · Cấp giấy phép môi trường`);
    expect(emails[0]?.html).not.toContain("<table");
    const director = emails.find((m) => m.to === "hung.gd@snnmt.example.gov.vn");
    expect(director?.html).toContain("<p>Kính gửi ông/bà Nguyễn Văn Hùng,</p>");
    expect((await h.tables.alerts.get("digest/unit-leader:tp-tuan/2026-08-22"))?.status).toBe("sent");
  });

  it("lists a dossier that went overdue and then waits on a supplement, marked so", async () => {
    // Due Thu 13/08 09:00; the supplement is requested on Fri 14/08: the clock stopped once the
    // time was up, so its due instant is unknown while it waits — the leaders still see it.
    const { h, code } = await overdueDossier();
    await h.ingest([
      {
        id: `${code}#supplement-requested`,
        type: "supplement-requested",
        dossierCode: code,
        occurredAt: "2026-08-14T10:00:00+07:00",
        reason: "Thiếu bản đồ vị trí",
      },
    ]);
    h.clock.set("2026-08-17T07:30:00+07:00");

    const run = await h.digest();
    await h.deliverNotices();

    expect(run).toMatchObject({ overdue: 1, queued: 2 });
    const [email] = emailsFor(h, code);
    expect(email?.text).toContain("(chờ bổ sung)");
  });

  it("is skipped on a day off (31/08/2026, swapped for 22/08) and on an ordinary Saturday", async () => {
    const { h } = await overdueDossier();

    h.clock.set("2026-08-31T07:30:00+07:00");
    const swapDay = await h.digest();
    h.clock.set("2026-08-29T07:30:00+07:00");
    const saturday = await h.digest();

    expect(swapDay).toEqual({ date: "2026-08-31", skipped: "day-off" });
    expect(saturday).toEqual({ date: "2026-08-29", skipped: "day-off" });
    expect(h.notifyQueue.sent()).toHaveLength(0);
  });
});
