import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { FileBlobStore } from "../../../shared/adapters/s3/file-blob-store.ts";
import { BlobCatalogueStore } from "../../../shared/app/catalogue-admin.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { lookupProcedure, parseCatalogue } from "../../../shared/sync/catalogue.ts";
import {
  catalogueFromRows,
  headerKey,
  parseCsv,
  parseTimeLimitText,
} from "../../../shared/sync/catalogue-import.ts";
import { runCli } from "../../support/cli.ts";

// As the national procedure database's list exports it: a title row, then the header.
const EXPORT_ROWS = [
  ["DANH SÁCH THỦ TỤC HÀNH CHÍNH"],
  ["STT", "Mã TTHC", "Tên thủ tục", "Cấp thực hiện", "Lĩnh vực", "Thời hạn giải quyết"],
  ["1", "1.004227", "Đăng ký biến động quyền sử dụng đất", "Cấp Tỉnh", "Đất đai", "10 ngày làm việc"],
  [
    "2",
    "1.010727",
    "Cấp giấy phép môi trường",
    "Cấp Tỉnh",
    "Môi trường",
    "Trực tiếp: 20 Ngày làm việc; Trực tuyến: 15 Ngày làm việc",
  ],
  ["3", "2.000635", "Cấp bản sao trích lục hộ tịch", "Cấp Xã", "Hộ tịch", "Trong ngày"],
  ["", "", "", "", "", ""],
  ["4", "1.001612", "Đăng ký khai sinh", "Cấp Xã", "Hộ tịch", "0,5 ngày làm việc"],
  ["5", "1.000987", "Gia hạn giấy phép xả nước thải", "Cấp Tỉnh", "Tài nguyên nước", "30 ngày"],
];

describe("the catalogue from the national database's export", () => {
  const read = catalogueFromRows(EXPORT_ROWS);

  it("finds the header under the title and matches its columns", () => {
    expect(read.columns).toEqual({
      code: "Mã TTHC",
      name: "Tên thủ tục",
      field: "Lĩnh vực",
      timeLimit: "Thời hạn giải quyết",
    });
  });

  it("reads each procedure in the received event's procedure shape", () => {
    expect(read.procedures).toEqual([
      {
        code: "1.004227",
        name: "Đăng ký biến động quyền sử dụng đất",
        field: "Đất đai",
        timeLimit: { amount: 10, unit: "working-days" },
      },
      {
        code: "1.010727",
        name: "Cấp giấy phép môi trường",
        field: "Môi trường",
        timeLimit: { amount: 20, unit: "working-days" },
        onlineTimeLimit: { amount: 15, unit: "working-days" },
      },
      {
        code: "1.001612",
        name: "Đăng ký khai sinh",
        field: "Hộ tịch",
        timeLimit: { amount: 0.5, unit: "working-days" },
      },
      {
        code: "1.000987",
        name: "Gia hạn giấy phép xả nước thải",
        field: "Tài nguyên nước",
        timeLimit: { amount: 30, unit: "calendar-days" },
      },
    ]);
  });

  it("refuses a limit it cannot read, naming the row (1-based, title included), and skips blank rows", () => {
    expect(read.errors).toEqual([
      { row: 5, code: "2.000635", reason: expect.stringContaining('no time limit in "Trong ngày"') },
    ]);
  });

  it("gives what the catalogue model accepts", () => {
    const catalogue = parseCatalogue(read.procedures);

    expect(lookupProcedure(catalogue, "1.010727")?.field).toBe("Môi trường");
  });

  it("reads the two-column form (amount, unit), a cut-off and the supplement policy", () => {
    const result = catalogueFromRows([
      ["code", "name", "field", "amount", "unit", "cutoff", "supplementPolicy"],
      ["1.1", "A", "X", "3", "working-days", "15:00", "pause"],
      ["1.2", "B", "", "4", "giờ làm việc", "", "tính lại"],
      ["1.1", "A again", "", "1", "ngày", "", ""],
      ["1.3", "C", "", "2,5", "ngày", "", ""],
    ]);

    expect(result.procedures).toEqual([
      {
        code: "1.1",
        name: "A",
        field: "X",
        timeLimit: { amount: 3, unit: "working-days" },
        cutoff: "15:00",
        supplementPolicy: "pause",
      },
      {
        code: "1.2",
        name: "B",
        timeLimit: { amount: 4, unit: "working-hours" },
        supplementPolicy: "restart",
      },
    ]);
    expect(result.errors.map((error) => [error.row, error.reason])).toEqual([
      [4, "procedure 1.1 appears twice"],
      [5, "calendar days must be a whole number: 2.5"],
    ]);
  });

  it("refuses a table without code and name columns, or without a time limit column", () => {
    expect(() => catalogueFromRows([["Tên", "Thời hạn"]])).toThrow(InvalidInputError);
    expect(() => catalogueFromRows([["Mã TTHC", "Tên TTHC", "Lĩnh vực"]])).toThrow(/no time limit column/);
  });

  it("normalises headers without case, diacritics or punctuation", () => {
    expect(headerKey("  Thời hạn giải quyết ")).toBe("thoihangiaiquyet");
    expect(headerKey("Mã TTHC")).toBe("matthc");
    expect(headerKey("Lĩnh vực")).toBe("linhvuc");
  });

  it("reads per-channel limits, the in-person one first", () => {
    expect(parseTimeLimitText("Trực tuyến: 3 ngày làm việc; Trực tiếp: 5 ngày làm việc")).toEqual({
      inPerson: { amount: 5, unit: "working-days" },
      online: { amount: 3, unit: "working-days" },
    });
    expect(parseTimeLimitText("04 giờ làm việc kể từ khi nhận đủ hồ sơ")).toEqual({
      inPerson: { amount: 4, unit: "working-hours" },
    });
    expect(() => parseTimeLimitText("02 tháng")).toThrow(/months or years/);
  });
});

