import { describe, expect, it } from "vitest";
import { smsSendableAt } from "../../../shared/alerts/index.ts";
import { at, iso } from "../dossier/builders.ts";

const window = { start: "07:00", end: "21:00" };

describe("smsSendableAt", () => {
  it.each([
    ["2026-11-20T09:00:00+07:00", "2026-11-20T09:00:00+07:00"], // inside the window
    ["2026-11-20T07:00:00+07:00", "2026-11-20T07:00:00+07:00"], // the window's first minute
    ["2026-11-20T06:10:00+07:00", "2026-11-20T07:00:00+07:00"], // early morning → 07:00 that day
    ["2026-11-20T20:59:59+07:00", "2026-11-20T20:59:59+07:00"],
    ["2026-11-20T21:00:00+07:00", "2026-11-21T07:00:00+07:00"], // from 21:00 → next morning
    ["2026-11-21T23:30:00+07:00", "2026-11-22T07:00:00+07:00"], // Saturday night → Sunday 07:00, not Monday
    ["2026-11-23T21:30:00+07:00", "2026-11-24T07:00:00+07:00"], // the eve of the 24/11 holiday: still 07:00
    ["2026-12-31T22:00:00+07:00", "2027-01-01T07:00:00+07:00"],
  ])("%s → %s", (when, expected) => {
    expect(iso(smsSendableAt(at(when), window))).toBe(expected);
  });

  it("reads the window as Vietnam local time whatever the host zone (tests run in UTC)", () => {
    // 14:30 UTC is 21:30 in Hà Nội: quiet.
    expect(iso(smsSendableAt(Date.UTC(2026, 10, 20, 14, 30), window))).toBe("2026-11-21T07:00:00+07:00");
  });
});
