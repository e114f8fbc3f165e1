import { describe, expect, it } from "vitest";
import {
  DEMO_CATEGORY_COUNT,
  DEMO_START,
  type Demo,
  firstWorkingDayWindow,
  generateDemo,
} from "../../../local/demo/generate.ts";
import {
  DEFAULT_ALERT_POLICY,
  DEFAULT_POLICY_BOOK,
  planAlerts,
  simulateAlerts,
} from "../../../shared/alerts/index.ts";
import {
  CivilCalendar,
  formatInstant,
  isoDate,
  localEpochDay,
  parseInstant,
  parseIsoDate,
  WORKING_DAY_MS,
  WORKING_HOUR_MS,
  WorkingTime,
} from "../../../shared/calendar/index.ts";
import {
  assertValidEventSet,
  type Dossier,
  type DossierEvent,
  decide,
  foldDossier,
  groupByDossier,
  type Progress,
  parseDossierEvent,
  progressAt,
} from "../../../shared/dossier/index.ts";
import { ConflictError, InvalidInputError } from "../../../shared/errors.ts";

const working = new WorkingTime(CivilCalendar.default());
const D = WORKING_DAY_MS;

const cache = new Map<string, Demo>();
function demoAt(now: string): Demo {
  let demo = cache.get(now);
  if (!demo) {
    demo = generateDemo({ now: parseInstant(now) });
    cache.set(now, demo);
  }
  return demo;
}

interface Read {
  code: string;
  events: DossierEvent[];
  dossier: Dossier;
  progress: Progress;
}

function readAll(demo: Demo, now: number): Read[] {
  const events = demo.events.map(parseDossierEvent);
  return [...groupByDossier(events)].map(([code, group]) => {
    const dossier = foldDossier(group, working);
    return { code, events: group, dossier, progress: progressAt(dossier, now, working) };
  });
}

const isOpen = (read: Read) => read.dossier.finishedAt === undefined && read.dossier.closure === undefined;
const dueDay = (read: Read) => isoDate(localEpochDay(read.progress.projectedLegalDueAt));
const startDay = (read: Read) => isoDate(localEpochDay(read.dossier.appointments[0]!.startAt));

const NOWS = [
  ["DEMO_START, the Monday before the 24/11 holiday", DEMO_START],
  ["a Saturday", "2026-11-28T10:00:00+07:00"],
  ["a Friday afternoon in January 2027", "2027-01-15T14:00:00+07:00"],
] as const;

