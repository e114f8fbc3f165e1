import { describe, expect, it } from "vitest";
import {
  AlertPolicySchema,
  DEFAULT_ALERT_POLICY,
  parsePolicyFile,
  policyFor,
} from "../../../shared/alerts/index.ts";
import { DEFAULT_DOSSIER_POLICY } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";

describe("parsePolicyFile", () => {
  it("gives dunghan's defaults for an empty file", () => {
    const { book, dossier } = parsePolicyFile({});
    expect(book.defaults).toEqual(DEFAULT_ALERT_POLICY);
    expect(dossier).toEqual(DEFAULT_DOSSIER_POLICY);
  });

  it("overrides section by section; an agency's override applies on top of the deployment's", () => {
    const { book, dossier } = parsePolicyFile({
      defaults: {
        escalation: {
          levels: [{ role: "unit-leader", after: { amount: 1, unit: "working-days" }, channel: "sms" }],
        },
      },
      agencies: { "so-nnmt": { citizen: { receipt: false } } },
      dossier: { warningWindow: { amount: 4, unit: "working-hours" } },
    });
    expect(book.defaults.escalation).toEqual({
      enabled: true,
      levels: [{ role: "unit-leader", after: { amount: 1, unit: "working-days" }, channel: "sms" }],
    });
    const agency = policyFor(book, "so-nnmt");
    expect(agency.citizen.receipt).toBe(false);
    expect(agency.citizen.apology).toBe(true);
    expect(agency.escalation.levels).toHaveLength(1);
    expect(policyFor(book, "other").citizen.receipt).toBe(true);
    expect(dossier).toEqual({
      warningWindow: { amount: 4, unit: "working-hours" },
      keepPromisedAppointment: true,
    });
  });

  it("lets an agency set its own apology clock (the law's last day, the lead time, the desk)", () => {
    const { book } = parsePolicyFile({
      agencies: {
        "so-nnmt": {
          apologyDuty: { before: { amount: 3, unit: "working-days" }, notifyDesk: false },
          apologyOverdue: { roles: ["unit-leader", "agency-leader"], shortElapsedFraction: 0.9 },
        },
      },
    });
    const agency = policyFor(book, "so-nnmt");
    expect(agency.apologyDuty).toMatchObject({
      before: { amount: 3, unit: "working-days" },
      notifyDesk: false,
      shortElapsedFraction: 0.5,
      requestDraft: true,
    });
    expect(agency.apologyOverdue).toMatchObject({
      before: { amount: 1, unit: "working-days" },
      roles: ["unit-leader", "agency-leader"],
      shortElapsedFraction: 0.9,
    });
    expect(policyFor(book, "other").apologyDuty.before).toEqual({ amount: 2, unit: "working-days" });
  });

  it.each([
    [{ defaults: { apologyOverdue: { roles: ["handler"] } } }, /defaults.apologyOverdue.roles.0/],
    [{ defaults: { apologyDuty: { shortElapsedFraction: 1 } } }, /defaults.apologyDuty.shortElapsedFraction/],
    [{ defaults: { digest: { at: "7h30" } } }, /defaults.digest.at: expected HH:MM/],
    [
      {
        defaults: {
          handlerWarnings: { marks: [{ rule: "Due Soon", before: { amount: 1, unit: "working-days" } }] },
        },
      },
      /rule id/,
    ],
    [{ defaults: { citizen: { channels: ["fax"] } } }, /defaults.citizen.channels.0/],
    [{ unknown: true }, /Unrecognized key/],
  ])("refuses %j", (file, message) => {
    expect(() => parsePolicyFile(file)).toThrow(InvalidInputError);
    expect(() => parsePolicyFile(file)).toThrow(message);
  });

  it("derives the policy's type and its override from one schema: the defaults and every overridden policy are valid policies", () => {
    const { book } = parsePolicyFile({
      defaults: { smsWindow: { start: "08:00", end: "20:00" }, digest: { at: "07:00" } },
      agencies: { a: { escalation: { levels: [] } } },
    });

    expect(AlertPolicySchema.parse(DEFAULT_ALERT_POLICY)).toEqual(DEFAULT_ALERT_POLICY);
    expect(AlertPolicySchema.parse(book.defaults)).toEqual(book.defaults);
    expect(AlertPolicySchema.parse(policyFor(book, "a"))).toEqual(policyFor(book, "a"));
    expect(policyFor(book, "a").escalation).toEqual({ enabled: true, levels: [] });
    expect(book.defaults.smsWindow).toEqual({ start: "08:00", end: "20:00" });
  });

  it("replaces the SMS window whole: half a window is refused", () => {
    expect(() => parsePolicyFile({ defaults: { smsWindow: { start: "08:00" } } })).toThrow(
      /defaults.smsWindow.end/,
    );
  });
});
