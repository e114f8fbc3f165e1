import { describe, expect, it } from "vitest";
import {
  assertValidEventSet,
  decide,
  dossierEventToJson,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";
import { ConflictError, InvalidInputError } from "../../../shared/errors.ts";
import {
  anApology,
  anAssignedEvent,
  aReceivedEvent,
  aRejection,
  aResultReady,
  aReturn,
  aStop,
} from "./builders.ts";

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
};

describe("decide", () => {
  it("accepts a new event of a valid dossier", () => {
    expect(decide([], aReceivedEvent())).toEqual({ outcome: "accepted" });
    expect(decide([aReceivedEvent()], anAssignedEvent())).toEqual({ outcome: "accepted" });
  });

  it("treats the same event again as a duplicate (idempotent ingest)", () => {
    const events = [aReceivedEvent(), anAssignedEvent()];
    expect(decide(events, anAssignedEvent())).toEqual({ outcome: "duplicate" });
    const copy = parseDossierEvent(JSON.parse(JSON.stringify(dossierEventToJson(aReceivedEvent()))));
    expect(decide(events, copy)).toEqual({ outcome: "duplicate" });
  });

  it("refuses the same id with other content", () => {
    const changed = anAssignedEvent({ id: "assigned@2026-11-20T10:00:00+07:00", task: "Đo đạc" });
    const error = errorOf(() => decide([aReceivedEvent(), anAssignedEvent()], changed));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      "event assigned@2026-11-20T10:00:00+07:00 was already recorded with other content",
    );
  });

  it("refuses a second apology, citing NĐ 118/2025 for a dossier received from 01/07/2025", () => {
    const second = anApology({
      id: "apology-2",
      occurredAt: "2026-12-01T09:00:00+07:00",
      newAppointment: "2026-12-08T09:00:00+07:00",
    });
    const error = errorOf(() => decide([aReceivedEvent(), anApology()], second));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/an apology was already issued; NĐ 118\/2025 allows one per dossier/);
    expect(error.message).not.toMatch(/61\/2018/);
    expect(error.message).toMatch(/apology-issued apology-2 refused/);
  });

  it("cites the law of the receipt date: NĐ 61/2018 Art. 19(9) until 30/06/2025, NĐ 118/2025 from 01/07/2025", () => {
    const apologies = (day: string) => [
      anApology({ occurredAt: `${day}T09:00:00+07:00`, newAppointment: "2026-12-08T09:00:00+07:00" }),
      anApology({
        id: "apology-2",
        occurredAt: `${day}T10:00:00+07:00`,
        newAppointment: "2026-12-09T09:00:00+07:00",
      }),
    ];
    const messageFor = (received: string) => {
      const [first, second] = apologies(received.slice(0, 10));
      return errorOf(() => decide([aReceivedEvent({ occurredAt: received }), first!], second!)).message;
    };
    expect(messageFor("2025-06-30T16:00:00+07:00")).toMatch(/NĐ 61\/2018 Art\. 19\(9\) allows one/);
    // 2025-06-30T23:30 in Vietnam is still 30/06 — the local date decides, not UTC's.
    expect(messageFor("2025-06-30T23:30:00+07:00")).toMatch(/NĐ 61\/2018/);
    expect(messageFor("2025-07-01T08:00:00+07:00")).toMatch(/NĐ 118\/2025 allows one/);
    expect(messageFor("2025-08-26T09:00:00+07:00")).toMatch(/NĐ 118\/2025 allows one/);
  });

  it("refuses an event for another dossier", () => {
    const other = anAssignedEvent({ dossierCode: "000.00.12.H42-261120-0002" });
    expect(() => decide([aReceivedEvent()], other)).toThrow(InvalidInputError);
    expect(() => decide([aReceivedEvent()], other)).toThrow(
      "event assigned@2026-11-20T10:00:00+07:00 is for dossier 000.00.12.H42-261120-0002, not 000.00.12.H42-261120-0001",
    );
  });

  it("refuses an event before the dossier was received, in either arrival order", () => {
    const early = anAssignedEvent({ occurredAt: "2026-11-20T08:00:00+07:00" });
    expect(() => decide([aReceivedEvent()], early)).toThrow(InvalidInputError);
    expect(() => decide([early], aReceivedEvent())).toThrow(
      /is before the dossier was received at 2026-11-20T09:00:00\+07:00/,
    );
  });

  it("accepts a valid stream that arrives out of order", () => {
    const stream = [aResultReady(), anAssignedEvent(), aReceivedEvent(), aReturn()];
    const stored: typeof stream = [];
    for (const event of stream) {
      expect(decide(stored, event).outcome).toBe("accepted");
      stored.push(event);
    }
  });

  it("refuses a second reception, two endings and anything after the end", () => {
    const again = aReceivedEvent({ id: "received-2" });
    expect(() => decide([aReceivedEvent()], again)).toThrow(ConflictError);
    expect(() =>
      decide([aReceivedEvent(), aResultReady()], aRejection({ occurredAt: "2026-11-25T16:00:00+07:00" })),
    ).toThrow("dossier 000.00.12.H42-261120-0001 cannot be both rejected and result-ready");
    expect(() =>
      decide([aReceivedEvent(), aStop()], aRejection({ occurredAt: "2026-11-24T09:00:00+07:00" })),
    ).toThrow(ConflictError);
    expect(() =>
      decide([aReceivedEvent(), aStop()], anAssignedEvent({ occurredAt: "2026-11-25T09:00:00+07:00" })),
    ).toThrow(/comes after the dossier ended \(stopped at 2026-11-23T09:00:00\+07:00\)/);
    expect(() =>
      decide([aReceivedEvent(), aResultReady()], anApology({ occurredAt: "2026-11-25T16:00:00+07:00" })),
    ).toThrow(ConflictError);
  });

  it("lets the return and acknowledgements follow the result", () => {
    expect(decide([aReceivedEvent(), aResultReady()], aReturn()).outcome).toBe("accepted");
    expect(() =>
      decide([aReceivedEvent(), aResultReady({ occurredAt: "2026-11-26T09:00:00+07:00" })], aReturn()),
    ).toThrow("dossier 000.00.12.H42-261120-0001: the result was returned before it was ready");
  });

  it("never puts the applicant's phone or e-mail into an error", () => {
    const changed = aReceivedEvent({ channel: "online" });
    const error = errorOf(() => decide([aReceivedEvent()], changed));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).not.toContain("0912345678");
    expect(error.message).not.toContain("an.nguyen@example.vn");
    expect(JSON.stringify((error as ConflictError).details)).not.toContain("0912345678");
  });

  it("validates a whole stored set the same way (assertValidEventSet)", () => {
    expect(() => assertValidEventSet([aReceivedEvent(), anApology(), anApology({ id: "again" })])).toThrow(
      ConflictError,
    );
    expect(() => assertValidEventSet([anApology(), aReceivedEvent()])).not.toThrow();
  });
});
