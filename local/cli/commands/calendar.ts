import { type DayInfo, isoWeekday, parseIsoDate, ymdFromEpochDay } from "../../../shared/calendar/index.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { loadCalendar } from "../io.ts";

const HELP = `Usage: dunghan calendar --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--announcements FILE]

Prints the civil-service calendar for a range of dates: which days are working days, and the name
of each holiday, compensatory day (nghỉ bù), swapped day and make-up Saturday (làm bù).

Options:
  --from DATE            first date (inclusive)
  --to DATE              last date (inclusive)
  --json                 a JSON array, one object per date:
                         {"date","working","name"?,"provisional"}
  --announcements FILE   add or override years with a deployment's announcement file
  -h, --help             this help

Years without a Government announcement are built from the statutory rules and marked
provisional. Supported years: 2014–2199.`;

export const calendarCommand: Command = {
  name: "calendar",
  summary: "working days and holidays for a date range",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        from: { type: "string" },
        to: { type: "string" },
        json: { type: "boolean" },
        announcements: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const from = parseIsoDate(requireOption(values.from, "from"));
      const to = parseIsoDate(requireOption(values.to, "to"));
      const calendar = await loadCalendar(values.announcements);
      const days = calendar.days(from, to);
      if (values.json) {
        const out = days.map((day) => ({
          date: day.date,
          working: day.working,
          ...(day.name ? { name: day.name } : {}),
          provisional: day.provisional,
        }));
        io.stdout(`${JSON.stringify(out)}\n`);
      } else {
        io.stdout(renderMonths(days, from));
      }
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

const WEEK_HEADER = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"].map((day) => ` ${day} `).join(" ");
const MONTH_NAMES = [
  "",
  "Tháng 1",
  "Tháng 2",
  "Tháng 3",
  "Tháng 4",
  "Tháng 5",
  "Tháng 6",
  "Tháng 7",
  "Tháng 8",
  "Tháng 9",
  "Tháng 10",
  "Tháng 11",
  "Tháng 12",
];

/** A month grid per month (Monday first); days off in brackets, named days listed below. */
function renderMonths(days: DayInfo[], firstDay: number): string {
  const lines: string[] = [];
  let current = "";
  let row: string[] = [];
  const notes: string[] = [];
  const flush = () => {
    if (row.length) lines.push(row.join(" "));
    row = [];
  };
  const endMonth = () => {
    flush();
    lines.push(...notes.splice(0), "");
  };
  days.forEach((day, offset) => {
    const epochDay = firstDay + offset;
    const { year, month, day: dom } = ymdFromEpochDay(epochDay);
    const key = `${year}-${month}`;
    const weekday = isoWeekday(epochDay);
    if (key !== current) {
      if (current) endMonth();
      current = key;
      const provisional = day.provisional ? "  (tạm tính / provisional)" : "";
      lines.push(`${MONTH_NAMES[month]} ${year}${provisional}`, WEEK_HEADER);
      row = Array.from({ length: weekday - 1 }, () => "    ");
    }
    const cell = day.working ? ` ${String(dom).padStart(2)} ` : `[${String(dom).padStart(2)}]`;
    row.push(cell);
    if (day.name)
      notes.push(
        `  ${String(dom).padStart(2, "0")}/${String(month).padStart(2, "0")}  ${day.working ? "làm việc" : "nghỉ"}  ${day.name}`,
      );
    if (weekday === 7) flush();
  });
  endMonth();
  lines.push("[dd] = ngày nghỉ (day off)");
  return `${lines.join("\n")}\n`;
}
