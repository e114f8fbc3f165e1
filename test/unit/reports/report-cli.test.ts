import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dossierEventToJson } from "../../../shared/dossier/index.ts";
import { runCli } from "../../support/cli.ts";
import { EVENTS } from "./fixtures.ts";

const FIXTURE = EVENTS.map((event) => JSON.stringify(dossierEventToJson(event))).join("\n");
const NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dunghan-report-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("dunghan report", () => {
  it("prints the report of the example events as a table", async () => {
    const { code, stdout, stderr } = await runCli([
      "report",
      "--events",
      "examples/events.jsonl",
      ...NOVEMBER,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Báo cáo giải quyết hồ sơ từ 01/11/2026 đến 30/11/2026, theo cơ quan");
    // 261102-0003 and 261120-0001 on time, 261119-0007 early; 261116-0005 overdue at the end.
    expect(stdout).toMatch(
      /Sở Nông nghiệp và Môi trường\s+0\s+4\s+1\/3\/0\s+3\s+1\s+2\s+0\s+100,0%\s+0\s+1\s+0\s+0\s+4,7\s+Xanh/,
    );
  });

  it("prints JSON with the figures of the fixed event set", async () => {
    const { code, stdout } = await runCli(
      ["report", "--events", "-", ...NOVEMBER, "--format", "json"],
      FIXTURE,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.by).toBe("agency");
    expect(report.lines[0]).toMatchObject({
      key: "so-nnmt",
      carriedOver: 1,
      receivedNew: 8,
      onTimeRate: 0.75,
    });
  });

  it("reports by lĩnh vực, the field the received events name, totals unchanged", async () => {
    const args = ["report", "--events", "examples/events.jsonl", "--period", "2026-11", "--format", "json"];
    const byField = await runCli([...args, "--by", "field"]);
    const byAgency = await runCli(args);

    expect(byField).toMatchObject({ code: 0, stderr: "" });
    const report = JSON.parse(byField.stdout);
    expect(
      report.lines.map((line: { label: string; resolved: number }) => [line.label, line.resolved]),
    ).toEqual([
      ["Đất đai", 1],
      ["Môi trường", 1],
      ["Tài nguyên nước", 1],
    ]);
    expect(report.total).toEqual(JSON.parse(byAgency.stdout).total);
  });

  it("writes CSV with a byte-order mark and XLSX with a sheet per dimension", async () => {
    const csvPath = join(dir, "report.csv");
    const csv = await runCli(
      ["report", "--events", "-", "--period", "2026-11", "--by", "unit", "--format", "csv", "--out", csvPath],
      FIXTURE,
    );
    expect(csv).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const text = await readFile(csvPath, "utf8");
    expect(text.startsWith("\uFEFFCơ quan;Đơn vị;Mã;Kỳ trước chuyển sang;")).toBe(true);

    const xlsxPath = join(dir, "report.xlsx");
    const xlsx = await runCli(
      ["report", "--events", "-", ...NOVEMBER, "--format", "xlsx", "--out", xlsxPath],
      FIXTURE,
    );
    expect(xlsx.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      "Theo cơ quan",
      "Theo đơn vị",
      "Theo thủ tục",
      "Theo cán bộ",
    ]);
  });

  it("prints the register and writes it as XLSX", async () => {
    const { code, stdout } = await runCli([
      "report",
      "--register",
      "--events",
      "examples/events.jsonl",
      "--period",
      "2026-11",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("000.00.12.H42-261116-0005  16/11/2026 10:00  26/11/2026 10:00  —");
    expect(stdout).toContain("Đang giải quyết (quá hạn)");

    const path = join(dir, "register.xlsx");
    const written = await runCli(
      ["report", "--register", "--events", "-", ...NOVEMBER, "--format", "xlsx", "--out", path],
      FIXTURE,
    );
    expect(written.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.getWorksheet("Sổ theo dõi hồ sơ")?.getCell(5, 2).value).toBe("000.00.12.H42-261101-0000");
  });

  it("applies a grade scale from a file", async () => {
    const { code, stdout } = await runCli(
      [
        "report",
        "--events",
        "-",
        ...NOVEMBER,
        "--format",
        "json",
        "--grades",
        "test/unit/reports/strict-grades.json",
      ],
      FIXTURE,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).lines[0].grade).toBe("red");
  });

  it.each([
    [["--events", "examples/events.jsonl"], "give --from and --to, or --period"],
    [
      ["--events", "examples/events.jsonl", "--from", "2026-11-31", "--to", "2026-12-01"],
      'invalid date "2026-11-31"',
    ],
    [["--events", "examples/events.jsonl", ...NOVEMBER, "--by", "team"], 'unknown --by "team"'],
    [["--events", "examples/events.jsonl", ...NOVEMBER, "--format", "xlsx"], "give --out FILE"],
    [["--events", "examples/events.jsonl", "--period", "2026-11", "--from", "2026-11-01"], "either --period"],
    [["--events", "missing.jsonl", ...NOVEMBER], 'cannot read events file "missing.jsonl"'],
    [["--events", "examples/events.jsonl", ...NOVEMBER, "--separator", "|"], 'unknown --separator "|"'],
  ])("refuses bad input %j with exit code 2", async (args, message) => {
    const { code, stdout, stderr } = await runCli(["report", ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });

  it("names a bad event line", async () => {
    const { code, stderr } = await runCli(["report", "--events", "-", ...NOVEMBER], `${FIXTURE}\n{"id": 1}`);
    expect(code).toBe(2);
    expect(stderr).toContain(`line ${EVENTS.length + 1}`);
  });

  it("answers --help", async () => {
    const { code, stdout } = await runCli(["report", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--register");
    expect(stdout).toContain("no national standard");
  });
});
