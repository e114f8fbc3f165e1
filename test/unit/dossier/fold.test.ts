import { describe, expect, it } from "vitest";
import {
  type DossierEvent,
  describeDossier,
  foldAsOf,
  foldDossier,
  progressAt,
  reachedDueAt,
} from "../../../shared/dossier/index.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import {
  AGENCY,
  anAcknowledgement,
  anApology,
  anAssignedEvent,
  aPause,
  aReceivedEvent,
  aRejection,
  aResultReady,
  aResume,
  aReturn,
  aStop,
  aSupplementReceipt,
  aSupplementRequest,
  aTransferredEvent,
  at,
  aWithdrawal,
  iso,
  LAND_UNIT,
  procedure,
  TAX_AGENCY,
  working,
} from "./builders.ts";

const fold = (...events: DossierEvent[]) => foldDossier(events, working);
const state = (now: string, ...events: DossierEvent[]) => describeDossier(fold(...events), at(now), working);

describe("received", () => {
  it("gives the appointment on the working-time calendar, skipping the 24/11/2026 holiday", () => {
    const dossier = fold(aReceivedEvent());
    expect(iso(dossier.appointments[0]!.at)).toBe("2026-11-26T09:00:00+07:00");
    expect(iso(dossier.legalDueAt)).toBe("2026-11-26T09:00:00+07:00");
    expect(iso(dossier.dueAt)).toBe("2026-11-26T09:00:00+07:00");
    expect(dossier.current.handler?.id).toBe("cb-lan");
  });

  it("counts from the next working day's opening after the procedure's 15:00 cut-off", () => {
    const received = aReceivedEvent({
      occurredAt: "2026-11-20T15:30:00+07:00",
      procedure: procedure({ timeLimit: { amount: 1, unit: "working-days" }, cutoff: "15:00" }),
    });
    expect(iso(fold(received).legalDueAt)).toBe("2026-11-23T17:00:00+07:00");
  });

  it("keeps the appointment the receipt recorded", () => {
    const received = aReceivedEvent({ appointment: "2026-11-26T10:00:00+07:00" });
    expect(iso(fold(received).legalDueAt)).toBe("2026-11-26T10:00:00+07:00");
    // …and keeps what the time limit alone gives, which the apology clock counts from.
    expect(iso(fold(received).appointments[0]!.limitAt)).toBe("2026-11-26T09:00:00+07:00");
  });

  it.each([
    ["2026-11-20T10:00:00+07:00", "trong-han"],
    ["2026-11-25T09:00:00+07:00", "sap-den-han"], // exactly one working day left (24/11 is off)
    ["2026-11-24T16:00:00+07:00", "trong-han"], // on the holiday 9.5 office hours are still left
    ["2026-11-26T09:00:00+07:00", "sap-den-han"], // the due instant itself is not yet late
    ["2026-11-26T09:00:01+07:00", "qua-han"],
  ])("is %s → %s while in progress", (now, status) => {
    expect(state(now, aReceivedEvent()).status).toBe(status);
  });

  it("reports elapsed and remaining office time", () => {
    const json = state("2026-11-25T10:00:00+07:00", aReceivedEvent());
    // 20/11 09:00–17:00 is 6.5 h (lunch 11:30–13:00), 23/11 8 h, 24/11 off, 25/11 07:30–10:00 2.5 h.
    expect(json.elapsed).toEqual({ officeMs: 17 * 3_600_000, workingDays: 2.13 });
    expect(json.remaining).toEqual({ officeMs: 7 * 3_600_000, workingDays: 0.88 });
  });

  it("needs a received event", () => {
    expect(() => fold(aPause())).toThrow(NotFoundError);
  });
});

