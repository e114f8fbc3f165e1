import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { registerToXlsx, reportsToXlsx, XLSX_HEADER_ROW } from "../../../local/cli/xlsx.ts";
import { instantOfLocal, parseIsoDate } from "../../../shared/calendar/index.ts";
import { type Dossier, foldAsOf, groupByDossier } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  buildRegister,
  buildReport,
  InMemoryCounterStore,
  REGISTER_LAYOUT,
  type ReportQuery,
  rebuildDeltas,
  registerToCsv,
  reportToCsv,
} from "../../../shared/reports/index.ts";
import { EVENTS, working } from "./fixtures.ts";

const store = new InMemoryCounterStore();
store.applySync(rebuildDeltas(EVENTS, working));
const report = (query: ReportQuery) =>
  buildReport(
    store.agencyIds().flatMap((agency) => store.readSync(agency, query.from, query.to)),
    query,
  );
const byAgency = report({ from: "2026-11-01", to: "2026-11-30", by: "agency" });
const byUnit = report({ from: "2026-11-01", to: "2026-11-30", by: "unit" });

const endOfNovember = instantOfLocal(parseIsoDate("2026-12-01"), 0) - 1;
const dossiersAtEnd = [...groupByDossier(EVENTS).values()]
  .map((events) => foldAsOf(events, endOfNovember, working))
  .filter((dossier): dossier is Dossier => dossier !== undefined);
const register = buildRegister(
  dossiersAtEnd,
  { from: "2026-11-01", to: "2026-11-30", asOf: endOfNovember },
  working,
);

describe("CSV", () => {
  it("starts with a UTF-8 byte-order mark and the Vietnamese headers, ';'-separated with decimal commas", () => {
    const csv = reportToCsv(byAgency);
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "Cơ quan;Mã;Kỳ trước chuyển sang;Tiếp nhận mới;Trực tuyến;Trực tiếp;Bưu chính;Tổng số phải giải quyết;" +
        "Đã giải quyết;Trước hạn;Đúng hạn;Quá hạn;Tỷ lệ đúng hạn (%);Đang giải quyết trong hạn;" +
        "Đang giải quyết quá hạn;Chờ bổ sung;Tạm dừng;Từ chối, rút, dừng;Đã trả kết quả;Văn bản xin lỗi;" +
        "Số ngày giải quyết TB;Tỷ lệ trực tuyến (%);Xếp loại",
    );
    expect(lines[1]).toBe(
      "Sở Nông nghiệp và Môi trường;so-nnmt;1;8;3;4;1;9;4;1;2;1;75,0;1;1;1;1;1;2;1;3,1;37,5;Cam",
    );
    expect(lines[2]).toBe("Sở Tư pháp;so-tp;0;1;1;0;0;1;1;1;0;0;100,0;0;0;0;0;0;0;0;0,7;100,0;Xanh");
    expect(lines[3]).toBe("Tổng cộng;;1;9;4;4;1;10;5;2;2;1;80,0;1;1;1;1;1;2;1;2,6;44,4;Cam");
    expect(lines[4]).toBe("");
    expect(csv).toBe(csv.normalize("NFC"));
  });

  it("writes ','-separated CSV with decimal points on request, quoting what needs it", () => {
    const csv = reportToCsv(byAgency, { separator: "," });
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toContain(`Tổng số phải giải quyết,Đã giải quyết`);
    expect(lines[0]).toContain(`"Từ chối, rút, dừng"`);
    expect(lines[1]).toContain(",75.0,");
    expect(() => reportToCsv(byAgency, { separator: ",", decimal: "," })).toThrow(InvalidInputError);
  });

  it("writes the register with local dates and neutralises text that would run as a formula", () => {
    const lines = registerToCsv(register).slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "STT;Mã hồ sơ;Tên thủ tục hành chính;Tổ chức, cá nhân nộp hồ sơ;Ngày, giờ tiếp nhận;" +
        "Ngày, giờ hẹn trả kết quả;Ngày chuyển xử lý;Ngày hoàn thành;Ngày trả kết quả;Trạng thái, kết quả;Ghi chú",
    );
    expect(lines[1]).toBe(
      "1;000.00.12.H42-261101-0000;Đăng ký biến động quyền sử dụng đất;Nguyễn Văn An;02/11/2026 09:00;" +
        "09/11/2026 09:00;02/11/2026 10:00;05/11/2026 10:00;06/11/2026 08:00;Đã giải quyết trước hạn;",
    );
    const rejected = lines.find((line) => line.includes("261101-0007"));
    expect(rejected).toContain(";'=Vũ Văn Hải;");
    expect(rejected).toContain(";Từ chối tiếp nhận;Không thuộc thẩm quyền");
  });
});

