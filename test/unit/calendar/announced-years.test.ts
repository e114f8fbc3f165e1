import { describe, expect, it } from "vitest";
import { ANNOUNCEMENTS } from "../../../shared/calendar/announcements.ts";
import { CivilCalendar, type DayKind } from "../../../shared/calendar/civil-calendar.ts";
import { parseIsoDate } from "../../../shared/calendar/local-date.ts";

/**
 * Every announced year pinned exactly, as python-holidays' `test_l10n_default` does: each year's
 * full list of named days (holidays, nghỉ bù, swapped days off, làm bù Saturdays) is written out
 * here by hand, not derived from shared/calendar, and checked against that year's announcement
 * (the summary quoted above each year; the dispatch numbers are the year's `sources` in
 * announcements.ts). Moving one day, or adding one, fails this file.
 *
 * Days not listed are Monday–Friday working days and Saturday/Sunday rest days.
 */
type Pinned = readonly [date: string, kind: Exclude<DayKind, "workday" | "weekend">, name: string];

const TET = "Tết Nguyên đán";
const TET_DL = "Tết Dương lịch";
const GIO_TO = "Giỗ Tổ Hùng Vương";
const CHIEN_THANG = "Ngày Chiến thắng";
const LAO_DONG = "Ngày Quốc tế lao động";
const QUOC_KHANH = "Quốc khánh";

