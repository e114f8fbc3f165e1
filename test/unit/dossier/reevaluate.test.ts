import { describe, expect, it } from "vitest";
import { DEFAULT_ALERT_POLICY, EMPTY_DIRECTORY, planAlerts } from "../../../shared/alerts/index.ts";
import { type Announcement, CivilCalendar, WorkingTime } from "../../../shared/calendar/index.ts";
import { foldDossier, reevaluate } from "../../../shared/dossier/index.ts";
import { anAssignedEvent, aReceivedEvent, iso, procedure } from "./builders.ts";

/**
 * 2027 has no announcement yet: the provisional calendar takes Tết off Fri 05/02–Thu 11/02/2027
 * (the eve, mùng 1–4 and two compensatory days). This made-up announcement gives Thu 04/02–Fri
 * 12/02 instead, so every count across Tết moves.
 */
const ANNOUNCED_2027: Announcement = {
  year: 2027,
  sources: ["test: an announcement that differs from the provisional calendar"],
  daysOff: [
    { date: "2027-01-01", name: "Tết Dương lịch", kind: "holiday" },
    ...["04", "05", "08", "09", "10", "11", "12"].map((day) => ({
      date: `2027-02-${day}`,
      name: "Tết Nguyên đán",
      kind: "holiday" as const,
    })),
    { date: "2027-04-16", name: "Giỗ Tổ Hùng Vương", kind: "holiday" },
    { date: "2027-04-30", name: "Ngày Chiến thắng", kind: "holiday" },
    { date: "2027-05-01", name: "Ngày Quốc tế lao động", kind: "holiday" },
    { date: "2027-09-02", name: "Quốc khánh", kind: "holiday" },
    { date: "2027-09-03", name: "Quốc khánh", kind: "holiday" },
    { date: "2027-11-24", name: "Ngày Văn hóa Việt Nam", kind: "holiday" },
  ],
  workingDays: [],
};

const provisional = new WorkingTime(CivilCalendar.default());
const announced = new WorkingTime(new CivilCalendar({ announcements: [ANNOUNCED_2027] }));

const events = [
  aReceivedEvent({
    occurredAt: "2027-02-02T09:00:00+07:00",
    procedure: procedure({ timeLimit: { amount: 5, unit: "working-days" } }),
  }),
  anAssignedEvent({
    occurredAt: "2027-02-02T10:00:00+07:00",
    allotment: { amount: 4, unit: "working-days" },
  }),
];

describe("reevaluate after a calendar change", () => {
  const before = foldDossier(events, provisional);

  it("starts from the provisional calendar", () => {
    // 03, 04, 12, 15, 16/02/2027
    expect(iso(before.appointments[0]!.at)).toBe("2027-02-16T09:00:00+07:00");
    expect(iso(before.steps[0]!.dueAt)).toBe("2027-02-15T10:00:00+07:00");
  });

  it("keeps the appointment given to the applicant and moves the unpromised step due instant", () => {
    const { dossier, changes } = reevaluate(events, before, announced);
    expect(iso(dossier.appointments[0]!.at)).toBe("2027-02-16T09:00:00+07:00");
    expect(iso(dossier.legalDueAt)).toBe("2027-02-16T09:00:00+07:00");
    // 03, 15, 16, 17/02/2027 on the announced calendar
    expect(iso(dossier.steps[0]!.dueAt)).toBe("2027-02-17T10:00:00+07:00");
    expect(changes.map((change) => ({ ...change, from: iso(change.from), to: iso(change.to) }))).toEqual([
      {
        what: "step-due",
        stepId: "assigned@2027-02-02T10:00:00+07:00",
        from: "2027-02-15T10:00:00+07:00",
        to: "2027-02-17T10:00:00+07:00",
      },
    ]);
  });

  it("recomputes the appointment too when the policy does not keep promises", () => {
    const policy = {
      warningWindow: { amount: 1, unit: "working-days" as const },
      keepPromisedAppointment: false,
    };
    const { dossier, changes } = reevaluate(events, before, announced, policy);
    expect(iso(dossier.appointments[0]!.at)).toBe("2027-02-18T09:00:00+07:00");
    expect(changes.map((change) => change.what)).toEqual(["appointment", "legal-due", "due", "step-due"]);
  });

  it("keeps every dedupe key, so alerts already sent are not sent again", () => {
    const context = (workingTime: WorkingTime) => ({ workingTime, directory: EMPTY_DIRECTORY });
    const { dossier } = reevaluate(events, before, announced);
    const old = planAlerts(before, DEFAULT_ALERT_POLICY, context(provisional));
    const now = planAlerts(dossier, DEFAULT_ALERT_POLICY, context(announced));
    expect(new Set(now.map((alert) => alert.dedupeKey))).toEqual(
      new Set(old.map((alert) => alert.dedupeKey)),
    );
    const stepWarning = (plan: typeof old) =>
      iso(plan.find((alert) => alert.rule === "step-due-in-1-working-day")?.at);
    expect(stepWarning(old)).toBe("2027-02-12T10:00:00+07:00");
    expect(stepWarning(now)).toBe("2027-02-16T10:00:00+07:00");
  });

  it("changes nothing on the same calendar", () => {
    expect(reevaluate(events, before, provisional).changes).toEqual([]);
  });
});