describe("the register (Sổ theo dõi hồ sơ)", () => {
  it("lists the dossiers received in the period with their state at its end", () => {
    expect(register.map((entry) => [entry.dossierCode.slice(-4), entry.outcome])).toEqual([
      ["0000", "truoc-han"], // A
      ["0001", "dung-han"], // B
      ["0002", "qua-han"], // C
      ["0007", "rejected"], // H, 10/11 09:00
      ["0009", "truoc-han"], // J, 10/11 09:00 (another agency)
      ["0004", "dang-giai-quyet-qua-han"], // E
      ["0003", "dang-giai-quyet-trong-han"], // D
      ["0005", "cho-bo-sung"], // F
      ["0006", "tam-dung"], // G
    ]);
    expect(register[2]!.note).toBe("Đã xin lỗi, hẹn lại 10/11/2026 10:00");
    expect(register.map((entry) => entry.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const onlyTp = buildRegister(
      dossiersAtEnd,
      { from: "2026-11-01", to: "2026-11-30", asOf: endOfNovember, agencyIds: ["so-tp"] },
      working,
    );
    expect(onlyTp.map((entry) => entry.applicant)).toEqual(["Ngô Thị Ánh"]);
  });

  it("is marked unverified: the official Mẫu 07 layout was not obtained", () => {
    expect(REGISTER_LAYOUT.verified).toBe(false);
  });
});

describe("XLSX", () => {
  it("is a valid workbook with a sheet per report, Vietnamese headers and rates formatted as %", async () => {
    const buffer = await reportsToXlsx([byAgency, byUnit]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Theo cơ quan", "Theo đơn vị"]);

    const sheet = workbook.getWorksheet("Theo cơ quan")!;
    expect(sheet.getCell(1, 1).value).toBe("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH");
    expect(sheet.getCell(2, 1).value).toBe("Từ ngày 01/11/2026 đến ngày 30/11/2026 — cơ quan");
    const header = sheet.getRow(XLSX_HEADER_ROW);
    const headers = (header.values as unknown[]).slice(1);
    expect(headers.slice(0, 4)).toEqual(["Cơ quan", "Mã", "Kỳ trước chuyển sang", "Tiếp nhận mới"]);
    const column = (name: string) => headers.indexOf(name) + 1;

    const nnmt = sheet.getRow(XLSX_HEADER_ROW + 1);
    expect(nnmt.getCell(1).value).toBe("Sở Nông nghiệp và Môi trường");
    expect(nnmt.getCell(column("Tiếp nhận mới")).value).toBe(8);
    expect(nnmt.getCell(column("Đang giải quyết quá hạn")).value).toBe(1);
    const rate = nnmt.getCell(column("Tỷ lệ đúng hạn"));
    expect(rate.value).toBe(0.75);
    expect(rate.numFmt).toBe("0.0%");
    expect(nnmt.getCell(column("Số ngày giải quyết TB")).value).toBe(3.1);
    const grade = nnmt.getCell(column("Xếp loại"));
    expect(grade.value).toBe("Cam");
    expect(grade.fill).toMatchObject({ type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC000" } });

    const total = sheet.getRow(XLSX_HEADER_ROW + 3);
    expect(total.getCell(1).value).toBe("Tổng cộng");
    expect(total.getCell(column("Tỷ lệ trực tuyến")).value).toBe(0.4444);

    const units = workbook.getWorksheet("Theo đơn vị")!;
    expect(units.getCell(XLSX_HEADER_ROW, 2).value).toBe("Đơn vị");
    expect(units.getCell(XLSX_HEADER_ROW + 3, 2).value).toBe("Phòng Quản lý đất đai");
  });

  it("writes the register with real date cells in Vietnam's wall-clock time", async () => {
    const buffer = await registerToXlsx(register, { from: "2026-11-01", to: "2026-11-30" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Sổ theo dõi hồ sơ")!;
    expect(sheet.getCell(1, 1).value).toBe("SỔ THEO DÕI HỒ SƠ");
    expect(sheet.getCell(XLSX_HEADER_ROW, 1).value).toBe("STT");
    const first = sheet.getRow(XLSX_HEADER_ROW + 1);
    expect(first.getCell(2).value).toBe("000.00.12.H42-261101-0000");
    const received = first.getCell(5);
    expect(received.value).toEqual(new Date("2026-11-02T09:00:00Z"));
    expect(received.numFmt).toBe("dd/mm/yyyy hh:mm");
    // A string cell, not a formula, and neutralised as in the CSV: editing it keeps it text.
    expect(sheet.getRow(XLSX_HEADER_ROW + 4).getCell(4).value).toBe("'=Vũ Văn Hải");
    expect(String(sheet.getCell(XLSX_HEADER_ROW + register.length + 2, 1).value)).toContain(
      "chưa được đối chiếu",
    );
  });
});
