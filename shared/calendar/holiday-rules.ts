/**
 * Statutory public holidays for cán bộ, công chức, viên chức, as data (docs/calendar.md): each rule has
 * the dates it is in force (`since` inclusive, `until` inclusive, ISO dates) and its legal source.
 * These rules build a year's calendar only when the Government has not announced that year
 * (see announcements.ts); such years are marked provisional.
 */

const BLLD_2012 = "Bộ luật Lao động 2012 (10/2012/QH13), Điều 115(1)";
const BLLD_2019 = "Bộ luật Lao động 2019 (45/2019/QH14), Điều 112(1)";

interface RuleBase {
  id: string;
  /** The name shown to people (calendar CLI, letters). */
  name: string;
  since: string;
  until?: string;
  source: string;
}

/** A holiday on a fixed Gregorian date. */
export interface FixedSolarRule extends RuleBase {
  kind: "fixed-solar";
  month: number;
  day: number;
}

/** A holiday on a fixed lunar date (Vietnamese lunar calendar, UTC+7). */
export interface FixedLunarRule extends RuleBase {
  kind: "fixed-lunar";
  month: number;
  day: number;
}

/**
 * Tết Nguyên đán: `days` days chosen each year by the Prime Minister (BLLĐ 2019 Điều 112(3)).
 * `defaultOffsets` (relative to mùng 1) is what dunghan assumes for a year not yet announced:
 * the last day of the old year and mùng 1–4, the split used in most announced years.
 */
export interface LunarNewYearRule extends RuleBase {
  kind: "lunar-new-year";
  days: number;
  defaultOffsets: readonly number[];
}

/**
 * Quốc khánh's second day: 02/09 "and one day immediately before or after", chosen each year by
 * the Prime Minister. `defaultAfterOnWeekdays` lists the ISO weekdays of 02/09 for which dunghan
 * assumes the day after (otherwise the day before) in a year not yet announced — the choice made
 * in 2021–2026 (02/09 on Thu → 03/09; Mon → 03/09; otherwise 01/09).
 */
export interface AdjacentDayRule extends RuleBase {
  kind: "adjacent-day";
  month: number;
  day: number;
  defaultAfterOnWeekdays: readonly number[];
}

export type HolidayRule = FixedSolarRule | FixedLunarRule | LunarNewYearRule | AdjacentDayRule;

export const HOLIDAY_RULES: readonly HolidayRule[] = [
  // Bộ luật Lao động 2012: in force 01/05/2013 – 31/12/2020.
  {
    id: "tet-duong-lich-2012",
    kind: "fixed-solar",
    name: "Tết Dương lịch",
    month: 1,
    day: 1,
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },
  {
    id: "tet-nguyen-dan-2012",
    kind: "lunar-new-year",
    name: "Tết Nguyên đán",
    days: 5,
    defaultOffsets: [-1, 0, 1, 2, 3],
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },
  {
    id: "gio-to-2012",
    kind: "fixed-lunar",
    name: "Giỗ Tổ Hùng Vương",
    month: 3,
    day: 10,
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },
  {
    id: "chien-thang-2012",
    kind: "fixed-solar",
    name: "Ngày Chiến thắng",
    month: 4,
    day: 30,
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },
  {
    id: "quoc-te-lao-dong-2012",
    kind: "fixed-solar",
    name: "Ngày Quốc tế lao động",
    month: 5,
    day: 1,
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },
  {
    id: "quoc-khanh-2012",
    kind: "fixed-solar",
    name: "Quốc khánh",
    month: 9,
    day: 2,
    since: "2013-05-01",
    until: "2020-12-31",
    source: BLLD_2012,
  },

  // Bộ luật Lao động 2019: in force from 01/01/2021. Quốc khánh becomes two days.
  {
    id: "tet-duong-lich",
    kind: "fixed-solar",
    name: "Tết Dương lịch",
    month: 1,
    day: 1,
    since: "2021-01-01",
    source: BLLD_2019,
  },
  {
    id: "tet-nguyen-dan",
    kind: "lunar-new-year",
    name: "Tết Nguyên đán",
    days: 5,
    defaultOffsets: [-1, 0, 1, 2, 3],
    since: "2021-01-01",
    source: `${BLLD_2019}(b), (3)`,
  },
  {
    id: "gio-to",
    kind: "fixed-lunar",
    name: "Giỗ Tổ Hùng Vương",
    month: 3,
    day: 10,
    since: "2021-01-01",
    source: BLLD_2019,
  },
  {
    id: "chien-thang",
    kind: "fixed-solar",
    name: "Ngày Chiến thắng",
    month: 4,
    day: 30,
    since: "2021-01-01",
    source: BLLD_2019,
  },
  {
    id: "quoc-te-lao-dong",
    kind: "fixed-solar",
    name: "Ngày Quốc tế lao động",
    month: 5,
    day: 1,
    since: "2021-01-01",
    source: BLLD_2019,
  },
  {
    id: "quoc-khanh",
    kind: "fixed-solar",
    name: "Quốc khánh",
    month: 9,
    day: 2,
    since: "2021-01-01",
    source: BLLD_2019,
  },
  {
    id: "quoc-khanh-2",
    kind: "adjacent-day",
    name: "Quốc khánh",
    month: 9,
    day: 2,
    defaultAfterOnWeekdays: [1, 4],
    since: "2021-01-01",
    source: `${BLLD_2019}(đ)`,
  },

  // Ngày Văn hóa Việt Nam, 24/11: Politburo NQ 80-NQ/TW (07/01/2026), Government NQ 30/NQ-CP;
  // reported as enacted by NQ 28/2026/QH16, in force 01/07/2026 (second-hand; a deployment can
  // override it through an announcement file).
  {
    id: "van-hoa-viet-nam",
    kind: "fixed-solar",
    name: "Ngày Văn hóa Việt Nam",
    month: 11,
    day: 24,
    since: "2026-07-01",
    source: "NQ 28/2026/QH16 (reported), NQ 80-NQ/TW, NQ 30/NQ-CP",
  },
];

/**
 * Nghỉ bù: a holiday falling on the weekly rest day gives the next working day off.
 * For civil servants the weekly rest days are Saturday and Sunday (QĐ 188/1999/QĐ-TTg).
 */
export const COMPENSATORY_RULES = [
  {
    id: "nghi-bu-2012",
    since: "2013-05-01",
    until: "2020-12-31",
    source: "Bộ luật Lao động 2012, Điều 115(3)",
  },
  { id: "nghi-bu", since: "2021-01-01", source: "Bộ luật Lao động 2019, Điều 111(3)" },
] as const;

export const WEEKLY_REST = {
  isoWeekdays: [6, 7] as readonly number[],
  source: "Quyết định 188/1999/QĐ-TTg: 40-hour week, Monday–Friday, for civil servants",
};

/** Rules in force on a given ISO date (string comparison is exact for YYYY-MM-DD). */
export function rulesInForce(isoDay: string): HolidayRule[] {
  return HOLIDAY_RULES.filter(
    (rule) => rule.since <= isoDay && (rule.until === undefined || isoDay <= rule.until),
  );
}
