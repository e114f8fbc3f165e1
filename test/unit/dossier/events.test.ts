import { describe, expect, it } from "vitest";
import {
  dossierEventToJson,
  parseDossierEvent,
  parseEventInstant,
  sameEvent,
} from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
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
  CODE,
} from "./builders.ts";

const builders = {
  received: aReceivedEvent,
  assigned: anAssignedEvent,
  transferred: aTransferredEvent,
  "supplement-requested": aSupplementRequest,
  "supplement-received": aSupplementReceipt,
  paused: aPause,
  resumed: aResume,
  "apology-issued": anApology,
  "result-ready": aResultReady,
  returned: aReturn,
  rejected: aRejection,
  withdrawn: aWithdrawal,
  stopped: aStop,
  "alert-acknowledged": anAcknowledgement,
};

const wire = (overrides: Record<string, unknown> = {}) => ({
  ...(dossierEventToJson(aReceivedEvent()) as Record<string, unknown>),
  ...overrides,
});

describe("parseDossierEvent", () => {
  it.each(Object.entries(builders))("parses a %s event and round-trips its wire form", (type, build) => {
    const event = build();
    expect(event.type).toBe(type);
    expect(event.dossierCode).toBe(CODE);
    expect(typeof event.occurredAt).toBe("number");
    expect(parseDossierEvent(dossierEventToJson(event))).toEqual(event);
  });

  it("turns instants into epoch milliseconds, whatever the offset", () => {
    const event = parseDossierEvent(
      wire({ occurredAt: "2026-11-20T02:00:00Z", receivedAt: "2026-11-20T09:00:00+07:00" }),
    );
    expect(event.occurredAt).toBe(at("2026-11-20T09:00:00+07:00"));
    expect(dossierEventToJson(event).occurredAt).toBe("2026-11-20T09:00:00+07:00");
  });

  it.each([
    ["2026-11-20T09:00:00", "no offset: refused rather than guessed"],
    ["2026-02-30T09:00:00+07:00", "no such day"],
    ["2026-11-20T24:00:00+07:00", "no such hour"],
    ["20/11/2026 09:00", "not ISO-8601"],
  ])("refuses the instant %s (%s)", (text) => {
    expect(parseEventInstant(text)).toBeUndefined();
    expect(() => parseDossierEvent(wire({ occurredAt: text }))).toThrow(
      /occurredAt: expected an ISO-8601 instant/,
    );
  });

  it("names the field at fault but never a phone number or e-mail address", () => {
    const applicant = {
      name: "Nguyễn Văn An",
      phone: "12345",
      email: "not-an-email",
      consent: { sms: true, email: true },
    };
    let error: unknown;
    try {
      parseDossierEvent(wire({ applicant }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const message = (error as Error).message;
    expect(message).toContain("applicant.phone");
    expect(message).toContain("applicant.email");
    expect(message).not.toContain("12345");
    expect(message).not.toContain("not-an-email");
  });

  it("defaults the consent flags to no contact", () => {
    const event = parseDossierEvent(wire({ applicant: { name: "Nguyễn Văn An", phone: "0912345678" } }));
    expect(event.type === "received" && event.applicant.consent).toEqual({ sms: false, email: false });
  });

  it.each([
    [{ type: "archived" }, /type/],
    [{ dossierCode: "x" }, /dossierCode: invalid dossier code/],
    [{ id: "" }, /id: must not be empty/],
    [{ colour: "red" }, /Unrecognized key/],
    [
      { procedure: { code: "p", name: "n", timeLimit: { amount: 1.5, unit: "calendar-days" } } },
      /whole number/,
    ],
    [
      { procedure: { code: "p", name: "n", timeLimit: { amount: 3, unit: "weeks" } } },
      /procedure.timeLimit.unit/,
    ],
    [
      { procedure: { code: "p", name: "n", timeLimit: { amount: 3, unit: "working-days" }, cutoff: "3pm" } },
      /HH:MM/,
    ],
  ])("refuses %j", (overrides, message) => {
    expect(() => parseDossierEvent(wire(overrides))).toThrow(message);
  });

  it("refuses an apology whose new appointment is not after it", () => {
    expect(() => anApology({ newAppointment: "2026-11-25T08:00:00+07:00" })).toThrow(
      /newAppointment: the new appointment must be after the apology/,
    );
  });

  it("compares events by content, whatever the key order", () => {
    const event = aReceivedEvent();
    const reordered = parseDossierEvent(
      Object.fromEntries(Object.entries(dossierEventToJson(event)).reverse()),
    );
    expect(sameEvent(event, reordered)).toBe(true);
    expect(sameEvent(event, aReceivedEvent({ channel: "online" }))).toBe(false);
  });
});
