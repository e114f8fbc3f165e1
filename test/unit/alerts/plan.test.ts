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
  aWithdrawal,
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
    // The apology is due by L = 25/11 09:00 (one working day before): the duty comes a working
    // day before L, so that a leader can sign in time; at L, if none was issued, apology-overdue.
    expect(lines(staffOnly(plan([aReceivedEvent()])))).toEqual([
      "2026-11-23T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan (email)",
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader gd-hung (email)",
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
      "2026-02-23T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-02-23T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-02-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan (email)",
      "2026-02-24T09:00:00+07:00 apology-overdue → agency-leader gd-hung (email)",
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

  it("warns at 50% and 75% of a short allotment, with the apology duty and apology-overdue", () => {
    // One working day cannot give the law's one-day notice: the duty at half time, overdue at 3/4.
    expect(lines(staffOnly(plan([aReceivedEvent({ procedure: limit(1) })]))).slice(0, 6)).toEqual([
      "2026-11-20T14:30:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-20T14:30:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-20T14:30:00+07:00 half-time-elapsed → handler cb-lan (email)",
      "2026-11-20T16:30:00+07:00 apology-overdue → agency-leader gd-hung (email)",
      "2026-11-20T16:30:00+07:00 three-quarters-elapsed → handler cb-lan (email)",
      "2026-11-23T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
    ]);
    expect(
      lines(staffOnly(plan([aReceivedEvent({ procedure: limit(4, "working-hours") })]))).slice(0, 5),
    ).toEqual([
      "2026-11-20T11:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-20T11:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-20T11:00:00+07:00 half-time-elapsed → handler cb-lan (email)",
      "2026-11-20T13:30:00+07:00 apology-overdue → agency-leader gd-hung (email)",
      "2026-11-20T13:30:00+07:00 three-quarters-elapsed → handler cb-lan (email)",
    ]);
  });

  it("falls back to half and three quarters when L − 1 working day is the reception: on a làm bù Saturday", () => {
    // Fri 21/08/2026 10:00 + 2 working days: Sat 22/08 is a make-up working day (for 31/08), due
    // Mon 24/08 10:00. Two working days before it is the reception itself.
    const apology = plan([
      aReceivedEvent({ occurredAt: "2026-08-21T10:00:00+07:00", procedure: limit(2) }),
    ]).filter((alert) => alert.rule.startsWith("apology"));
    expect(lines(apology)).toEqual([
      "2026-08-22T10:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-08-22T10:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-08-22T15:30:00+07:00 apology-overdue → agency-leader gd-hung (email)",
    ]);
  });

  it("keeps the old instant (L) when an agency's policy says so", () => {
    const policy = overridePolicy(DEFAULT_ALERT_POLICY, {
      apologyDuty: { before: { amount: 1, unit: "working-days" } },
      apologyOverdue: { enabled: false },
    });
    const apology = plan([aReceivedEvent()], policy).filter((alert) => alert.rule.startsWith("apology"));
    expect(lines(apology)).toEqual([
      "2026-11-25T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-25T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
    ]);
  });

  it("counts the apology clock from the time limit when the receipt recorded a later appointment", () => {
    // The receipt promised Fri 27/11 09:00; the time limit gives Thu 26/11 09:00: the earlier governs.
    const alerts = plan([aReceivedEvent({ appointment: "2026-11-27T09:00:00+07:00" })]);
    expect(lines(alerts.filter((alert) => alert.rule.startsWith("apology")))).toEqual([
      "2026-11-23T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader gd-hung (email)",
    ]);
    expect(iso(alerts.find((alert) => alert.rule === "apology-duty")?.dueAt)).toBe(
      "2026-11-26T09:00:00+07:00",
    );
    // The handler's warnings keep to the appointment given.
    expect(iso(alerts.find((alert) => alert.rule === "due-today")?.at)).toBe("2026-11-27T07:30:00+07:00");
  });

  it("keys each alert by dossier, rule, appointment version, recipient and channel", () => {
    const first = plan([aReceivedEvent()]).find((alert) => alert.rule === "due-in-2-working-days");
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

  it("tells the desk's leaders of the apology duty and apology-overdue when another unit holds the dossier", () => {
    // Art. 19(9): the processing body tells the one-stop desk in writing.
    const apology = plan([aReceivedEvent(), anAssignedEvent()]).filter((alert) =>
      alert.rule.startsWith("apology"),
    );
    expect(lines(apology)).toEqual([
      "2026-11-23T09:00:00+07:00 apology-draft-requested → unit-leader (email)",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader pp-cuc (email)",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-binh (email)",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-mai (email)",
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader gd-hung (email)",
      "2026-11-25T09:00:00+07:00 apology-overdue → unit-leader tp-mai (email)",
    ]);
    expect(apology.find((alert) => alert.recipientId === "tp-mai")).toMatchObject({
      agencyId: "so-nnmt",
      unitId: "mot-cua",
      dedupeKey: "000.00.12.H42-261120-0001/apology-duty/v1/unit-leader:tp-mai/email",
    });
    // The draft is one command, to the holder's unit.
    expect(apology[0]).toMatchObject({ kind: "apology-draft-requested", unitId: "phong-dat" });
    // A liên thông agency without units: its leaders, and the desk.
    const transferred = plan([aReceivedEvent(), aTransferredEvent()]).filter(
      (alert) => alert.rule === "apology-overdue",
    );
    expect(lines(transferred)).toEqual([
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader ct-son (email)",
      "2026-11-25T09:00:00+07:00 apology-overdue → unit-leader tp-mai (email)",
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

  const levels = (events: DossierEvent[]) =>
    lines(plan(events).filter((alert) => alert.rule.startsWith("overdue-level")));
  const allLevels = [
    "2026-11-26T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
    "2026-11-26T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
    "2026-11-30T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
  ];

  it("stops the remaining levels once a unit leader acknowledges the overdue dossier", () => {
    // Acknowledged Thu 26/11 10:00, after level 1 (09:00): levels 2 and 3 never go.
    expect(levels([aReceivedEvent(), anAcknowledgement()])).toEqual(allLevels.slice(0, 1));
  });

  it("lets no handler silence the leaders, and no acknowledgement before the due instant", () => {
    const byHandler = anAcknowledgement({
      occurredAt: "2026-11-25T10:00:00+07:00",
      by: { id: "cb-lan", role: "handler" },
    });
    expect(levels([aReceivedEvent(), byHandler])).toEqual(allLevels);
    const overdueHandler = anAcknowledgement({ by: { id: "cb-lan", role: "handler" } });
    expect(levels([aReceivedEvent(), overdueHandler])).toEqual(allLevels);
    const early = anAcknowledgement({ occurredAt: "2026-11-25T10:00:00+07:00" });
    expect(levels([aReceivedEvent(), early])).toEqual(allLevels);
    // Recorded and shown all the same.
    expect(foldDossier([aReceivedEvent(), byHandler], working).acknowledgements).toHaveLength(1);
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

  describe("a stop after the due instant (due Thu 03/09/2026 09:00, across 31/08–02/09)", () => {
    // Wed 26/08 09:00 + 3 working days: 27/08, 28/08, then 31/08 (swapped), 01/09 and 02/09
    // (Quốc khánh) are off.
    const received = aReceivedEvent({ occurredAt: "2026-08-26T09:00:00+07:00" });
    const request = aSupplementRequest({ occurredAt: "2026-09-03T10:00:00+07:00" });

    it("holds levels 2 and 3 while the dossier waits on the applicant", () => {
      expect(levels([received])).toEqual([
        "2026-09-03T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
        "2026-09-03T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
        "2026-09-07T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
      ]);
      expect(levels([received, request])).toEqual([
        "2026-09-03T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
      ]);
      const withdrawn = aWithdrawal({ occurredAt: "2026-09-07T10:00:00+07:00" });
      expect(levels([received, request, withdrawn])).toEqual([]);
    });

    it("moves the pending levels by the office time paused", () => {
      const pause = aPause({ occurredAt: "2026-09-03T10:00:00+07:00" });
      const resume = aResume({ occurredAt: "2026-09-07T10:00:00+07:00" });
      // One office hour ran before the pause; level 2 comes 3 hours after the resume, level 3
      // 15 hours after it. The due instant itself stays (the dossier was already late).
      expect(levels([received, pause, resume])).toEqual([
        "2026-09-03T09:00:00+07:00 overdue-level-1 → handler cb-lan (email)",
        "2026-09-07T14:30:00+07:00 overdue-level-2 → unit-leader tp-mai (email)",
        "2026-09-09T09:00:00+07:00 overdue-level-3 → agency-leader gd-hung (email)",
      ]);
      expect(iso(foldDossier([received, pause, resume], working).legalDueAt)).toBe(
        "2026-09-03T09:00:00+07:00",
      );
    });
  });

  it("plans no apology alert once the dossier is finished, issued or not", () => {
    const finished = plan([aReceivedEvent(), aResultReady({ occurredAt: "2026-11-23T15:00:00+07:00" })]);
    expect(finished.filter((alert) => alert.rule.startsWith("apology"))).toEqual([]);
    const closed = plan([aReceivedEvent(), aWithdrawal()]);
    expect(closed.filter((alert) => alert.rule.startsWith("apology"))).toEqual([]);
  });

  it("plans no apology-overdue once the apology is issued", () => {
    const alerts = plan([aReceivedEvent(), anApology({ occurredAt: "2026-11-24T10:00:00+07:00" })]);
    expect(alerts.filter((alert) => alert.rule.startsWith("apology"))).toEqual([]);
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
    expect(due("2026-11-23T09:00:00+07:00")).toEqual([
      "citizen-receipt",
      "apology-draft-requested",
      "apology-duty",
      "due-in-2-working-days",
    ]);
  });

  it("drops a warning once the next one has come, and every warning once the due instant has passed", () => {
    expect(due("2026-11-25T09:30:00+07:00")).toEqual([
      "citizen-receipt",
      "apology-draft-requested",
      "apology-duty",
      "apology-overdue",
      "due-in-1-working-day",
    ]);
    expect(due("2026-11-26T15:00:00+07:00")).toEqual([
      "citizen-receipt",
      "apology-draft-requested",
      "apology-duty",
      "apology-overdue",
      "overdue-level-1",
      "overdue-level-2",
    ]);
  });
});
