import { writeFile } from "node:fs/promises";
import { formatInstant, instantOfLocal, parseIsoDate, WorkingTime } from "../../../shared/calendar/index.ts";
import { type Dossier, foldAsOf, groupByDossier } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { dayText } from "../../../shared/reports/day-text.ts";
import {
  buildRegister,
  buildReport,
  type CsvOptions,
  type DateRange,
  DEFAULT_GRADE_SCALE,
  DIMENSION_HEADERS,
  DIMENSIONS,
  dateRange,
  fieldMap,
  GRADE_LABELS,
  InMemoryCounterStore,
  parseGradeScale,
  parsePeriod,
  REGISTER_OUTCOME_LABELS,
  REPORT_DIMENSIONS,
  type RegisterEntry,
  type Report,
  type ReportDimension,
  rebuildDeltas,
  registerToCsv,
  reportToCsv,
  shortDateTime,
} from "../../../shared/reports/index.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { loadCalendar, readInput, readJson } from "../io.ts";
import { registerToXlsx, reportsToXlsx } from "../xlsx.ts";
import { parseEventLines } from "./simulate.ts";

const FORMATS = ["table", "json", "csv", "xlsx"] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: dunghan report --events FILE (--from DATE --to DATE | --period P) [--by DIMENSION]
                      [--format table|json|csv|xlsx] [--out FILE] [--agency ID]...
       dunghan report --register --events FILE (--from DATE --to DATE | --period P) [--format …] [--out FILE]

Reports on dossier handling for a period, from dossier events (JSON lines, docs/dossier-events.md),
as provinces are graded on it: received (carried over, new: online / in person / postal), resolved
trước hạn / đúng hạn / quá hạn with rates and a colour grade, in progress trong hạn / quá hạn,
awaiting supplement and paused at the period's end, returned, apologies, average working days.
With --register, the dossier register (Sổ theo dõi hồ sơ) of the dossiers received in the period.
See docs/reports.md.

