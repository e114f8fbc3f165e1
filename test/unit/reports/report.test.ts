import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  buildReport,
  type CounterRow,
  DEFAULT_GRADE_SCALE,
  InMemoryCounterStore,
  parseGradeScale,
  parsePeriod,
  type ReportQuery,
  readPlan,
  rebuildDeltas,
} from "../../../shared/reports/index.ts";
import { EVENTS, working } from "./fixtures.ts";

const store = new InMemoryCounterStore();
store.applySync(rebuildDeltas(EVENTS, working));

function rowsFor(from: string, to: string): CounterRow[] {
  return store.agencyIds().flatMap((agencyId) => store.readSync(agencyId, from, to));
}

function report(query: ReportQuery) {
  return buildReport(rowsFor(query.from, query.to), query);
}

const lineOf = <L extends { key: string }>(lines: readonly L[], key: string): L => {
  const line = lines.find((candidate) => candidate.key === key);
  if (!line) throw new Error(`no line ${key}`);
  return line;
};

describe("the November 2026 report (figures worked out by hand in fixtures.ts)", () => {
  const november = report({ from: "2026-11-01", to: "2026-11-30", by: "agency" });

  it("counts the agency's carried-over, received, resolved and open dossiers", () => {
    expect(lineOf(november.lines, "so-nnmt")).toEqual({
      agencyId: "so-nnmt",
      agencyName: "Sở Nông nghiệp và Môi trường",
      key: "so-nnmt",
      label: "Sở Nông nghiệp và Môi trường",
      carriedOver: 1, // I, received 29/10
      receivedNew: 8, // A B C D E F G H
      receivedOnline: 3, // A D G
      receivedInPerson: 4, // C E F H
      receivedPostal: 1, // B
      toHandle: 9,
      resolved: 4,
      resolvedEarly: 1, // A
      resolvedOnTime: 2, // B and I, both on their due date after the due hour
      resolvedLate: 1, // C, despite its apology
      onTimeRate: 0.75,
      earlyRate: 0.25,
      lateRate: 0.25,
      inProgressOnTime: 1, // D, due 08/12
      inProgressOverdue: 1, // E, due 19/11
      awaitingSupplement: 1, // F
      paused: 1, // G
      openAtEnd: 4,
      closed: 1,
      rejected: 1, // H
      withdrawn: 0,
      stopped: 0,
      returned: 2, // A 06/11, B 09/11
      apologies: 1, // C
      averageWorkingDays: 3.1, // (3.125 + 3.25 + 2.875 + 3.125) / 4 = 3.09375
      onlineRate: 0.375, // 3 / 8
      score: 1, // (2·1 + 1·2 + 0·1) / 4
      grade: "orange", // 75 % (default scale: orange from 70 %)
    });
  });

  it("keeps each line in balance: carried over + received = resolved + closed + open at the end", () => {
    for (const line of [...november.lines, november.total]) {
      expect(line.carriedOver + line.receivedNew).toBe(line.resolved + line.closed + line.openAtEnd);
    }
  });

  it("has a line per agency and a total", () => {
    expect(november.lines.map((line) => line.key)).toEqual(["so-nnmt", "so-tp"]);
    expect(lineOf(november.lines, "so-tp")).toMatchObject({
      receivedNew: 1,
      receivedOnline: 1,
      resolvedEarly: 1,
      onTimeRate: 1,
      averageWorkingDays: 0.7, // 5.5 h
      grade: "green",
    });
    expect(november.total).toMatchObject({
      agencyId: null,
      label: "Tổng cộng",
      carriedOver: 1,
      receivedNew: 9,
      receivedOnline: 4,
      resolved: 5,
      resolvedEarly: 2,
      resolvedOnTime: 2,
      resolvedLate: 1,
      onTimeRate: 0.8,
      openAtEnd: 4,
      closed: 1,
      averageWorkingDays: 2.6, // (12.375 + 0.6875) / 5 = 2.6125
      onlineRate: 0.4444, // 4 / 9
      grade: "orange",
    });
  });

  it("splits by the unit holding the dossier", () => {
    const byUnit = report({ from: "2026-11-01", to: "2026-11-30", by: "unit" });
    expect(byUnit.lines.map((line) => [line.agencyId, line.label])).toEqual([
      ["so-nnmt", "Bộ phận Một cửa"],
      ["so-nnmt", "Phòng Môi trường"],
      ["so-nnmt", "Phòng Quản lý đất đai"],
      ["so-tp", "Bộ phận Một cửa"],
    ]);
    expect(lineOf(byUnit.lines, "so-nnmt/phong-dat")).toMatchObject({
      agencyName: "Sở Nông nghiệp và Môi trường",
      carriedOver: 1, // I
      receivedNew: 4, // A B D G
      receivedOnline: 3,
      receivedPostal: 1,
      resolved: 3, // A early, B and I on time
      resolvedEarly: 1,
      resolvedOnTime: 2,
      onTimeRate: 1,
      inProgressOnTime: 1, // D
      paused: 1, // G
      openAtEnd: 2,
      returned: 2,
      averageWorkingDays: 3.2, // (3.125 + 3.25 + 3.125) / 3 = 3.1667
      onlineRate: 0.75,
      grade: "green",
    });
    expect(lineOf(byUnit.lines, "so-nnmt/phong-mt")).toMatchObject({
      carriedOver: 0,
      receivedNew: 3, // C E F
      receivedInPerson: 3,
      resolved: 1,
      resolvedLate: 1, // C
      onTimeRate: 0,
      inProgressOverdue: 1, // E
      awaitingSupplement: 1, // F
      apologies: 1,
      averageWorkingDays: 2.9, // 2.875
      onlineRate: 0,
      grade: "red",
    });
    expect(lineOf(byUnit.lines, "so-nnmt/mot-cua")).toMatchObject({
      receivedNew: 1,
      rejected: 1,
      resolved: 0,
      onTimeRate: null,
      averageWorkingDays: null,
      grade: null,
    });
  });

  it("splits by procedure and by handler", () => {
    const byProcedure = report({ from: "2026-11-01", to: "2026-11-30", by: "procedure" });
    expect(lineOf(byProcedure.lines, "1.004227")).toMatchObject({
      label: "Đăng ký biến động quyền sử dụng đất",
      carriedOver: 0,
      receivedNew: 4, // A C D E
      receivedOnline: 2,
      receivedInPerson: 2,
      resolved: 2,
      resolvedEarly: 1, // A
      resolvedLate: 1, // C
      onTimeRate: 0.5,
      inProgressOnTime: 1, // D
      inProgressOverdue: 1, // E
      returned: 1,
      apologies: 1,
      averageWorkingDays: 3, // (3.125 + 2.875) / 2
      grade: "red",
    });
    expect(lineOf(byProcedure.lines, "1.010727")).toMatchObject({
      carriedOver: 1, // I
      receivedNew: 3, // B F G
      resolvedOnTime: 2, // B I
      onTimeRate: 1,
      awaitingSupplement: 1,
      paused: 1,
      averageWorkingDays: 3.2, // (3.25 + 3.125) / 2 = 3.1875
    });
    expect(lineOf(byProcedure.lines, "1.000987")).toMatchObject({ receivedNew: 1, rejected: 1 });

    const byHandler = report({ from: "2026-11-01", to: "2026-11-30", by: "handler" });
    expect(byHandler.lines.map((line) => [line.key, line.label, line.toHandle])).toEqual([
      ["cv-minh", "Lê Văn Minh", 5],
      ["cv-hoa", "Phạm Thu Hoa", 3],
      ["cb-lan", "Trần Thị Lan", 1],
      ["cb-an", "Ngô Thị An", 1],
    ]);
  });
});

