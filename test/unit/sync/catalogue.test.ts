import { describe, expect, it } from "vitest";
import { lookupProcedure, parseCatalogue } from "../../../shared/sync/index.ts";

const procedure = {
  code: "1.001612",
  name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
  timeLimit: { amount: 5, unit: "working-days" },
};

describe("the procedure catalogue", () => {
  it("reads a bare array as an unversioned catalogue", () => {
    const catalogue = parseCatalogue([procedure]);
    expect(catalogue.version).toBe("unversioned");
    expect(lookupProcedure(catalogue, "1.001612")?.timeLimit).toEqual({ amount: 5, unit: "working-days" });
  });

  it("reads a versioned catalogue with an online limit", () => {
    const catalogue = parseCatalogue({
      version: "2026-11",
      procedures: [{ ...procedure, onlineTimeLimit: { amount: 4, unit: "working-days" } }],
    });
    expect(catalogue.version).toBe("2026-11");
    expect(lookupProcedure(catalogue, " 1.001612 ")?.onlineTimeLimit).toEqual({
      amount: 4,
      unit: "working-days",
    });
  });

  it("knows nothing of an absent or empty code", () => {
    const catalogue = parseCatalogue([procedure]);
    expect(lookupProcedure(catalogue, "2.000908")).toBeUndefined();
    expect(lookupProcedure(catalogue, "")).toBeUndefined();
    expect(lookupProcedure(catalogue, undefined)).toBeUndefined();
  });

  it("refuses a code listed twice", () => {
    expect(() => parseCatalogue([procedure, procedure])).toThrow(/1\.code.*twice/);
  });

  it("refuses an entry without a time limit, naming it", () => {
    expect(() => parseCatalogue([{ code: "1.001612", name: "x" }])).toThrow(/0\.timeLimit/);
  });
});