describe("generateDemo: the events", () => {
  const demo = demoAt(DEMO_START);
  const now = parseInstant(DEMO_START);

  it("holds about 200 dossiers whose every event passes the ingest schema", () => {
    const events = demo.events.map(parseDossierEvent);
    const groups = groupByDossier(events);
    expect(groups.size).toBe(200);
    expect(demo.summary.dossiers).toBe(200);
    expect(demo.summary.events).toBe(demo.events.length);
    expect(new Set(demo.events.map((event) => event.id)).size).toBe(demo.events.length);
  });

  it("gives each dossier a valid, consistent set of events, all before now", () => {
    for (const [code, group] of groupByDossier(demo.events.map(parseDossierEvent))) {
      expect(() => assertValidEventSet(group), code).not.toThrow();
      const received = group.find((event) => event.type === "received");
      if (received?.type !== "received") throw new Error(`${code} has no reception`);
      for (const event of group) {
        expect(event.occurredAt, `${event.id}`).toBeLessThan(now);
        expect(event.occurredAt, `${event.id}`).toBeGreaterThanOrEqual(received.receivedAt);
      }
      const folded = foldDossier(group, working);
      expect(folded.anomalies, code).toEqual([]);
    }
  });

  it("sorts the stream by occurredAt", () => {
    const instants = demo.events.map((event) => parseInstant(event.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it("numbers dossiers V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX by the receipt date", () => {
    for (const event of demo.events) {
      if (event.type !== "received") continue;
      expect(event.dossierCode).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H42-\d{6}-\d{4}$/);
      const date = isoDate(localEpochDay(parseInstant(event.receivedAt)));
      expect(event.dossierCode.split("-")[1]).toBe(date.slice(2).replaceAll("-", ""));
    }
  });

  it("gives every step an allotment that fits the procedure's time limit", () => {
    for (const read of readAll(demo, now)) {
      const limitMs = read.dossier.appointments[0]!.allotmentMs;
      let total = 0;
      for (const step of read.dossier.steps) {
        const allotment = step.allotment!;
        expect(allotment.unit, read.code).not.toBe("calendar-days");
        total += allotment.amount * (allotment.unit === "working-days" ? D : WORKING_HOUR_MS);
      }
      expect(total, read.code).toBeLessThanOrEqual(limitMs);
    }
  });

  it("mixes channels (about 40 % online), procedures, limits and agencies", () => {
    const received = demo.events.flatMap((event) => (event.type === "received" ? [event] : []));
    const online = received.filter((event) => event.channel === "online").length;
    expect(online / received.length).toBeGreaterThan(0.3);
    expect(online / received.length).toBeLessThan(0.5);
    expect(received.some((event) => event.channel === "postal")).toBe(true);
    const limits = new Set(received.map((event) => JSON.stringify(event.procedure.timeLimit)));
    for (const limit of [
      { amount: 3, unit: "working-days" },
      { amount: 5, unit: "working-days" },
      { amount: 10, unit: "working-days" },
      { amount: 15, unit: "working-days" },
      { amount: 30, unit: "calendar-days" },
      { amount: 4, unit: "working-hours" },
    ]) {
      expect(limits.has(JSON.stringify(limit)), JSON.stringify(limit)).toBe(true);
    }
    expect(received.some((event) => event.procedure.cutoff === "15:00")).toBe(true);
    expect(received.some((event) => event.procedure.supplementPolicy === "pause")).toBe(true);
    expect(new Set(received.map((event) => event.agency.id))).toEqual(
      new Set(["ttpvhcc-tinh", "ttpvhcc-tan-an", "ttpvhcc-ben-luc"]),
    );
  });

  it("has applicants with SMS consent, with e-mail consent and with none", () => {
    const consents = demo.events.flatMap((event) =>
      event.type === "received" ? [`${event.applicant.consent?.sms}/${event.applicant.consent?.email}`] : [],
    );
    for (const kind of ["true/false", "false/true", "true/true", "false/false"]) {
      expect(consents, kind).toContain(kind);
    }
  });

  it("uses only fake contacts: +8490000xxxx phone numbers and @example.vn e-mails", () => {
    const text = JSON.stringify(demo);
    const phones = text.match(/(?:\+84|\b0)\d{9,10}\b/g) ?? [];
    expect(phones.length).toBeGreaterThan(100);
    for (const phone of phones) expect(phone).toMatch(/^\+8490000\d{4}$/);
    const emails = text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/g) ?? [];
    expect(emails.length).toBeGreaterThan(100);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9.-]+@example\.vn$/);
    for (const person of demo.staff) {
      expect(person.phone).toMatch(/^\+8490000\d{4}$/);
      expect(person.email).toBe(`${person.id}@example.vn`);
    }
  });

  it("names only agencies, units and people the directory and the staff list know", () => {
    const staff = new Set(demo.staff.map((person) => person.id));
    const directoryLeaders = Object.values(demo.directory.agencies).flatMap((agency) => [
      ...agency.leaderIds,
      ...Object.values(agency.units).flatMap((unit) => unit.leaderIds),
    ]);
    for (const id of directoryLeaders) expect(staff.has(id), id).toBe(true);
    for (const read of readAll(demo, now)) {
      const { received } = read.dossier;
      const holders = [
        { agency: received.agency, unit: received.unit, handler: received.handler },
        ...read.dossier.steps.map((step) => step.assignment),
      ];
      for (const holder of holders) {
        const agency = demo.directory.agencies[holder.agency.id];
        expect(agency?.name, read.code).toBe(holder.agency.name);
        expect(agency?.units[holder.unit!.id]?.name, read.code).toBe(holder.unit!.name);
        if (holder.handler) expect(staff.has(holder.handler.id), read.code).toBe(true);
      }
    }
    const accounts = new Map(demo.accounts.map((account) => [account.id, account]));
    for (const person of demo.staff) {
      expect(accounts.get(person.id)?.role).toBe(person.role === "handler" ? "handler" : "leader");
    }
    expect(demo.accounts.filter((account) => account.role === "admin")).toHaveLength(1);
  });

  it("is deterministic for a seed and differs with another", () => {
    const again = generateDemo({ now: now });
    expect(again).toEqual(demo);
    const other = generateDemo({ now, seed: 7 });
    expect(other.events.length).toBeGreaterThan(0);
    expect(other.events).not.toEqual(demo.events);
  });

  it("gives the placed dossiers only when fewer are asked for, and more on request", () => {
    expect(generateDemo({ now, dossiers: 5 }).summary.dossiers).toBe(DEMO_CATEGORY_COUNT);
    expect(generateDemo({ now, dossiers: 60 }).summary.dossiers).toBe(60);
  });

  it("refuses a now that is not an instant", () => {
    expect(() => generateDemo({ now: Number.NaN })).toThrow(InvalidInputError);
  });
});

