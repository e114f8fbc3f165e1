import { describe, expect, it } from "vitest";
import { compactDate, syncRecordsFromDossierList } from "../../../local/cli/commands/import-dossier-list.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { runCli } from "../../support/cli.ts";

describe("the dossier list a one-stop system exports, as sync records", () => {
  it("maps the Vietnamese headers, status and channel words and dates to the HoSo fields", () => {
    const records = syncRecordsFromDossierList([
      ["SỔ THEO DÕI HỒ SƠ"],
      [
        "STT",
        "Mã hồ sơ",
        "Mã thủ tục",
        "Kênh nộp",
        "Ngày giờ tiếp nhận",
        "Ngày giờ hẹn trả",
        "Ngày hoàn thành",
        "Trạng thái hồ sơ",
        "Cơ quan xử lý",
      ],
      [
        "1",
        "H42-0001",
        "1.010727",
        "Trực tuyến",
        "02/11/2026 09:00",
        "05/11/2026",
        "",
        "Đang giải quyết",
        "so-tp",
      ],
      ["2", "H42-0002", "1.010727", "BCCI", "2026-11-03 14:30:15", "", "20261106160000", "Đã xử lý xong", ""],
      ["", "", "", "", "", "", "", "", ""],
      ["3", "H42-0003", "1.010727", "3", "03/11/2026 8:05", "", "", "Không được tiếp nhận", ""],
    ]);

    expect(records).toEqual([
      {
        MaHoSo: "H42-0001",
        MaTTHC: "1.010727",
        KenhThucHien: "2",
        NgayTiepNhan: "20261102090000",
        NgayHenTra: "20261105000000",
        NgayKetThucXuLy: "",
        TrangThaiHoSo: "4",
        DonViXuLy: "so-tp",
      },
      {
        MaHoSo: "H42-0002",
        MaTTHC: "1.010727",
        KenhThucHien: "3",
        NgayTiepNhan: "20261103143015",
        NgayHenTra: "",
        NgayKetThucXuLy: "20261106160000",
        TrangThaiHoSo: "9",
        DonViXuLy: "",
      },
      {
        MaHoSo: "H42-0003",
        MaTTHC: "1.010727",
        KenhThucHien: "3",
        NgayTiepNhan: "20261103080500",
        NgayHenTra: "",
        NgayKetThucXuLy: "",
        TrangThaiHoSo: "3",
        DonViXuLy: "",
      },
    ]);
  });

  it("reads an XLSX date cell as the wall clock it shows", () => {
    // exceljs gives a date cell's serial as a UTC Date.
    expect(compactDate(new Date(Date.UTC(2026, 10, 2, 9, 0, 0)))).toBe("20261102090000");
  });

  it("names the row of a value it cannot read", () => {
    const rows = [
      ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái"],
      ["H42-0001", "02/11/2026 09:00", "4"],
      ["H42-0002", "2 tháng 11", "4"],
    ];

    expect(() => syncRecordsFromDossierList(rows)).toThrow('row 3: not a date: "2 tháng 11"');
    expect(() => syncRecordsFromDossierList([rows[0]!, ["H42-0001", "02/11/2026", "đang chờ"]])).toThrow(
      /row 2: not a dossier status/,
    );
  });

  it("needs a Mã hồ sơ header, and the reception and status columns", () => {
    expect(() => syncRecordsFromDossierList([["Số thứ tự"]])).toThrow(InvalidInputError);
    expect(() => syncRecordsFromDossierList([["Mã hồ sơ", "Trạng thái"]])).toThrow(/NgayTiepNhan/);
  });
});

describe("dunghan import (arguments)", () => {
  it("refuses a dossier with events after the import instant, with nothing on stdout", async () => {
    const result = await runCli([
      "import",
      "test/fixtures/dvcqg/payloads.json",
      "--catalog",
      "test/fixtures/dvcqg/procedures.json",
      "--now",
      "2026-11-05T08:00:00+07:00",
      "--dry-run",
    ]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("after the import instant");
  });

  it("counts what it would load with --dry-run", async () => {
    const result = await runCli([
      "import",
      "test/fixtures/dvcqg/payloads.json",
      "--catalog",
      "test/fixtures/dvcqg/procedures.json",
      "--now",
      "2027-01-10T08:00:00+07:00",
      "--dry-run",
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dossiers: 10, events: 29 });
  });
});
