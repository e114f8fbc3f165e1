import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  BIEU_06_XLSX_FIRST_DATA_ROW,
  bieu06ToCsv,
  bieu06ToXlsx,
  buildBieu06,
  buildReport,
  type CounterRow,
  crc32,
  type FieldLookup,
  fieldMap,
  firstField,
  InMemoryCounterStore,
  type ProcedureField,
  rebuildDeltas,
  UNKNOWN_FIELD,
} from "../../../shared/reports/index.ts";
import { EVENTS, working } from "./fixtures.ts";

const store = new InMemoryCounterStore();
store.applySync(rebuildDeltas(EVENTS, working));

/** The report by field of one agency, as the API reads it. */
function byField(from: string, to: string, fieldOf: FieldLookup, agencyId = "so-nnmt") {
  const rows: CounterRow[] = store.readSync(agencyId, from, to);
  return buildReport(rows, { from, to, by: "field", agencyIds: [agencyId] }, { fieldOf });
}

const LAND: ProcedureField = { code: "G09-TN01", name: "Đất đai" };
const ENVIRONMENT: ProcedureField = { code: "G09-TN05", name: "Môi trường" };

// fixtures.ts: 1.004227 (A C D E), 1.010727 (B F G I), 1.000987 (H).
const catalogue = fieldMap([
  ["1.004227", LAND],
  ["1.010727", ENVIRONMENT],
  ["1.000987", ENVIRONMENT],
]);

describe("Biểu số 06 for November 2026, Sở Nông nghiệp và Môi trường (figures from fixtures.ts)", () => {
  const form = buildBieu06(byField("2026-11-01", "2026-11-30", catalogue));

  it("has one line per field, in Vietnamese order, numbered", () => {
    expect(form.lines.map((line) => [line.no, line.fieldName, line.procedures])).toEqual([
      [1, "Đất đai", ["1.004227"]],
      [2, "Môi trường", ["1.000987", "1.010727"]],
    ]);
  });

  it("counts Đất đai: A early, C late despite its apology, D open not yet due, E open overdue", () => {
    expect(form.lines[0]).toMatchObject({
      receivedTotal: 4,
      receivedOnline: 2, // A D
      receivedInPersonOrPostal: 2, // C E
      carriedOver: 0,
      resolvedTotal: 2,
      resolvedEarly: 1,
      resolvedOnTime: 0,
      resolvedLate: 1,
      inProgressTotal: 2,
      inProgressNotYetDue: 1,
      inProgressOverdue: 1,
      closed: 0,
      onTimeRate: 0.5,
      // (1 + 0 + 1) / (2 + 2)
      progress766: { rate: 0.5, points: 10 },
    });
  });

  it("counts Môi trường with the carried-over I, the supplement wait F and pause G in progress, H rejected apart", () => {
    expect(form.lines[1]).toMatchObject({
      receivedTotal: 5,
      receivedOnline: 1, // G
      receivedInPersonOrPostal: 3, // B (postal), F, H
      carriedOver: 1, // I, received 29/10
      resolvedTotal: 2,
      resolvedEarly: 0,
      resolvedOnTime: 2, // B, I
      resolvedLate: 0,
      inProgressTotal: 2,
      inProgressNotYetDue: 2, // F awaiting a supplement, G paused
      inProgressOverdue: 0,
      stopped: 2,
      closed: 1, // H
      onTimeRate: 1,
      progress766: { rate: 1, points: 20 },
    });
  });

  it("totals the lines, and the total balances: received = resolved + in progress + closed", () => {
    expect(form.total).toMatchObject({
      no: null,
      receivedTotal: 9,
      receivedOnline: 3,
      receivedInPersonOrPostal: 5,
      carriedOver: 1,
      resolvedTotal: 4,
      resolvedEarly: 1,
      resolvedOnTime: 2,
      resolvedLate: 1,
      inProgressTotal: 4,
      inProgressNotYetDue: 3,
      inProgressOverdue: 1,
      closed: 1,
      onTimeRate: 0.75,
      // (1 + 2 + 3) / (4 + 4)
      progress766: { rate: 0.75, points: 15 },
    });
    for (const line of [...form.lines, form.total]) {
      expect(line.receivedTotal).toBe(line.receivedOnline + line.receivedInPersonOrPostal + line.carriedOver);
      expect(line.receivedTotal).toBe(line.resolvedTotal + line.inProgressTotal + line.closed);
    }
  });
});