describe("steps (assigned, transferred)", () => {
  it("gives each step its own due instant and closes it when the next one starts", () => {
    const dossier = fold(aReceivedEvent(), anAssignedEvent(), aTransferredEvent());
    const [assigned, transferred] = dossier.steps;
    expect(iso(assigned!.dueAt)).toBe("2026-11-25T10:00:00+07:00");
    expect(iso(assigned!.finishedAt)).toBe("2026-11-23T09:00:00+07:00");
    expect(iso(transferred!.dueAt)).toBe("2026-11-25T09:00:00+07:00"); // one working day, over 24/11
    expect(transferred!.assignment.agency).toEqual(TAX_AGENCY);
    expect(dossier.current.agency).toEqual(TAX_AGENCY);
  });

  it("takes a step's due instant from the slip when recorded", () => {
    const dossier = fold(aReceivedEvent(), anAssignedEvent({ dueAt: "2026-11-23T16:00:00+07:00" }));
    expect(iso(dossier.steps[0]!.dueAt)).toBe("2026-11-23T16:00:00+07:00");
    expect(dossier.steps[0]!.dueRecorded).toBe(true);
  });

  it("assigns within the receiving agency after a liên thông step unless told otherwise", () => {
    const back = anAssignedEvent({ occurredAt: "2026-11-25T08:00:00+07:00" });
    expect(fold(aReceivedEvent(), aTransferredEvent(), back).current.agency).toEqual(AGENCY);
  });

  it("names the open step past its own due instant as the delay", () => {
    const json = state("2026-11-25T09:30:00+07:00", aReceivedEvent(), anAssignedEvent(), aTransferredEvent());
    expect(json.delay).toEqual({
      reason: "step-overdue",
      stepId: "transferred@2026-11-23T09:00:00+07:00",
      assignment: { agency: TAX_AGENCY, unit: null, handler: null },
    });
    expect(json.status).toBe("sap-den-han");
  });

  it("names the first step finished after its own due instant, even when the dossier ends on time", () => {
    const late = aTransferredEvent({ occurredAt: "2026-11-25T11:00:00+07:00" });
    const json = state(
      "2026-11-26T08:00:00+07:00",
      aReceivedEvent(),
      anAssignedEvent(),
      late,
      aResultReady({ occurredAt: "2026-11-25T16:00:00+07:00" }),
    );
    expect(json.delay?.reason).toBe("step-finished-late");
    expect(json.delay?.assignment.unit).toEqual(LAND_UNIT);
    expect(json.steps.map((step) => step.late)).toEqual([true, false]);
    expect(json.status).toBe("truoc-han");
  });
});

describe("supplements", () => {
  const received = aReceivedEvent({
    occurredAt: "2026-11-02T14:00:00+07:00",
    procedure: procedure({ timeLimit: { amount: 5, unit: "working-days" } }),
  });
  const request = aSupplementRequest({ occurredAt: "2026-11-04T10:00:00+07:00" });
  const back = aSupplementReceipt({ occurredAt: "2026-11-10T09:30:00+07:00" });

  it("stops the clock while the supplement is awaited", () => {
    const json = state("2026-11-06T10:00:00+07:00", received, request);
    expect(json.phase).toBe("awaiting-supplement");
    expect(json.awaitingSupplement).toBe(true);
    expect(json.legalDueAt).toBeNull();
    expect(json.originalAppointment).toBe("2026-11-09T14:00:00+07:00");
    expect(json.status).toBe("trong-han");
  });

  it("restarts the time limit from zero when the complete dossier is back (NĐ 61/2018 Art. 19(4))", () => {
    const json = state("2026-11-11T10:00:00+07:00", received, request, back);
    expect(json.originalAppointment).toBe("2026-11-09T14:00:00+07:00");
    expect(json.currentAppointment).toBe("2026-11-17T09:30:00+07:00");
    expect(json.legalDueAt).toBe("2026-11-17T09:30:00+07:00");
    expect(json.appointmentVersion).toBe(2);
    expect(json.appointments.map((version) => version.kind)).toEqual(["receipt", "restart"]);
    expect(json.elapsed.officeMs).toBe(8.5 * 3_600_000); // only since the restart (10/11 09:30 → 11/11 10:00)
  });

  it("restarts the open step's allotment too", () => {
    const step = anAssignedEvent({
      occurredAt: "2026-11-02T15:00:00+07:00",
      allotment: { amount: 4, unit: "working-days" },
    });
    expect(iso(fold(received, step, request, back).steps[0]!.dueAt)).toBe("2026-11-16T09:30:00+07:00");
  });

  it("applies the 15:00 cut-off to the returned supplement", () => {
    const withCutoff = aReceivedEvent({
      occurredAt: "2026-11-02T14:00:00+07:00",
      procedure: procedure({ timeLimit: { amount: 5, unit: "working-days" }, cutoff: "15:00" }),
    });
    const late = aSupplementReceipt({ occurredAt: "2026-11-10T15:30:00+07:00" });
    expect(iso(fold(withCutoff, request, late).legalDueAt)).toBe("2026-11-17T17:00:00+07:00");
  });

  it("pauses instead when the procedure says so", () => {
    const pausing = aReceivedEvent({
      occurredAt: "2026-11-02T14:00:00+07:00",
      procedure: procedure({ timeLimit: { amount: 5, unit: "working-days" }, supplementPolicy: "pause" }),
    });
    const dossier = fold(pausing, request, back);
    // 09/11 14:00 moved by the 31.5 office hours waited (04/11 10:00 → 10/11 09:30).
    expect(iso(dossier.legalDueAt)).toBe("2026-11-13T13:30:00+07:00");
    expect(dossier.appointments).toHaveLength(1);
  });
});