const PINNED: Record<number, { from: string; days: readonly Pinned[] }> = {
  // Tết DL 29/12/2018–01/01/2019 (Mon 31/12/2018 swapped); Tết 02/02–10/02; Giỗ Tổ Sun 14/04 → Mon
  // 15/04; 27/04–01/05 (Mon 29/04 swapped); Quốc khánh 02/09 (1 day); làm bù Sat 05/01, Sat 04/05.
  2019: {
    from: "2018-12-31",
    days: [
      ["2018-12-31", "swap", "Nghỉ Tết Dương lịch (hoán đổi, làm bù 05/01/2019)"], // Mon
      ["2019-01-01", "holiday", TET_DL], // Tue
      ["2019-01-05", "make-up", "Làm bù cho ngày 31/12/2018"], // Sat
      ["2019-02-04", "holiday", TET], // Mon
      ["2019-02-05", "holiday", TET],
      ["2019-02-06", "holiday", TET],
      ["2019-02-07", "holiday", TET],
      ["2019-02-08", "holiday", TET], // Fri
      ["2019-04-14", "holiday", GIO_TO], // Sun
      ["2019-04-15", "compensatory", `Nghỉ bù ${GIO_TO}`], // Mon
      ["2019-04-29", "swap", "Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù 04/05/2019)"], // Mon
      ["2019-04-30", "holiday", CHIEN_THANG], // Tue
      ["2019-05-01", "holiday", LAO_DONG], // Wed
      ["2019-05-04", "make-up", "Làm bù cho ngày 29/04/2019"], // Sat
      ["2019-09-02", "holiday", QUOC_KHANH], // Mon
    ],
  },
  // Tết DL 01/01; Tết 23/01–29/01; Giỗ Tổ 02/04; 30/04–03/05; Quốc khánh 02/09 (1 day); no làm bù.
  2020: {
    from: "2020-01-01",
    days: [
      ["2020-01-01", "holiday", TET_DL], // Wed
      ["2020-01-23", "holiday", TET], // Thu
      ["2020-01-24", "holiday", TET],
      ["2020-01-25", "holiday", TET], // Sat
      ["2020-01-26", "holiday", TET], // Sun
      ["2020-01-27", "holiday", TET],
      ["2020-01-28", "holiday", TET],
      ["2020-01-29", "holiday", TET], // Wed
      ["2020-04-02", "holiday", GIO_TO], // Thu
      ["2020-04-30", "holiday", CHIEN_THANG], // Thu
      ["2020-05-01", "holiday", LAO_DONG], // Fri
      ["2020-09-02", "holiday", QUOC_KHANH], // Wed
    ],
  },
  // Tết DL 01/01–03/01; Tết 10/02–16/02; Giỗ Tổ 21/04; 30/04–03/05 (Sat 01/05 → Mon 03/05);
  // Quốc khánh 02/09–05/09 (02/09 + 03/09); no làm bù.
  2021: {
    from: "2021-01-01",
    days: [
      ["2021-01-01", "holiday", TET_DL], // Fri
      ["2021-02-10", "holiday", TET], // Wed
      ["2021-02-11", "holiday", TET],
      ["2021-02-12", "holiday", TET],
      ["2021-02-13", "holiday", TET], // Sat
      ["2021-02-14", "holiday", TET], // Sun
      ["2021-02-15", "holiday", TET],
      ["2021-02-16", "holiday", TET], // Tue
      ["2021-04-21", "holiday", GIO_TO], // Wed
      ["2021-04-30", "holiday", CHIEN_THANG], // Fri
      ["2021-05-01", "holiday", LAO_DONG], // Sat
      ["2021-05-03", "compensatory", `Nghỉ bù ${LAO_DONG}`], // Mon
      ["2021-09-02", "holiday", QUOC_KHANH], // Thu
      ["2021-09-03", "holiday", QUOC_KHANH], // Fri
    ],
  },
  // Công văn 245/VPCP-KGVX. Tết DL 01/01–03/01 (Sat → Mon 03/01); Tết 29/01–06/02 (off Mon 31/01–Fri
  // 04/02); Giỗ Tổ Sun 10/04 → Mon 11/04; 30/04–03/05 (Sat, Sun → Mon 02/05, Tue 03/05);
  // Quốc khánh 01/09–04/09 (01/09 + 02/09); no làm bù.
  2022: {
    from: "2022-01-01",
    days: [
      ["2022-01-01", "holiday", TET_DL], // Sat
      ["2022-01-03", "compensatory", `Nghỉ bù ${TET_DL}`], // Mon
      ["2022-01-31", "holiday", TET], // Mon
      ["2022-02-01", "holiday", TET],
      ["2022-02-02", "holiday", TET],
      ["2022-02-03", "holiday", TET],
      ["2022-02-04", "holiday", TET], // Fri
      ["2022-04-10", "holiday", GIO_TO], // Sun
      ["2022-04-11", "compensatory", `Nghỉ bù ${GIO_TO}`], // Mon
      ["2022-04-30", "holiday", CHIEN_THANG], // Sat
      ["2022-05-01", "holiday", LAO_DONG], // Sun
      ["2022-05-02", "compensatory", `Nghỉ bù ${CHIEN_THANG}`], // Mon
      ["2022-05-03", "compensatory", `Nghỉ bù ${LAO_DONG}`], // Tue
      ["2022-09-01", "holiday", QUOC_KHANH], // Thu
      ["2022-09-02", "holiday", QUOC_KHANH], // Fri
    ],
  },
  // Công văn 8056/VPCP-KGVX. Tết DL 31/12/2022–02/01/2023 (Sun → Mon 02/01); Tết 20/01–26/01;
  // Giỗ Tổ Sat 29/04, with 30/04 (Sun) and 01/05: off 29/04–03/05; Quốc khánh 01/09–04/09
  // (01/09 + 02/09 Sat → Mon 04/09); no làm bù.
  2023: {
    from: "2023-01-01",
    days: [
      ["2023-01-01", "holiday", TET_DL], // Sun
      ["2023-01-02", "compensatory", `Nghỉ bù ${TET_DL}`], // Mon
      ["2023-01-20", "holiday", TET], // Fri
      ["2023-01-21", "holiday", TET], // Sat
      ["2023-01-22", "holiday", TET], // Sun
      ["2023-01-23", "holiday", TET],
      ["2023-01-24", "holiday", TET],
      ["2023-01-25", "holiday", TET],
      ["2023-01-26", "holiday", TET], // Thu
      ["2023-04-29", "holiday", GIO_TO], // Sat
      ["2023-04-30", "holiday", CHIEN_THANG], // Sun
      ["2023-05-01", "holiday", LAO_DONG], // Mon
      ["2023-05-02", "compensatory", `Nghỉ bù ${GIO_TO}`], // Tue
      ["2023-05-03", "compensatory", `Nghỉ bù ${CHIEN_THANG}`], // Wed
      ["2023-09-01", "holiday", QUOC_KHANH], // Fri
      ["2023-09-02", "holiday", QUOC_KHANH], // Sat
      ["2023-09-04", "compensatory", `Nghỉ bù ${QUOC_KHANH}`], // Mon
    ],
  },
  // Công văn 8662/VPCP-KGVX, 2450/VPCP-KGVX. Tết DL 30/12/2023–01/01/2024; Tết 08/02–14/02 (5 Tết
  // days + 2 compensatory); Giỗ Tổ 18/04; 27/04–01/05 (Mon 29/04 swapped); Quốc khánh 31/08–03/09
  // (02/09 + 03/09); làm bù Sat 04/05.
  2024: {
    from: "2024-01-01",
    days: [
      ["2024-01-01", "holiday", TET_DL], // Mon
      ["2024-02-08", "holiday", TET], // Thu
      ["2024-02-09", "holiday", TET], // Fri
      ["2024-02-10", "holiday", TET], // Sat
      ["2024-02-11", "holiday", TET], // Sun
      ["2024-02-12", "holiday", TET], // Mon
      ["2024-02-13", "compensatory", `Nghỉ bù ${TET}`], // Tue
      ["2024-02-14", "compensatory", `Nghỉ bù ${TET}`], // Wed
      ["2024-04-18", "holiday", GIO_TO], // Thu
      ["2024-04-29", "swap", "Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù 04/05/2024)"], // Mon
      ["2024-04-30", "holiday", CHIEN_THANG], // Tue
      ["2024-05-01", "holiday", LAO_DONG], // Wed
      ["2024-05-04", "make-up", "Làm bù cho ngày 29/04/2024"], // Sat
      ["2024-09-02", "holiday", QUOC_KHANH], // Mon
      ["2024-09-03", "holiday", QUOC_KHANH], // Tue
    ],
  },
  // Công văn 8726/VPCP-KGVX, Thông báo 6150/TB-BLĐTBXH. Tết DL 01/01; Tết 25/01–02/02 (off Mon 27/01–
  // Fri 31/01); Giỗ Tổ Mon 07/04; 30/04–04/05 (Fri 02/05 swapped); Quốc khánh 30/08–02/09
  // (01/09 + 02/09); làm bù Sat 26/04.
  2025: {
    from: "2025-01-01",
    days: [
      ["2025-01-01", "holiday", TET_DL], // Wed
      ["2025-01-27", "holiday", TET], // Mon
      ["2025-01-28", "holiday", TET],
      ["2025-01-29", "holiday", TET],
      ["2025-01-30", "holiday", TET],
      ["2025-01-31", "holiday", TET], // Fri
      ["2025-04-07", "holiday", GIO_TO], // Mon
      ["2025-04-26", "make-up", "Làm bù cho ngày 02/05/2025"], // Sat
      ["2025-04-30", "holiday", CHIEN_THANG], // Wed
      ["2025-05-01", "holiday", LAO_DONG], // Thu
      ["2025-05-02", "swap", "Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù 26/04/2025)"], // Fri
      ["2025-09-01", "holiday", QUOC_KHANH], // Mon
      ["2025-09-02", "holiday", QUOC_KHANH], // Tue
    ],
  },
  // Công văn 12729/VPCP-KGVX, 9859/VPCP-KGVX, Thông báo 9441/TB-BNV, Công văn 8764/BNV-CVL. Tết DL
  // 01/01–04/01 (Fri 02/01 swapped); Tết 14/02–22/02 (off Mon 16/02–Fri 20/02); Giỗ Tổ Sun 26/04 →
  // Mon 27/04; 30/04–03/05; Quốc khánh 29/08–02/09 (01/09 + 02/09; Mon 31/08 swapped); làm bù
  // Sat 10/01, Sat 22/08; Ngày Văn hóa Việt Nam Tue 24/11.
  2026: {
    from: "2026-01-01",
    days: [
      ["2026-01-01", "holiday", TET_DL], // Thu
      ["2026-01-02", "swap", "Nghỉ Tết Dương lịch (hoán đổi, làm bù 10/01/2026)"], // Fri
      ["2026-01-10", "make-up", "Làm bù cho ngày 02/01/2026"], // Sat
      ["2026-02-16", "holiday", TET], // Mon
      ["2026-02-17", "holiday", TET],
      ["2026-02-18", "holiday", TET],
      ["2026-02-19", "holiday", TET],
      ["2026-02-20", "holiday", TET], // Fri
      ["2026-04-26", "holiday", GIO_TO], // Sun
      ["2026-04-27", "compensatory", `Nghỉ bù ${GIO_TO}`], // Mon
      ["2026-04-30", "holiday", CHIEN_THANG], // Thu
      ["2026-05-01", "holiday", LAO_DONG], // Fri
      ["2026-08-22", "make-up", "Làm bù cho ngày 31/08/2026"], // Sat
      ["2026-08-31", "swap", "Nghỉ Quốc khánh (hoán đổi, làm bù 22/08/2026)"], // Mon
      ["2026-09-01", "holiday", QUOC_KHANH], // Tue
      ["2026-09-02", "holiday", QUOC_KHANH], // Wed
      ["2026-11-24", "holiday", "Ngày Văn hóa Việt Nam"], // Tue
    ],
  },
};