describe("Biểu số 06 for December 2026", () => {
  it("counts D and E carried over from November, E finished after its due date (quá hạn), D before", () => {
    const form = buildBieu06(byField("2026-12-01", "2026-12-31", catalogue));

    expect(form.lines[0]).toMatchObject({
      fieldName: "Đất đai",
      receivedTotal: 2,
      receivedOnline: 0,
      receivedInPersonOrPostal: 0,
      carriedOver: 2,
      resolvedTotal: 2,
      resolvedEarly: 1, // D, 03/12, due 08/12
      resolvedLate: 1, // E, 02/12, due 19/11
      inProgressTotal: 0,
      progress766: { rate: 0.5, points: 10 },
    });
  });
});

describe("the field of a procedure", () => {
  it("puts a procedure no source names on the unknown-field line, last", () => {
    const form = buildBieu06(byField("2026-11-01", "2026-11-30", fieldMap([["1.004227", LAND]])));

    expect(form.lines.map((line) => line.fieldName)).toEqual(["Đất đai", UNKNOWN_FIELD.name]);
    expect(form.lines[1]?.procedures).toEqual(["1.000987", "1.010727"]);
  });

  it("asks the catalogue first, then the next source", () => {
    const fromEvents = fieldMap([
      ["1.004227", { code: "Đất đai (sự kiện)", name: "Đất đai (sự kiện)" }],
      ["1.000987", { code: "Tài nguyên nước", name: "Tài nguyên nước" }],
    ]);
    const lookup = firstField(fieldMap([["1.004227", LAND]]), fromEvents);

    expect(lookup("1.004227")).toEqual(LAND);
    expect(lookup("1.000987")?.name).toBe("Tài nguyên nước");
    expect(lookup("9.999999")).toBeUndefined();
  });

  it("refuses a report that is not by field", () => {
    const report = buildReport(store.readSync("so-nnmt", "2026-11-01", "2026-11-30"), {
      from: "2026-11-01",
      to: "2026-11-30",
      by: "agency",
    });

    expect(() => buildBieu06(report)).toThrow(InvalidInputError);
  });
});

describe("Biểu số 06 exports", () => {
  const form = buildBieu06(byField("2026-11-01", "2026-11-30", catalogue));

  it("writes CSV with a BOM, the 13 numbered columns, the extras and the total", () => {
    const lines = bieu06ToCsv(form).split("\r\n");

    expect(lines[0]?.startsWith("\uFEFFSTT;Lĩnh vực giải quyết;Số hồ sơ nhận giải quyết: Tổng số;")).toBe(
      true,
    );
    expect(lines[1]).toBe("(1);(2);(3);(4);(5);(6);(7);(8);(9);(10);(11);(12);(13);;;;;");
    expect(lines[2]).toBe("1;Đất đai;4;2;2;0;2;1;0;1;2;1;1;0;0;50,0;50,0;10,00");
    expect(lines[4]).toBe(";Tổng cộng;9;3;5;1;4;1;2;1;4;3;1;2;1;75,0;75,0;15,00");
  });

  it("neutralises a field name that would run as a formula", () => {
    const hostile = buildBieu06(
      byField("2026-11-01", "2026-11-30", () => ({
        code: "x",
        name: "=HYPERLINK(1)",
      })),
    );

    expect(bieu06ToCsv(hostile).split("\r\n")[2]).toContain(";'=HYPERLINK(1);");
  });

  it("writes an XLSX that Excel readers open: title, numbered header, lines as numbers, rates as %", async () => {
    const bytes = bieu06ToXlsx(form, { agencyName: "Sở Nông nghiệp và Môi trường" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Biểu số 06");
    if (!sheet) throw new Error("no sheet");

    expect(String(sheet.getCell("A1").value)).toContain("Biểu số 06");
    expect(String(sheet.getCell("A2").value)).toContain("từ ngày 01/11/2026 đến ngày 30/11/2026");
    expect(sheet.getCell("C4").value).toBe("Số hồ sơ nhận giải quyết");
    expect(sheet.getCell("M6").value).toBe("(13)");
    const first = sheet.getRow(BIEU_06_XLSX_FIRST_DATA_ROW);
    expect(first.getCell(2).value).toBe("Đất đai");
    expect(first.getCell(3).value).toBe(4);
    expect(first.getCell(13).value).toBe(1);
    const total = sheet.getRow(BIEU_06_XLSX_FIRST_DATA_ROW + 2);
    expect(total.getCell(2).value).toBe("Tổng cộng");
    expect(total.getCell(17).value).toBe(0.75);
    expect(total.getCell(17).numFmt).toBe("0.0%");
    expect(total.getCell(18).value).toBe(15);
    expect(sheet.getCell("C4").isMerged).toBe(true);
  });

  it("is deterministic: the same form gives the same bytes", () => {
    expect(bieu06ToXlsx(form)).toEqual(bieu06ToXlsx(form));
  });

  it("computes the ZIP CRC-32 of the check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});