describe("paused / resumed", () => {
  it("moves the due instant by the office time paused (the holiday in between counts nothing)", () => {
    const dossier = fold(aReceivedEvent(), aPause(), aResume());
    expect(iso(dossier.legalDueAt)).toBe("2026-11-27T09:00:00+07:00");
    expect(iso(dossier.appointments[0]!.at)).toBe("2026-11-26T09:00:00+07:00");
  });

  it("has no due instant while paused, and a frozen remaining time", () => {
    const monday = state("2026-11-23T10:00:00+07:00", aReceivedEvent(), aPause());
    const tuesday = state("2026-11-25T16:00:00+07:00", aReceivedEvent(), aPause());
    expect(monday.dueAt).toBeNull();
    expect(monday.paused).toBe(true);
    expect(monday.phase).toBe("paused");
    expect(tuesday.remaining).toEqual(monday.remaining);
    expect(monday.remaining.officeMs).toBe(16 * 3_600_000); // 23/11 09:00 → 26/11 09:00, 24/11 off
  });

  it("has no due instant while paused after it, and does not move one that had already passed", () => {
    const late = aPause({ occurredAt: "2026-11-26T10:00:00+07:00" });
    const paused = fold(aReceivedEvent(), late);
    // Stopped is stopped, also once overdue: the escalation waits with the clock.
    expect(paused.legalDueAt).toBeUndefined();
    expect(paused.dueAt).toBeUndefined();
    expect(iso(reachedDueAt(paused, working, "legal"))).toBe("2026-11-26T09:00:00+07:00");
    expect(iso(reachedDueAt(paused, working, "current"))).toBe("2026-11-26T09:00:00+07:00");
    expect(progressAt(paused, at("2026-11-27T09:00:00+07:00"), working)).toMatchObject({
      status: "qua-han",
      phase: "paused",
    });
    const resumed = fold(aReceivedEvent(), late, aResume({ occurredAt: "2026-11-30T09:00:00+07:00" }));
    expect(iso(resumed.legalDueAt)).toBe("2026-11-26T09:00:00+07:00");
    expect(iso(resumed.dueAt)).toBe("2026-11-26T09:00:00+07:00");
  });

  it("knows no reached due instant while a pause that began before it holds the clock", () => {
    expect(reachedDueAt(fold(aReceivedEvent(), aPause()), working, "legal")).toBeUndefined();
  });

  it("lists a resume without a pause as an anomaly and ignores it", () => {
    const dossier = fold(aReceivedEvent(), aResume());
    expect(dossier.anomalies).toEqual([
      "resumed resumed@2026-11-25T09:00:00+07:00: the clock was not paused",
    ]);
    expect(iso(dossier.legalDueAt)).toBe("2026-11-26T09:00:00+07:00");
  });
});

describe("apology-issued", () => {
  it("gives a new current appointment; the original and the legal due instant stay", () => {
    const json = state("2026-11-27T10:00:00+07:00", aReceivedEvent(), anApology());
    expect(json.originalAppointment).toBe("2026-11-26T09:00:00+07:00");
    expect(json.currentAppointment).toBe("2026-12-02T09:00:00+07:00");
    expect(json.dueAt).toBe("2026-12-02T09:00:00+07:00");
    expect(json.legalDueAt).toBe("2026-11-26T09:00:00+07:00");
    expect(json.appointmentVersion).toBe(2);
    expect(json.apology).toMatchObject({ reason: "Chờ ý kiến cơ quan thuế", responsibleUnit: LAND_UNIT });
    // An apology does not make a late dossier on time.
    expect(json.status).toBe("qua-han");
  });
});

