import { describe, expect, it } from "vitest";
import {
  type AlertPolicy,
  alertToJson,
  DEFAULT_ALERT_POLICY,
  dueAlerts,
  overridePolicy,
  type PlannedAlert,
  planAlerts,
} from "../../../shared/alerts/index.ts";
import { type DossierEvent, foldDossier } from "../../../shared/dossier/index.ts";
import {
  anAcknowledgement,
  anApology,
  anAssignedEvent,
  aPause,
  aReceivedEvent,
  aResultReady,
  aResume,
  aSupplementReceipt,
  aSupplementRequest,
  aTransferredEvent,
  at,
  DIRECTORY,
  iso,
  procedure,
  working,
} from "../dossier/builders.ts";

const context = { workingTime: working, directory: DIRECTORY };
const plan = (events: DossierEvent[], policy: AlertPolicy = DEFAULT_ALERT_POLICY) =>
  planAlerts(foldDossier(events, working), policy, context);
/** "instant rule → recipient" lines, readable in a failing diff. */
const lines = (alerts: PlannedAlert[]) =>
  alerts.map(
    (alert) =>
      `${iso(alert.at)} ${alert.rule} → ${alert.recipientRole}${alert.recipientId ? ` ${alert.recipientId}` : ""} (${alert.channel})`,
  );
const staffOnly = (alerts: PlannedAlert[]) => alerts.filter((alert) => alert.recipientRole !== "citizen");
const limit = (amount: number, unit: "working-days" | "working-hours" = "working-days") =>
  procedure({ timeLimit: { amount, unit } });

describe("planAlerts: handler warnings, apology duty, escalation", () => {
  it("plans the whole chain of a dossier due Thu 26/11/2026 09:00, across the 24/11 holiday", () => {
    expect(lines(staffOnly(plan([aReceivedEvent()])))).toEqual([
      "2026-11-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan (email)",
      "2026-11-25T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-25T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-25T09:00:00+07:00 due-in-1-working-day → handler cb-lan (email)",
      "2026-11-26T07:30:00+07:00 due-today → handler cb-lan (email)",
      "2026-11-26T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
      "2026-11-26T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
      "2026-11-30T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
    ]);
  });

  it("skips Tết 2026 (off Mon 16/02–Fri 20/02) when counting the warnings back", () => {
    const received = aReceivedEvent({ occurredAt: "2026-02-11T09:00:00+07:00", procedure: limit(5) });
    expect(lines(staffOnly(plan([received])))).toEqual([
      "2026-02-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan (email)",
      "2026-02-24T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-02-24T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-02-24T09:00:00+07:00 due-in-1-working-day → handler cb-lan (email)",
      "2026-02-25T07:30:00+07:00 due-today → handler cb-lan (email)",
      "2026-02-25T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
      "2026-02-25T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
      "2026-02-27T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
    ]);
  });

  it.each([
    ["2026-01-08T10:00:00+07:00", "2026-01-10T07:30:00+07:00", "2026-01-10T15:30:00+07:00"],
    ["2026-08-20T10:00:00+07:00", "2026-08-22T07:30:00+07:00", "2026-08-22T15:30:00+07:00"],
  ])(
    "counts the make-up Saturday: received %s, due-day warning %s, level 2 at %s",
    (received, dueToday, level2) => {
      const alerts = plan([aReceivedEvent({ occurredAt: received, procedure: limit(2) })]);
      const find = (rule: string) => iso(alerts.find((alert) => alert.rule === rule)?.at);
      expect(find("due-today")).toBe(dueToday);
      expect(find("overdue-level-2")).toBe(level2);
      // Two working days before the due instant is the reception itself: no such warning.
      expect(find("due-in-2-working-days")).toBeUndefined();
    },
  );

  it("warns at 50% and 75% of a short allotment, and owes no apology notice it cannot give", () => {
    expect(lines(staffOnly(plan([aReceivedEvent({ procedure: limit(1) })]))).slice(0, 3)).toEqual([
      "2026-11-20T14:30:00+07:00 half-time-elapsed → handler cb-lan (email)",
      "2026-11-20T16:30:00+07:00 three-quarters-elapsed → handler cb-lan (email)",
      "2026-11-23T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
    ]);
    expect(
      lines(staffOnly(plan([aReceivedEvent({ procedure: limit(4, "working-hours") })]))).slice(0, 2),
    ).toEqual([
      "2026-11-20T11:00:00+07:00 half-time-elapsed → handler cb-lan (email)",
      "2026-11-20T13:30:00+07:00 three-quarters-elapsed → handler cb-lan (email)",
    ]);
  });

  it("keys each alert by dossier, rule, appointment version, recipient and channel", () => {
    const [first] = staffOnly(plan([aReceivedEvent()]));
    expect(alertToJson(first!)).toEqual({
      at: "2026-11-23T09:00:00+07:00",
      dossier: "000.00.12.H42-261120-0001",
      rule: "due-in-2-working-days",
      kind: "notice",
      recipientRole: "handler",
      recipientId: "cb-lan",
      agencyId: "so-nnmt",
      unitId: "mot-cua",
      channel: "email",
      appointmentVersion: 1,
      dueAt: "2026-11-26T09:00:00+07:00",
      dedupeKey: "000.00.12.H42-261120-0001/due-in-2-working-days/v1/handler/email",
    });
  });
});

