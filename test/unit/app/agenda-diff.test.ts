import { describe, expect, it } from "vitest";
import { diffAgenda } from "../../../shared/app/agenda-diff.ts";
import type { AgendaEntry, PlannedAlert } from "../../../shared/app/ports.ts";
import { InvalidInputError } from "../../../shared/errors.ts";

const CODE = "000.00.12.H42-261120-0001";

function anAlert(key: string, at: string, overrides: Partial<PlannedAlert> = {}): PlannedAlert {
  return {
    at,
    dedupeKey: `${CODE}:${key}`,
    rule: "due-soon",
    recipientRole: "handler",
    recipientId: "cb-01",
    channel: "email",
    dossierCode: CODE,
    agencyId: "so-nnmt",
    ...overrides,
  };
}

const pending = (alert: PlannedAlert): AgendaEntry => ({ alert, doneAt: undefined });
const done = (alert: PlannedAlert): AgendaEntry => ({ alert, doneAt: "2026-11-25T07:30:05+07:00" });

const WARN = anAlert("warn", "2026-11-25T07:30:00+07:00");
const LATE = anAlert("late", "2026-11-26T17:00:00+07:00");

describe("diffAgenda", () => {
  it("puts every alert of a first plan and removes nothing", () => {
    expect(diffAgenda([], [WARN, LATE])).toEqual({ put: [WARN, LATE], remove: [] });
  });

  it("writes nothing when the plan is the stored agenda, whatever the key order inside an alert", () => {
    const reordered = Object.fromEntries(Object.entries(WARN).reverse()) as PlannedAlert;

    expect(diffAgenda([pending(WARN), pending(LATE)], [LATE, reordered])).toEqual({ put: [], remove: [] });
  });

  it("removes the entries no longer planned and puts the changed ones", () => {
    const moved = { ...LATE, at: "2026-11-27T17:00:00+07:00" };
    const added = anAlert("apology", "2026-11-26T08:00:00+07:00");

    expect(diffAgenda([pending(WARN), pending(LATE)], [moved, added])).toEqual({
      put: [moved, added],
      remove: [WARN.dedupeKey],
    });
  });

  it("never rewrites an entry already done, even when the plan changed it", () => {
    const moved = { ...WARN, at: "2026-11-25T08:00:00+07:00" };

    expect(diffAgenda([done(WARN)], [moved])).toEqual({ put: [], remove: [] });
  });

  it("removes a done entry the plan dropped", () => {
    expect(diffAgenda([done(WARN), pending(LATE)], [LATE])).toEqual({ put: [], remove: [WARN.dedupeKey] });
  });

  it("refuses a plan that holds one dedupe key twice", () => {
    const twice = () => diffAgenda([], [WARN, { ...WARN, at: LATE.at }]);

    expect(twice).toThrow(InvalidInputError);
    expect(twice).toThrow(/same dedupe key twice/);
  });
});