describe("finishing", () => {
  it.each([
    ["2026-11-25T15:00:00+07:00", "truoc-han"],
    ["2026-11-26T16:00:00+07:00", "dung-han"], // after the due hour, on the due date
    ["2026-11-27T08:00:00+07:00", "qua-han"],
  ])("result ready at %s is %s (by local date)", (when, status) => {
    const json = state("2026-12-10T10:00:00+07:00", aReceivedEvent(), aResultReady({ occurredAt: when }));
    expect(json.phase).toBe("finished");
    expect(json.status).toBe(status);
    expect(json.finishedAt).toBe(when);
  });

  it("counts the return apart from the finish", () => {
    const json = state("2026-11-30T10:00:00+07:00", aReceivedEvent(), aResultReady(), aReturn());
    expect(json.phase).toBe("returned");
    expect(json.finishedAt).toBe("2026-11-25T15:00:00+07:00");
    expect(json.returnedAt).toBe("2026-11-26T08:00:00+07:00");
    expect(json.status).toBe("truoc-han");
  });

  it("takes the return as the finish when no result-ready was recorded", () => {
    const json = state(
      "2026-11-30T10:00:00+07:00",
      aReceivedEvent(),
      aReturn({ occurredAt: "2026-11-27T08:00:00+07:00" }),
    );
    expect(json.finishedAt).toBe("2026-11-27T08:00:00+07:00");
    expect(json.status).toBe("qua-han");
  });

  it("reads a dossier finished while paused with the pause ended at the finish", () => {
    const json = state(
      "2026-12-10T10:00:00+07:00",
      aReceivedEvent(),
      aPause(),
      aResultReady({ occurredAt: "2026-11-27T08:00:00+07:00" }),
    );
    // 26/11 09:00 moved by the 23 office hours paused (23/11 09:00 → 27/11 08:00).
    expect(json.legalDueAt).toBe("2026-12-01T08:00:00+07:00");
    expect(json.status).toBe("truoc-han");
  });

  it.each([
    ["rejected", aRejection],
    ["withdrawn", aWithdrawal],
    ["stopped", aStop],
  ] as const)("%s closes the dossier with no timeliness class", (kind, build) => {
    const json = state("2026-11-30T10:00:00+07:00", aReceivedEvent(), anAssignedEvent(), build());
    expect(json.phase).toBe(kind);
    expect(json.status).toBeNull();
    expect(json.closure).toMatchObject({ kind, at: "2026-11-23T09:00:00+07:00" });
    expect(json.steps[0]!.finishedAt).toBe("2026-11-23T09:00:00+07:00");
  });
});

describe("alert-acknowledged", () => {
  it("records who acknowledged which appointment version", () => {
    const dossier = fold(
      aReceivedEvent(),
      anApology(),
      anAcknowledgement({ occurredAt: "2026-12-02T10:00:00+07:00" }),
    );
    expect(dossier.acknowledgements).toEqual([
      { at: at("2026-12-02T10:00:00+07:00"), by: { id: "tp-mai", role: "unit-leader" }, version: 2 },
    ]);
  });
});

describe("describeDossier", () => {
  it("is plain JSON carrying what an apology letter needs", () => {
    const json = state("2026-11-27T10:00:00+07:00", aReceivedEvent(), anAssignedEvent(), anApology());
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).toMatchObject({
      dossierCode: "000.00.12.H42-261120-0001",
      agency: AGENCY,
      unit: { id: "mot-cua", name: "Bộ phận Một cửa" },
      procedure: { name: "Đăng ký biến động quyền sử dụng đất", field: "Đất đai" },
      applicant: { name: "Nguyễn Văn An", honorific: "Ông" },
      receivedAt: "2026-11-20T09:00:00+07:00",
      originalAppointment: "2026-11-26T09:00:00+07:00",
      currentAppointment: "2026-12-02T09:00:00+07:00",
      apology: { newAppointment: "2026-12-02T09:00:00+07:00", responsibleUnit: LAND_UNIT },
    });
  });

  it("reads the dossier as known at an instant (foldAsOf)", () => {
    const events = [aReceivedEvent(), aPause(), aResume()];
    expect(foldAsOf(events, at("2026-11-20T08:00:00+07:00"), working)).toBeUndefined();
    expect(iso(foldAsOf(events, at("2026-11-24T10:00:00+07:00"), working)!.dueAt)).toBeUndefined();
    expect(iso(foldAsOf(events, at("2026-11-25T10:00:00+07:00"), working)!.dueAt)).toBe(
      "2026-11-27T09:00:00+07:00",
    );
  });

  it("measures the status against the warning window of the policy", () => {
    const dossier = fold(aReceivedEvent());
    const now = at("2026-11-23T16:00:00+07:00"); // 1 working day and 1 hour left
    expect(progressAt(dossier, now, working).status).toBe("trong-han");
    const wide = {
      warningWindow: { amount: 2, unit: "working-days" as const },
      keepPromisedAppointment: true,
    };
    expect(progressAt(dossier, now, working, wide).status).toBe("sap-den-han");
  });
});