describe("parseCsv", () => {
  it("reads quoted cells, doubled quotes, CRLF and a BOM, guessing the separator", () => {
    expect(parseCsv('\uFEFFa;b;c\r\n"x;1";"say ""hi""";\r\n')).toEqual([
      ["a", "b", "c"],
      ["x;1", 'say "hi"', ""],
    ]);
    expect(parseCsv("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("refuses a file that ends inside quotes", () => {
    expect(() => parseCsv('a;"b')).toThrow(InvalidInputError);
  });
});

describe("dunghan catalog import", () => {
  async function files() {
    const dir = await mkdtemp(join(tmpdir(), "dunghan-catalog-"));
    const csv = join(dir, "tthc.csv");
    await writeFile(
      csv,
      `\uFEFF${EXPORT_ROWS.map((row) => row.map((cell) => (cell.includes(";") ? `"${cell}"` : cell)).join(";")).join("\r\n")}`,
    );
    return { dir, csv };
  }

  it("exits 2 naming the rows it cannot read, with nothing on stdout", async () => {
    const { csv } = await files();

    const result = await runCli(["catalog", "import", csv]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("row 5 (2.000635)");
  });

  it("prints the catalogue JSON with --skip-invalid, with its version", async () => {
    const { csv } = await files();

    const result = await runCli(["catalog", "import", csv, "--skip-invalid"]);

    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.version).toMatch(/^cat-[0-9a-f]{16}$/);
    expect(json.procedures.map((p: { code: string }) => p.code)).toEqual([
      "1.004227",
      "1.010727",
      "1.001612",
      "1.000987",
    ]);
    expect(result.stderr).toContain("skipped 1 row(s)");
  });

  it("reads the XLSX export and stores it in a local data folder, where the stack reads it", async () => {
    const { dir } = await files();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("TTHC");
    for (const row of EXPORT_ROWS.filter((row) => row[1] !== "2.000635")) sheet.addRow(row);
    const xlsx = join(dir, "tthc.xlsx");
    await workbook.xlsx.writeFile(xlsx);
    const data = join(dir, "data");

    const result = await runCli(["catalog", "import", xlsx, "--data", data]);
    const stored = await new BlobCatalogueStore(new FileBlobStore(join(data, "letters")), {
      now: () => 0,
    }).current();

    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect([...stored.procedures.keys()]).toEqual(["1.004227", "1.010727", "1.001612", "1.000987"]);
    expect(stored.version).toMatch(/^cat-/);
  });

  it("writes --out and gives the same version for the same procedures", async () => {
    const { dir, csv } = await files();
    const out = join(dir, "catalogue.json");

    await runCli(["catalog", "import", csv, "--skip-invalid", "--out", out]);
    const fromJson = await runCli(["catalog", "import", out]);

    expect(JSON.parse(fromJson.stdout).version).toBe(JSON.parse(await readFile(out, "utf8")).version);
  });
});