describe("periods", () => {
  it("carries the November dossiers into December and resolves them there", () => {
    const december = report({ from: "2026-12-01", to: "2026-12-31", by: "agency" });
    expect(lineOf(december.lines, "so-nnmt")).toMatchObject({
      carriedOver: 4, // D E F G
      receivedNew: 0,
      resolved: 4,
      resolvedEarly: 2, // D (due 08/12), F (due 10/12 after the restart)
      resolvedOnTime: 1, // G (due 04/12 14:00 after the pause)
      resolvedLate: 1, // E
      onTimeRate: 0.75,
      openAtEnd: 0,
      averageWorkingDays: 7, // (7.125 + 11.125 + 4.5625 + 5.25) / 4 = 7.015625
      onlineRate: null,
      apologies: 0,
    });
    expect(december.lines.map((line) => line.key)).toEqual(["so-nnmt"]);
  });

  it("reads a custom range across the month boundary as one period", () => {
    const both = report({ from: "2026-11-01", to: "2026-12-31", by: "agency" });
    expect(lineOf(both.lines, "so-nnmt")).toMatchObject({
      carriedOver: 1,
      receivedNew: 8,
      resolved: 8,
      resolvedEarly: 3, // A D F
      resolvedOnTime: 3, // B I G
      resolvedLate: 2, // C E
      closed: 1,
      openAtEnd: 0,
    });
  });

  it("reads the stocks at the end of a single day: E becomes overdue on its due date", () => {
    const before = report({ from: "2026-11-18", to: "2026-11-18", by: "agency" });
    expect(lineOf(before.lines, "so-nnmt")).toMatchObject({
      carriedOver: 1,
      inProgressOnTime: 1,
      inProgressOverdue: 0,
    });
    const due = report({ from: "2026-11-19", to: "2026-11-19", by: "agency" });
    expect(lineOf(due.lines, "so-nnmt")).toMatchObject({
      carriedOver: 1,
      receivedNew: 0,
      inProgressOnTime: 0,
      inProgressOverdue: 1,
    });
  });

  it("gives the same figures from day rows alone as from the rolled-up month and year rows", () => {
    const dayRows = store.allRows().filter((row) => row.period.length === 10 && row.period <= "2026-12-31");
    const query: ReportQuery = { from: "2026-12-01", to: "2026-12-31", by: "unit" };
    expect(buildReport(dayRows, query)).toEqual(report(query));
  });

  it("reads the fewest rows: whole years, whole months, then days", () => {
    expect(readPlan("2026-01-01", "2026-12-31")).toEqual({ yearsBefore: "2026", periods: ["2026"] });
    expect(readPlan("2026-11-01", "2026-11-30")).toEqual({
      yearsBefore: "2026",
      periods: [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
      ],
    });
    expect(readPlan("2026-12-30", "2027-02-02").periods).toEqual([
      ...[
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
      ],
      ...Array.from({ length: 29 }, (_, i) => `2026-12-${String(i + 1).padStart(2, "0")}`),
      "2026-12-30",
      "2026-12-31",
      "2027-01",
      "2027-02-01",
      "2027-02-02",
    ]);
  });

  it("refuses a row that straddles the period", () => {
    const rows = store.allRows().filter((row) => row.period === "2026-11");
    expect(() => buildReport(rows, { from: "2026-11-15", to: "2026-11-30", by: "agency" })).toThrow(
      InvalidInputError,
    );
  });

  it("names days, months, quarters and years", () => {
    expect(parsePeriod("2026-11")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(parsePeriod("2026-Q4")).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(parsePeriod("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(parsePeriod("2026")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(parsePeriod("2026-11-19")).toEqual({ from: "2026-11-19", to: "2026-11-19" });
    expect(() => parsePeriod("2026-13")).toThrow(InvalidInputError);
    expect(() => parsePeriod("Q4 2026")).toThrow(InvalidInputError);
  });
});

describe("colour grades", () => {
  it("uses configurable thresholds", () => {
    const strict = parseGradeScale({ green: 0.99, yellow: 0.9, orange: 0.8, source: "QĐ thử nghiệm" });
    const query: ReportQuery = { from: "2026-11-01", to: "2026-11-30", by: "agency" };
    const graded = buildReport(rowsFor(query.from, query.to), query, { grades: strict });
    expect(lineOf(graded.lines, "so-nnmt").grade).toBe("red"); // 75 % < 80 %
    expect(lineOf(graded.lines, "so-tp").grade).toBe("green");
    expect(DEFAULT_GRADE_SCALE).toMatchObject({ green: 0.95, yellow: 0.85, orange: 0.7 });
    expect(() => parseGradeScale({ green: 0.8, yellow: 0.9, orange: 0.7 })).toThrow(InvalidInputError);
  });
});
