import {
  type CivilCalendar,
  formatInstant,
  localEpochDay,
  parseInstant,
  TIME_LIMIT_UNITS,
  type TimeLimitUnit,
  WorkingTime,
  ymdFromEpochDay,
} from "../../../shared/calendar/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { loadCalendar, readInput } from "../io.ts";

const HELP = `Usage: dunghan deadline --received INSTANT --amount N --unit UNIT [--cutoff HH:MM] [--json]
       dunghan deadline --batch - [--json]

Computes the due instant of a time limit on the civil-service calendar
(office hours 07:30–11:30 and 13:00–17:00; 8 office hours = 1 working day).

Options:
  --received INSTANT     ISO-8601 instant, any offset (e.g. 2026-11-20T09:00:00+07:00)
  --amount N             the limit (fractions allowed for working days and hours)
  --unit UNIT            working-days | working-hours | calendar-days
  --cutoff HH:MM         receptions after this time count from the next working day (e.g. 15:00)
  --batch FILE           JSON lines {"received","amount","unit","cutoff"?} from FILE ("-" = stdin);
                         prints a JSON array of results in order
  --json                 JSON output: {"received","amount","unit","due","provisional"}
  --announcements FILE   add or override years with a deployment's announcement file
  -h, --help             this help

Output instants carry the +07:00 offset. "provisional": true when the count crosses a year that
has no Government announcement yet.`;

interface Request {
  received: string;
  amount: number;
  unit: TimeLimitUnit;
  cutoff?: string;
}

export const deadlineCommand: Command = {
  name: "deadline",
  summary: "due instant of a time limit (working days, working hours, calendar days)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        received: { type: "string" },
        amount: { type: "string" },
        unit: { type: "string" },
        cutoff: { type: "string" },
        batch: { type: "string" },
        json: { type: "boolean" },
        announcements: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const calendar = await loadCalendar(values.announcements);
      const working = new WorkingTime(calendar);
      if (values.batch !== undefined) {
        const text = await readInput(values.batch, "batch", io);
        const results = parseBatch(text).map((request) => compute(working, calendar, request));
        io.stdout(`${JSON.stringify(results)}\n`);
        return 0;
      }
      const request = toRequest({
        received: requireOption(values.received, "received"),
        amount: requireOption(values.amount, "amount"),
        unit: requireOption(values.unit, "unit"),
        cutoff: values.cutoff,
      });
      const result = compute(working, calendar, request);
      if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
      else {
        const note = result.provisional ? "  (tạm tính: năm chưa có thông báo nghỉ lễ)" : "";
        io.stdout(
          `Tiếp nhận: ${result.received}\nThời hạn:  ${result.amount} ${result.unit}\nHạn trả:   ${result.due}${note}\n`,
        );
      }
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

function parseBatch(text: string): Request[] {
  const requests: Request[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InvalidInputError(`batch line ${index + 1}: not valid JSON`);
    }
    try {
      requests.push(toRequest(json as Record<string, unknown>));
    } catch (error) {
      throw new InvalidInputError(`batch line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return requests;
}

function toRequest(input: Record<string, unknown>): Request {
  const { received, amount, unit, cutoff } = input;
  if (typeof received !== "string")
    throw new InvalidInputError(`invalid received ${JSON.stringify(received)}`);
  const number =
    typeof amount === "number"
      ? amount
      : typeof amount === "string" && amount.trim() !== ""
        ? Number(amount)
        : Number.NaN;
  if (!Number.isFinite(number) || number < 0) {
    throw new InvalidInputError(`invalid amount ${JSON.stringify(amount)}: expected a number ≥ 0`);
  }
  if (!TIME_LIMIT_UNITS.includes(unit as TimeLimitUnit)) {
    throw new InvalidInputError(
      `unknown unit ${JSON.stringify(unit)}: expected ${TIME_LIMIT_UNITS.join(", ")}`,
    );
  }
  if (cutoff !== undefined && typeof cutoff !== "string")
    throw new InvalidInputError(`invalid cutoff ${JSON.stringify(cutoff)}`);
  return { received, amount: number, unit: unit as TimeLimitUnit, ...(cutoff ? { cutoff } : {}) };
}

function compute(working: WorkingTime, calendar: CivilCalendar, request: Request) {
  const receivedMs = parseInstant(request.received);
  const dueMs = working.due(receivedMs, request, request.cutoff ? { cutoff: request.cutoff } : {})!;
  const firstYear = ymdFromEpochDay(localEpochDay(receivedMs)).year;
  const lastYear = ymdFromEpochDay(localEpochDay(dueMs)).year;
  let provisional = false;
  for (let year = firstYear; year <= lastYear; year++) provisional ||= calendar.isProvisionalYear(year);
  return {
    received: formatInstant(receivedMs),
    amount: request.amount,
    unit: request.unit,
    ...(request.cutoff ? { cutoff: request.cutoff } : {}),
    due: formatInstant(dueMs),
    provisional,
  };
}