const calendar = CivilCalendar.default();
const YEARS = Object.keys(PINNED).map(Number);

/** Saturday or Sunday, computed with the platform's UTC calendar rather than shared/calendar. */
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe("the announced calendar, pinned year by year", () => {
  it("pins every announced year and no other", () => {
    expect(ANNOUNCEMENTS.map((announcement) => announcement.year)).toEqual(YEARS);
  });

  describe.each(YEARS)("%i", (year) => {
    const { from, days: pinned } = PINNED[year]!;
    const days = calendar.days(parseIsoDate(from), parseIsoDate(`${year}-12-31`));

    it("has exactly the pinned named days: holidays, nghỉ bù, swaps, làm bù", () => {
      const named = days.filter((day) => day.name !== undefined).map((day) => [day.date, day.kind, day.name]);

      expect(named).toEqual(pinned);
    });

    it("works Monday–Friday and the làm bù days, and no other day", () => {
      const kindOf = new Map(pinned.map(([date, kind]) => [date, kind]));
      const expected = (date: string) => {
        const kind = kindOf.get(date);
        if (kind === "make-up") return true;
        if (kind !== undefined) return false;
        return !isWeekend(date);
      };

      const wrong = days.filter((day) => day.working !== expected(day.date)).map((day) => day.date);

      expect(wrong).toEqual([]);
      expect(days.length).toBe(year === 2019 || year % 4 === 0 ? 366 : 365); // 2019 starts on 31/12/2018
    });

    it("is announced, not provisional, on every day", () => {
      expect(days.filter((day) => day.provisional).map((day) => day.date)).toEqual([]);
    });
  });
});