describe.each(NOWS)("generateDemo at %s", (_label, nowText) => {
  const now = parseInstant(nowText);
  const demo = demoAt(nowText);
  const reads = readAll(demo, now);

  it("has dossiers heading for late: ≥ 3 'sắp đến hạn' due within 2 working days", () => {
    const heading = reads.filter(
      (read) =>
        isOpen(read) && read.progress.status === "sap-den-han" && read.progress.remainingOfficeMs <= 2 * D,
    );
    expect(heading.length).toBeGreaterThanOrEqual(3);
    expect(heading.map((read) => read.code).sort()).toEqual(demo.summary.highlights.headingForLate);
  });

  it("has ≥ 2 open overdue dossiers, ≥ 1 awaiting a supplement, ≥ 1 paused", () => {
    const overdue = reads.filter((read) => isOpen(read) && read.progress.status === "qua-han");
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    for (const code of demo.summary.highlights.overdue) {
      expect(overdue.map((read) => read.code)).toContain(code);
    }
    expect(
      reads.filter((read) => read.progress.phase === "awaiting-supplement").length,
    ).toBeGreaterThanOrEqual(1);
    expect(reads.filter((read) => read.progress.phase === "paused").length).toBeGreaterThanOrEqual(1);
  });

  it("has exactly one dossier with an apology, and a second apology is refused", () => {
    const apologised = reads.filter((read) => read.dossier.apology !== undefined);
    expect(apologised.map((read) => read.code)).toEqual([demo.summary.highlights.apologyIssued]);
    const read = apologised[0]!;
    expect(read.progress.status).toBe("qua-han"); // late against the legal due instant, apology or not
    const rules = planAlerts(read.dossier, DEFAULT_ALERT_POLICY, {
      workingTime: working,
      directory: demo.directory,
    }).map((alert) => alert.rule);
    expect(rules).not.toContain("apology-duty");
    const second = parseDossierEvent({
      id: `${read.code}/again`,
      dossierCode: read.code,
      type: "apology-issued",
      occurredAt: formatInstant(now),
      reason: "Xin lỗi lần hai",
      responsibleUnit: { id: "quay-nnmt", name: "Quầy Sở Nông nghiệp và Môi trường" },
      newAppointment: formatInstant(now + 7 * 86_400_000),
    });
    expect(() => decide(read.events, second)).toThrow(ConflictError);
  });

  it("has finished dossiers early, on time and late, returned ones, closed ones and liên thông", () => {
    const finished = reads.filter((read) => read.dossier.finishedAt !== undefined);
    for (const status of ["truoc-han", "dung-han", "qua-han"]) {
      expect(
        finished.filter((read) => read.progress.status === status).length,
        status,
      ).toBeGreaterThanOrEqual(2);
    }
    expect(reads.some((read) => read.dossier.returnedAt !== undefined)).toBe(true);
    expect(reads.filter((read) => read.dossier.closure !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(reads.some((read) => read.dossier.steps.some((step) => step.kind === "transferred"))).toBe(true);
    expect(
      reads.some((read) => read.dossier.supplements.some((round) => round.receivedAt !== undefined)),
    ).toBe(true);
  });

  it("receives dossiers only in the four weeks before now", () => {
    for (const read of reads) {
      expect(read.dossier.received.receivedAt).toBeLessThan(now);
      expect(now - read.dossier.received.receivedAt).toBeLessThan(31 * 86_400_000);
    }
  });

  it("agrees with its summary", () => {
    const open = reads.filter(isOpen);
    expect(demo.summary.open.total).toBe(open.length);
    expect(demo.summary.open.sapDenHan).toBe(
      open.filter((read) => read.progress.phase === "in-progress" && read.progress.status === "sap-den-han")
        .length,
    );
    expect(demo.summary.apologies).toBe(1);
    expect(demo.summary.highlights.lienThong).toEqual(
      reads
        .filter((read) => read.dossier.steps.some((step) => step.kind === "transferred"))
        .map((read) => read.code)
        .sort(),
    );
    const channels = demo.summary.byChannel;
    expect(channels.online + channels["in-person"] + channels.postal).toBe(reads.length);
  });

  it("sends, over the first working day, handler warnings, an apology duty, escalations and digests", () => {
    const window = firstWorkingDayWindow(now, working);
    const messages = simulateAlerts(demo.events.map(parseDossierEvent), window.until, {
      book: DEFAULT_POLICY_BOOK,
      context: { workingTime: working, directory: demo.directory },
    }).filter((message) => message.at >= now);
    const rules = messages.map((message) => message.rule);
    const warnings = messages.filter(
      (message) =>
        message.recipientRole === "handler" &&
        ["due-in-2-working-days", "due-in-1-working-day", "due-today"].includes(message.rule),
    );
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(rules).toContain("apology-duty");
    expect(rules).toContain("apology-draft-requested");
    for (const level of ["overdue-level-1", "overdue-level-2", "overdue-level-3"])
      expect(rules).toContain(level);
    const digests = messages.filter((message) => message.kind === "digest");
    expect(digests.length).toBeGreaterThanOrEqual(2);
    expect(digests.some((digest) => digest.recipientRole === "agency-leader")).toBe(true);
    const apologyDuty = messages.filter((message) => message.rule === "apology-duty").map((m) => m.dossier);
    for (const code of demo.summary.highlights.apologyDutyToday) expect(apologyDuty).toContain(code);
  });
});

describe("generateDemo: holidays on the way", () => {
  const spans24Nov = (text: string) =>
    readAll(demoAt(text), parseInstant(text)).filter(
      (read) => startDay(read) <= "2026-11-23" && dueDay(read) >= "2026-11-25",
    );

  it("has dossiers whose receipt-to-due span includes 24/11/2026", () => {
    expect(spans24Nov(DEMO_START).length).toBeGreaterThanOrEqual(5);
    expect(spans24Nov("2026-11-28T10:00:00+07:00").length).toBeGreaterThanOrEqual(5);
    expect(demoAt(DEMO_START).summary.acrossHolidays).toBeGreaterThanOrEqual(5);
  });

  it("has dossiers due after Tết 2027 on the provisional calendar", () => {
    for (const text of [DEMO_START, "2027-01-15T14:00:00+07:00"]) {
      const demo = demoAt(text);
      const afterTet = readAll(demo, parseInstant(text)).filter((read) => dueDay(read) > "2027-02-05");
      expect(afterTet.length, text).toBeGreaterThanOrEqual(3);
      expect(demo.summary.dueInProvisionalYear, text).toBeGreaterThanOrEqual(3);
    }
    expect(working.calendar.isWorkingDay(parseIsoDate("2027-02-08"))).toBe(false);
  });
});

describe("firstWorkingDayWindow", () => {
  it.each([
    ["2026-11-23T07:00:00+07:00", "2026-11-23T17:00:00+07:00"], // Monday before opening: that Monday
    ["2026-11-28T10:00:00+07:00", "2026-11-30T17:00:00+07:00"], // Saturday: Monday
    ["2026-11-23T15:00:00+07:00", "2026-11-25T17:00:00+07:00"], // Monday afternoon: Wednesday (24/11 off)
  ])("from %s runs to %s", (now, until) => {
    expect(formatInstant(firstWorkingDayWindow(parseInstant(now), working).until)).toBe(until);
  });
});
