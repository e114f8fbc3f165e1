import { describe, expect, it } from "vitest";
import { reportPath, StaffApiClient } from "../../../dashboard/web/api-client.ts";
import {
  defaultSelection,
  downloadName,
  hashOf,
  isReportsRoute,
  NO_DATA_TEXT,
  rangeOf,
  recentPeriods,
  reportRequest,
  selectionFromHash,
  switchKind,
  weekChart,
} from "../../../dashboard/web/reports-model.ts";

const TODAY = "2026-11-20";

describe("the reports page's address", () => {
  it("defaults to this month by unit", () => {
    expect(selectionFromHash("#/bao-cao", TODAY)).toEqual(defaultSelection(TODAY));
    expect(defaultSelection(TODAY)).toEqual({ period: { kind: "month", value: "2026-11" }, by: "unit" });
  });

  it("reads back every selection it writes", () => {
    for (const selection of [
      { period: { kind: "month", value: "2026-02" }, by: "procedure" },
      { period: { kind: "quarter", value: "2026-Q4" }, by: "field" },
      { period: { kind: "year", value: "2025" }, by: "handler" },
      { period: { kind: "custom", from: "2026-10-15", to: "2026-11-20" }, by: "unit" },
    ] as const) {
      const hash = hashOf(selection);
      expect(isReportsRoute(hash)).toBe(true);
      expect(selectionFromHash(hash, TODAY)).toEqual(selection);
    }
    expect(hashOf({ period: { kind: "quarter", value: "2026-Q4" }, by: "field" })).toBe(
      "#/bao-cao?ky=2026-Q4&theo=linh-vuc",
    );
  });

  it("falls back to the default for what is malformed: a 13th month, a backwards range, an unknown breakdown", () => {
    expect(selectionFromHash("#/bao-cao?ky=2026-13&theo=xyz", TODAY)).toEqual(defaultSelection(TODAY));
    expect(selectionFromHash("#/bao-cao?tu=2026-11-20&den=2026-11-01", TODAY).period).toEqual(
      defaultSelection(TODAY).period,
    );
    expect(isReportsRoute("#/ho-so/X")).toBe(false);
  });

  it("asks the API for the named period, or from–to for a custom one", () => {
    expect(
      reportPath(reportRequest({ period: { kind: "quarter", value: "2026-Q4" }, by: "field" }), "xlsx"),
    ).toBe("/reports?period=2026-Q4&by=field&format=xlsx");
    expect(
      reportPath(
        reportRequest({ period: { kind: "custom", from: "2026-10-15", to: "2026-11-20" }, by: "unit" }),
      ),
    ).toBe("/reports?from=2026-10-15&to=2026-11-20&by=unit");
  });
});

describe("changing the kind of period", () => {
  const november = { kind: "month", value: "2026-11" } as const;

  it("keeps the time shown: the quarter and the year holding the month, the range as a custom one", () => {
    expect(switchKind(november, "quarter")).toEqual({ kind: "quarter", value: "2026-Q4" });
    expect(switchKind(november, "year")).toEqual({ kind: "year", value: "2026" });
    expect(switchKind({ kind: "quarter", value: "2026-Q1" }, "custom")).toEqual({
      kind: "custom",
      from: "2026-01-01",
      to: "2026-03-31",
    });
    expect(switchKind({ kind: "custom", from: "2026-08-15", to: "2026-09-02" }, "month")).toEqual({
      kind: "month",
      value: "2026-08",
    });
  });

  it("knows the months' lengths, February of a leap year included", () => {
    expect(rangeOf({ kind: "month", value: "2028-02" })).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(rangeOf({ kind: "quarter", value: "2026-Q2" })).toEqual({ from: "2026-04-01", to: "2026-06-30" });
  });

  it("offers the recent months and quarters across the year's turn, newest first", () => {
    expect(recentPeriods("month", "2026-02-10", 3)).toEqual(["2026-02", "2026-01", "2025-12"]);
    expect(recentPeriods("quarter", "2026-02-10", 3)).toEqual(["2026-Q1", "2025-Q4", "2025-Q3"]);
  });

  it("names the downloads in Vietnamese, without a slash", () => {
    expect(downloadName({ period: { kind: "month", value: "2026-11" }, by: "unit" }, "csv")).toBe(
      "Báo cáo theo đơn vị tháng 11-2026.csv",
    );
  });
});

describe("the 8-week chart", () => {
  const week = (to: string, resolved: number, rate: number | null) => ({ to, resolved, rate });

  it("breaks the line at a week without a resolved dossier and names that week", () => {
    const chart = weekChart([
      week("2026-10-30", 2, 1),
      week("2026-11-06", 1, 0.5),
      week("2026-11-13", 0, null),
      week("2026-11-20", 4, 0.75),
    ]);

    expect(chart.runs).toEqual([[0, 1], [3]]);
    expect(chart.empty).toEqual([2]);
    expect(chart.summary).toContain(`tuần đến 13/11/2026: ${NO_DATA_TEXT}`);
    expect(chart.summary).toContain("tuần đến 20/11/2026: 75% (4 hồ sơ)");
  });
});

describe("the client's downloads", () => {
  it("fetch the report file through the transport's blob, with the token the transport adds", async () => {
    const asked: string[] = [];
    const client = new StaffApiClient({
      json: async () => ({}),
      text: async () => "",
      blob: async (path) => {
        asked.push(path);
        return new Blob(["x"]);
      },
    });

    await client.reportFile({ period: "2026-11", by: "handler" }, "csv");

    expect(asked).toEqual(["/reports?period=2026-11&by=handler&format=csv"]);
  });
});