describe("planAlerts: steps", () => {
  it("warns the step's handler before the step's own due instant and tells the desk when it is overdue", () => {
    const alerts = plan([aReceivedEvent(), anAssignedEvent()]).filter((alert) => alert.stepId !== undefined);
    expect(lines(alerts)).toEqual([
      "2026-11-23T10:00:00+07:00 step-due-in-1-working-day → handler cv-minh (email)",
      "2026-11-25T07:30:00+07:00 step-due-today → handler cv-minh (email)",
      "2026-11-25T10:00:00+07:00 step-overdue → unit-leader tp-mai (email)",
    ]);
    expect(alerts[0]!.dedupeKey).toBe(
      "000.00.12.H42-261120-0001/step-due-in-1-working-day/assigned@2026-11-20T10:00:00+07:00/handler/email",
    );
  });

  it("warns the leaders of a liên thông agency that has no handler named", () => {
    const alerts = plan([aReceivedEvent(), aTransferredEvent()]);
    const step = alerts.filter((alert) => alert.rule.startsWith("step-half"));
    expect(lines(step)).toEqual([
      "2026-11-23T14:30:00+07:00 step-half-time-elapsed → agency-leader ct-son (email)",
    ]);
  });

  it("sends one alert per leader of a unit", () => {
    const assigned = anAssignedEvent();
    const levels = plan([aReceivedEvent(), assigned]).filter((alert) => alert.rule === "overdue-level-2");
    expect(levels.map((alert) => alert.recipientId)).toEqual(["pp-cuc", "tp-binh"]);
    expect(new Set(levels.map((alert) => alert.dedupeKey)).size).toBe(2);
  });
});

describe("planAlerts: what the dossier's facts change", () => {
  it("plans no apology duty after an apology, and warns against the new appointment (version 2)", () => {
    const alerts = staffOnly(plan([aReceivedEvent(), anApology()]));
    expect(alerts.some((alert) => alert.rule === "apology-duty")).toBe(false);
    expect(lines(alerts)).toEqual([
      "2026-11-30T09:00:00+07:00 due-in-2-working-days → handler cb-lan (email)",
      "2026-12-01T09:00:00+07:00 due-in-1-working-day → handler cb-lan (email)",
      "2026-12-02T07:30:00+07:00 due-today → handler cb-lan (email)",
      "2026-12-02T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
      "2026-12-02T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
      "2026-12-04T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
    ]);
    expect(alerts.every((alert) => alert.appointmentVersion === 2 && alert.dedupeKey.includes("/v2/"))).toBe(
      true,
    );
  });

  it("stops the escalation once a leader acknowledges the overdue dossier", () => {
    const alerts = plan([aReceivedEvent(), anAcknowledgement()]);
    expect(alerts.filter((alert) => alert.rule.startsWith("overdue-level"))).toEqual([]);
  });

  it("plans only the citizen notices for a finished dossier", () => {
    const alerts = plan([aReceivedEvent(), aResultReady()]);
    expect(lines(alerts)).toEqual([
      "2026-11-20T09:00:00+07:00 citizen-receipt → citizen (sms)",
      "2026-11-25T15:00:00+07:00 citizen-result-ready → citizen (sms)",
    ]);
  });

  it("plans no warning while the clock is paused, and moves them when it resumes", () => {
    expect(
      staffOnly(plan([aReceivedEvent(), aPause()])).filter((alert) => alert.dueAt !== undefined),
    ).toEqual([]);
    const resumed = plan([aReceivedEvent(), aPause(), aResume()]);
    const find = (rule: string) => resumed.find((alert) => alert.rule === rule);
    // The due instant moved from 26/11 to 27/11 09:00; the keys did not change.
    expect(iso(find("due-in-1-working-day")?.at)).toBe("2026-11-26T09:00:00+07:00");
    expect(find("due-in-1-working-day")?.dedupeKey).toBe(
      "000.00.12.H42-261120-0001/due-in-1-working-day/v1/handler/email",
    );
  });

  it("plans a new receipt notice after a supplement restart, under a new version", () => {
    const events = [aReceivedEvent(), aSupplementRequest(), aSupplementReceipt()];
    expect(lines(plan(events).filter((alert) => alert.recipientRole === "citizen"))).toEqual([
      "2026-11-20T09:00:00+07:00 citizen-receipt → citizen (sms)",
      "2026-11-23T10:00:00+07:00 citizen-supplement-requested → citizen (sms)",
      "2026-11-27T14:00:00+07:00 citizen-receipt → citizen (sms)",
    ]);
    expect(iso(plan(events).find((alert) => alert.rule === "due-in-2-working-days")?.at)).toBe(
      "2026-11-30T14:00:00+07:00",
    );
  });
});

