import { DateTime } from "luxon";
import businessDays, { type BusinessDateTime } from "luxon-business-days";
import { CivilCalendar } from "../shared/calendar/civil-calendar.ts";
import { epochDayFromYmd, isoDate, parseInstant, VN_ZONE } from "../shared/calendar/local-date.ts";
import { WORKING_DAY_MS, WorkingTime } from "../shared/calendar/working-time.ts";
import { dayLoopDue } from "./baselines/day-loop-deadline.ts";
import { type Benchmark, type Figure, opsPerSecond, seededRandom } from "./harness.ts";

const INPUTS = 100_000;

/** 100k random receptions in 2019–2027 (office hours and not), limits of 1–30 working days. */
function makeInputs(): { receivedMs: number; days: number }[] {
  const random = seededRandom(2026);
  const first = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2027, 11, 1) - first;
  return Array.from({ length: INPUTS }, () => ({
    receivedMs: first + Math.floor((random() * span) / 60_000) * 60_000,
    days: 1 + Math.floor(random() * 30),
  }));
}

export const calendarBenchmark: Benchmark = {
  name: "calendar",
  async run(): Promise<Figure[]> {
    const buildStart = performance.now();
    const calendar = new CivilCalendar();
    const working = new WorkingTime(calendar);
    const buildMs = performance.now() - buildStart;
    const inputs = makeInputs();

    const engine = opsPerSecond(inputs, (input) => working.addWorkingDays(input.receivedMs, input.days));
    const dayLoop = opsPerSecond(inputs, (input) =>
      dayLoopDue(calendar, input.receivedMs, input.days * WORKING_DAY_MS),
    );

    // luxon-business-days, configured with the same days off and make-up Saturdays. It counts whole
    // days (no office hours), so it does less work than the engine; it is the usual npm answer.
    const offDays = new Set<string>();
    const makeUp = new Set<string>();
    for (let day = epochDayFromYmd(2019, 1, 1); day <= epochDayFromYmd(2029, 12, 31); day++) {
      const info = calendar.dayInfo(day);
      if (!info.working && info.kind !== "weekend") offDays.add(info.date);
      if (info.working && info.kind === "make-up") makeUp.add(info.date);
    }
    const isHoliday = (dt: BusinessDateTime) => offDays.has(dt.toISODate() ?? "");
    const isWeekendNotMakeUp = (dt: BusinessDateTime) =>
      dt.weekday === 6 && !makeUp.has(dt.toISODate() ?? "");
    const luxonInputs = inputs.slice(0, 5_000).map((input) => {
      const dt = businessDays.DateTime.fromMillis(input.receivedMs, { zone: "Asia/Ho_Chi_Minh" });
      dt.setupBusiness({
        businessDays: [1, 2, 3, 4, 5, 6],
        holidayMatchers: [isHoliday, isWeekendNotMakeUp],
      });
      return { dt, days: input.days };
    });
    const luxon = opsPerSecond(luxonInputs, (input) => input.dt.plusBusiness({ days: input.days }));

    const parsed = inputs
      .slice(0, 20_000)
      .map((input) => ({ text: new Date(input.receivedMs).toISOString(), days: input.days }));
    const endToEnd = opsPerSecond(parsed, (input) =>
      working.addWorkingDays(parseInstant(input.text), input.days),
    );
    const withLuxonParse = opsPerSecond(parsed, (input) =>
      working.addWorkingDays(DateTime.fromISO(input.text, { zone: VN_ZONE }).toMillis(), input.days),
    );

    return [
      {
        figure: "deadline.working-days",
        value: engine,
        unit: "ops/s",
        baselines: { "luxon-business-days": luxon, "day-loop": dayLoop },
        target: "≥ 1,000,000 ops/s and ≥ 50× luxon-business-days",
        note: `same ${INPUTS.toLocaleString("en-US")} random receptions 2019–2027, 1–30 working days (luxon-business-days on the first 5,000)`,
      },
      {
        figure: "deadline.working-days.iso-in",
        value: endToEnd,
        unit: "ops/s",
        baselines: { "luxon-parse": withLuxonParse },
        note: "including parsing the ISO-8601 reception instant (the CLI and API path)",
      },
      {
        figure: "calendar.build",
        value: buildMs,
        unit: "ms",
        baselines: {},
        note: `one-off: civil calendar 2014–2199 and the office-time index (${isoDate(calendar.firstDay)} … ${isoDate(calendar.lastDay)})`,
      },
    ];
  },
};