On a running system, download the live report instead: GET /reports?period=…&by=…&format=xlsx
(or the dashboard's reports page); this command reads a file of events.

Options:
  --events FILE          dossier events, one JSON object a line ("-" = stdin); any order
  --from DATE            first day of the period (YYYY-MM-DD, inclusive)
  --to DATE              last day of the period (inclusive); states are read at its end
  --period P             instead of --from/--to: 2026-11-05, 2026-11, 2026-Q4 or 2026
  --by DIMENSION         agency (default) | unit | procedure | handler | field (lĩnh vực, as the
                         received events name it); with --format xlsx and no --by, one sheet
                         for each of the first four
  --agency ID            only this receiving agency (repeatable)
  --format FORMAT        table (default) | json | csv | xlsx (xlsx needs --out)
  --out FILE             write to FILE instead of standard output
  --separator CHAR       CSV separator: ";" (default, decimal comma, for Excel in Vietnamese
                         regional settings) or "," (decimal point)
  --grades FILE          colour thresholds {"green","yellow","orange","source"?} (rates 0–1);
                         default green ≥ 0.95, yellow ≥ 0.85, orange ≥ 0.70 — no national standard
  --register             the dossier register instead of the report
  --announcements FILE   add or override years with a deployment's announcement file
  -h, --help             this help

CSV files are UTF-8 with a byte-order mark so that Excel shows Vietnamese. An invalid event line,
date or option is reported on stderr with exit code 2 and nothing on stdout.`;

export const reportCommand: Command = {
  name: "report",
  summary: "on-time report per agency, unit, procedure or handler; the dossier register (CSV, XLSX)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        events: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        period: { type: "string" },
        by: { type: "string" },
        agency: { type: "string", multiple: true },
        format: { type: "string" },
        out: { type: "string" },
        separator: { type: "string" },
        grades: { type: "string" },
        register: { type: "boolean" },
        announcements: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const eventsPath = requireOption(values.events, "events");
      const range = periodOf(values.from, values.to, values.period);
      const format = formatOf(values.format);
      if (format === "xlsx" && !values.out) {
        throw new InvalidInputError("--format xlsx writes a binary file: give --out FILE");
      }
      if (values.by !== undefined && !REPORT_DIMENSIONS.includes(values.by as ReportDimension)) {
        throw new InvalidInputError(`unknown --by "${values.by}": expected ${REPORT_DIMENSIONS.join(", ")}`);
      }
      const csv = csvOptions(values.separator);
      const grades = values.grades
        ? parseGradeScale(await readJson(values.grades, "grades"))
        : DEFAULT_GRADE_SCALE;
      const agencyIds = values.agency?.length ? values.agency : undefined;
      const text = await readInput(eventsPath, "events", io);
      const events = parseEventLines(text);
      const working = new WorkingTime(await loadCalendar(values.announcements));

      let output: string | Buffer;
      if (values.register) {
        const asOf = instantOfLocal(parseIsoDate(range.to) + 1, 0) - 1;
        const dossiers = [...groupByDossier(events).values()]
          .map((group) => foldAsOf(group, asOf, working))
          .filter((dossier): dossier is Dossier => dossier !== undefined);
        const entries = buildRegister(
          dossiers,
          { ...range, asOf, ...(agencyIds ? { agencyIds } : {}) },
          working,
        );
        output =
          format === "xlsx"
            ? await registerToXlsx(entries, range)
            : format === "csv"
              ? registerToCsv(entries, csv)
              : format === "json"
                ? `${JSON.stringify(entries.map(registerJson), null, 2)}\n`
                : renderRegister(entries, range);
      } else {
        const store = new InMemoryCounterStore();
        store.applySync(rebuildDeltas(events, working));
        const agencies = store.agencyIds().filter((id) => !agencyIds || agencyIds.includes(id));
        const rows = agencies.flatMap((agency) => store.readSync(agency, range.from, range.to));
        const dimensions: ReportDimension[] =
          values.by !== undefined
            ? [values.by as ReportDimension]
            : format === "xlsx"
              ? [...DIMENSIONS]
              : ["agency"];
        // By field: the fields the `received` events name (the file carries no catalogue).
        const fieldOf = fieldMap(
          events.flatMap((event) =>
            event.type === "received" && event.procedure.field
              ? [
                  [
                    event.procedure.code,
                    { code: event.procedure.field, name: event.procedure.field },
                  ] as const,
                ]
              : [],
          ),
        );
        const reports = dimensions.map((by) =>
          buildReport(rows, { ...range, by, ...(agencyIds ? { agencyIds } : {}) }, { grades, fieldOf }),
        );
        const report = reports[0]!;
        output =
          format === "xlsx"
            ? await reportsToXlsx(reports)
            : format === "csv"
              ? reportToCsv(report, csv)
              : format === "json"
                ? `${JSON.stringify(report, null, 2)}\n`
                : renderReport(report);
      }
      if (values.out) await writeOut(values.out, output);
      else io.stdout(typeof output === "string" ? output : output.toString("utf8"));
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

function periodOf(from: string | undefined, to: string | undefined, period: string | undefined): DateRange {
  if (period !== undefined) {
    if (from !== undefined || to !== undefined)
      throw new InvalidInputError("give either --period or --from/--to");
    return parsePeriod(period);
  }
  if (from === undefined || to === undefined)
    throw new InvalidInputError("give --from and --to, or --period");
  return dateRange(from, to);
}

function formatOf(format: string | undefined): Format {
  if (format === undefined) return "table";
  if (!FORMATS.includes(format as Format)) {
    throw new InvalidInputError(`unknown --format "${format}": expected ${FORMATS.join(", ")}`);
  }
  return format as Format;
}

function csvOptions(separator: string | undefined): CsvOptions {
  if (separator === undefined || separator === ";") return { separator: ";" };
  if (separator === ",") return { separator: "," };
  throw new InvalidInputError(`unknown --separator "${separator}": expected ";" or ","`);
}

async function writeOut(path: string, output: string | Buffer): Promise<void> {
  try {
    await writeFile(path, output);
  } catch (error) {
    throw new InvalidInputError(`cannot write "${path}": ${(error as NodeJS.ErrnoException).code}`);
  }
}

/** Vietnamese decimal comma, as in the CSV. */
const decimal = (value: number, digits: number) => value.toFixed(digits).replace(".", ",");
const percent = (rate: number | null) => (rate === null ? "—" : `${decimal(rate * 100, 1)}%`);

function table(rows: string[][], numericFrom: number): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) =>
          column >= numericFrom ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

function renderReport(report: Report): string {
  const title = `Báo cáo giải quyết hồ sơ từ ${dayText(report.from)} đến ${dayText(report.to)}, theo ${DIMENSION_HEADERS[report.by].toLowerCase()}\n\n`;
  if (report.lines.length === 0) return `${title}Không có hồ sơ trong kỳ.\n`;
  const rows = [
    [
      DIMENSION_HEADERS[report.by],
      "Tồn",
      "Nhận",
      "TT/TTiếp/BC",
      "Đã GQ",
      "Trước",
      "Đúng",
      "Quá",
      "Tỷ lệ đúng hạn",
      "Đang TH",
      "Đang QH",
      "Chờ BS",
      "Tạm dừng",
      "Ngày TB",
      "Xếp loại",
    ],
  ];
  for (const line of [...report.lines, report.total]) {
    const name =
      report.by !== "agency" && line.agencyName ? `${line.label} — ${line.agencyName}` : line.label;
    rows.push([
      name,
      String(line.carriedOver),
      String(line.receivedNew),
      `${line.receivedOnline}/${line.receivedInPerson}/${line.receivedPostal}`,
      String(line.resolved),
      String(line.resolvedEarly),
      String(line.resolvedOnTime),
      String(line.resolvedLate),
      percent(line.onTimeRate),
      String(line.inProgressOnTime),
      String(line.inProgressOverdue),
      String(line.awaitingSupplement),
      String(line.paused),
      line.averageWorkingDays === null ? "—" : decimal(line.averageWorkingDays, 1),
      line.grade === null ? "—" : GRADE_LABELS[line.grade],
    ]);
  }
  return `${title}${table(rows, 1)}`;
}

function renderRegister(entries: readonly RegisterEntry[], range: DateRange): string {
  const title = `Sổ theo dõi hồ sơ: tiếp nhận từ ${dayText(range.from)} đến ${dayText(range.to)}\n\n`;
  if (entries.length === 0) return `${title}Không có hồ sơ tiếp nhận trong kỳ.\n`;
  const rows = [["STT", "Mã hồ sơ", "Tiếp nhận", "Hẹn trả", "Hoàn thành", "Trạng thái"]];
  for (const entry of entries) {
    rows.push([
      String(entry.no),
      entry.dossierCode,
      shortDateTime(entry.receivedAt),
      shortDateTime(entry.appointmentAt),
      entry.finishedAt === undefined ? "—" : shortDateTime(entry.finishedAt),
      REGISTER_OUTCOME_LABELS[entry.outcome],
    ]);
  }
  return `${title}${table(rows, 99)}`;
}

function registerJson(entry: RegisterEntry) {
  const iso = (instant: number | undefined) => (instant === undefined ? null : formatInstant(instant));
  return {
    ...entry,
    receivedAt: iso(entry.receivedAt),
    appointmentAt: iso(entry.appointmentAt),
    transferredAt: iso(entry.transferredAt),
    finishedAt: iso(entry.finishedAt),
    returnedAt: iso(entry.returnedAt),
  };
}