describe("planAlerts: citizen notices", () => {
  const applicant = (
    consent: { sms: boolean; email: boolean },
    contact: { phone?: string; email?: string },
  ) => ({
    name: "Nguyễn Văn An",
    ...contact,
    consent,
  });

  it("respects consent and the contact given", () => {
    const both = aReceivedEvent({
      applicant: applicant({ sms: true, email: true }, { phone: "0912345678", email: "a@example.vn" }),
    });
    const emailOnly = aReceivedEvent({
      applicant: applicant({ sms: false, email: true }, { phone: "0912345678", email: "a@example.vn" }),
    });
    const noPhone = aReceivedEvent({
      applicant: applicant({ sms: true, email: false }, { email: "a@example.vn" }),
    });
    const channels = (received: DossierEvent) =>
      plan([received])
        .filter((alert) => alert.rule === "citizen-receipt")
        .map((alert) => alert.channel);
    expect(channels(both)).toEqual(["email", "sms"]);
    expect(channels(emailOnly)).toEqual(["email"]);
    expect(channels(noPhone)).toEqual([]);
  });

  it("holds an SMS for 07:00 the next morning, even on a Sunday, and sends the e-mail at once", () => {
    const received = aReceivedEvent({
      applicant: applicant({ sms: true, email: true }, { phone: "0912345678", email: "a@example.vn" }),
    });
    const late = aResultReady({ occurredAt: "2026-11-28T21:15:00+07:00" }); // Saturday night
    expect(lines(plan([received, late]).filter((alert) => alert.rule === "citizen-result-ready"))).toEqual([
      "2026-11-28T21:15:00+07:00 citizen-result-ready → citizen (email)",
      "2026-11-29T07:00:00+07:00 citizen-result-ready → citizen (sms)",
    ]);
  });

  it("tells the citizen of the apology and its new date", () => {
    const apology = plan([aReceivedEvent(), anApology()]).find((alert) => alert.rule === "citizen-apology");
    expect(apology).toMatchObject({
      appointmentVersion: 2,
      channel: "sms",
      at: at("2026-11-25T09:00:00+07:00"),
    });
  });

  it("sends no receipt notice when the policy says so", () => {
    const policy = overridePolicy(DEFAULT_ALERT_POLICY, { citizen: { receipt: false } });
    expect(plan([aReceivedEvent()], policy).filter((alert) => alert.recipientRole === "citizen")).toEqual([]);
  });
});

describe("dueAlerts", () => {
  const events = [aReceivedEvent()];
  const due = (now: string) =>
    dueAlerts(foldDossier(events, working), at(now), DEFAULT_ALERT_POLICY, context).map(
      (alert) => alert.rule,
    );

  it("gives the planned alerts up to now", () => {
    expect(due("2026-11-23T09:00:00+07:00")).toEqual(["citizen-receipt", "due-in-2-working-days"]);
  });

  it("drops a warning once the next one has come, and every warning once the due instant has passed", () => {
    expect(due("2026-11-25T09:30:00+07:00")).toEqual([
      "citizen-receipt",
      "apology-draft-requested",
      "apology-duty",
      "due-in-1-working-day",
    ]);
    expect(due("2026-11-26T15:00:00+07:00")).toEqual([
      "citizen-receipt",
      "apology-draft-requested",
      "apology-duty",
      "overdue-level-1",
      "overdue-level-2",
    ]);
  });
});
