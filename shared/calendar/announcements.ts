import * as z from "zod";
import { IsoDateSchema } from "./local-date.ts";

/**
 * The Government's yearly announcements of days off for state agencies (law as data, docs/calendar.md).
 * Each year lists every named day: holidays (also those on a weekend, so people see their name),
 * compensatory days (nghỉ bù), swapped days off (hoán đổi) and make-up working Saturdays (làm bù).
 * An announced year is exactly this list on top of the Monday–Friday week; a year without one is
 * built from the statutory rules and marked provisional (civil-calendar.ts).
 *
 * Source of every entry: docs/calendar.md, "Yearly announcements", which names each year's
 * dispatches. Where that table names no dispatch number
 * (2019–2021) the `sources` say what the figures were taken from.
 */

export const DayOffKind = z.enum(["holiday", "compensatory", "swap"]);
export type DayOffKind = z.infer<typeof DayOffKind>;

export const AnnouncementSchema = z
  .object({
    year: z.number().int().min(2014).max(2199),
    /** Dispatch numbers (Công văn …/VPCP-KGVX, Thông báo …/TB-BNV) or where the data came from. */
    sources: z.array(z.string().min(1)).min(1),
    daysOff: z.array(
      z.object({
        date: IsoDateSchema,
        name: z.string().min(1),
        kind: DayOffKind,
        source: z.string().optional(),
      }),
    ),
    /** Saturdays (or other rest days) declared working days, each with what it makes up for. */
    workingDays: z.array(
      z.object({ date: IsoDateSchema, name: z.string().min(1), source: z.string().optional() }),
    ),
    /**
     * Where a dispatch named in `sources` can be read: its `url` on an official site or a legal
     * database, at most one per dispatch. Only addresses someone has opened belong here; the
     * built-in years carry none yet, because none was confirmed when this data was written.
     */
    links: z
      .array(z.object({ source: z.string().min(1), url: z.url({ protocol: /^https$/ }) }).strict())
      .optional(),
  })
  .strict()
  .superRefine((announcement, context) => {
    const seen = new Set<string>();
    for (const [index, link] of (announcement.links ?? []).entries()) {
      if (!announcement.sources.includes(link.source)) {
        context.addIssue({
          code: "custom",
          path: ["links", index, "source"],
          message: `"${link.source}" is not one of this announcement's sources`,
        });
      }
      if (seen.has(link.source)) {
        context.addIssue({
          code: "custom",
          path: ["links", index, "source"],
          message: `"${link.source}" has more than one link`,
        });
      }
      seen.add(link.source);
    }
  });
export type Announcement = z.infer<typeof AnnouncementSchema>;

/** A file a deployment adds to announce or correct years without a code change. */
export const AnnouncementFileSchema = z.union([AnnouncementSchema, z.array(AnnouncementSchema)]);

const TET = "Tết Nguyên đán";
const TET_DL = "Tết Dương lịch";
const GIO_TO = "Giỗ Tổ Hùng Vương";
const CHIEN_THANG = "Ngày Chiến thắng";
const LAO_DONG = "Ngày Quốc tế lao động";
const QUOC_KHANH = "Quốc khánh";

const holiday = (date: string, name: string) => ({ date, name, kind: "holiday" as const });
const bu = (date: string, name: string) => ({ date, name: `Nghỉ bù ${name}`, kind: "compensatory" as const });
const swap = (date: string, name: string, makeUp: string) => ({
  date,
  name: `Nghỉ ${name} (hoán đổi, làm bù ${makeUp})`,
  kind: "swap" as const,
});
const lamBu = (date: string, forDate: string) => ({ date, name: `Làm bù cho ngày ${forDate}` });
const tet = (...dates: string[]) => dates.map((date) => holiday(date, TET));

export const ANNOUNCEMENTS: readonly Announcement[] = [
  {
    year: 2019,
    sources: [
      "Announcements for 2019 as reported by plo.vn and docnhanh.vn (dispatch numbers not in our reference)",
      "python-holidays (vacanza/holidays) Vietnam 2018/2019 swaps",
    ],
    daysOff: [
      swap("2018-12-31", TET_DL, "05/01/2019"),
      holiday("2019-01-01", TET_DL),
      ...tet("2019-02-04", "2019-02-05", "2019-02-06", "2019-02-07", "2019-02-08"),
      holiday("2019-04-14", GIO_TO),
      bu("2019-04-15", GIO_TO),
      swap("2019-04-29", "lễ 30/4–1/5", "04/05/2019"),
      holiday("2019-04-30", CHIEN_THANG),
      holiday("2019-05-01", LAO_DONG),
      holiday("2019-09-02", QUOC_KHANH),
    ],
    workingDays: [lamBu("2019-01-05", "31/12/2018"), lamBu("2019-05-04", "29/04/2019")],
  },
  {
    year: 2020,
    sources: ["Notice summary reported by kienthuc.net.vn (dispatch number not in our reference)"],
    daysOff: [
      holiday("2020-01-01", TET_DL),
      ...tet(
        "2020-01-23",
        "2020-01-24",
        "2020-01-25",
        "2020-01-26",
        "2020-01-27",
        "2020-01-28",
        "2020-01-29",
      ),
      holiday("2020-04-02", GIO_TO),
      holiday("2020-04-30", CHIEN_THANG),
      holiday("2020-05-01", LAO_DONG),
      holiday("2020-09-02", QUOC_KHANH),
    ],
    workingDays: [],
  },
  {
    year: 2021,
    sources: [
      "Reported by hanoimoi.vn; Bộ luật Lao động 2019 Điều 111–112 (dispatch number not in our reference)",
    ],
    daysOff: [
      holiday("2021-01-01", TET_DL),
      ...tet(
        "2021-02-10",
        "2021-02-11",
        "2021-02-12",
        "2021-02-13",
        "2021-02-14",
        "2021-02-15",
        "2021-02-16",
      ),
      holiday("2021-04-21", GIO_TO),
      holiday("2021-04-30", CHIEN_THANG),
      holiday("2021-05-01", LAO_DONG),
      bu("2021-05-03", LAO_DONG),
      holiday("2021-09-02", QUOC_KHANH),
      holiday("2021-09-03", QUOC_KHANH),
    ],
    workingDays: [],
  },
  {
    year: 2022,
    sources: ["Công văn 245/VPCP-KGVX"],
    daysOff: [
      holiday("2022-01-01", TET_DL),
      bu("2022-01-03", TET_DL),
      ...tet("2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04"),
      holiday("2022-04-10", GIO_TO),
      bu("2022-04-11", GIO_TO),
      holiday("2022-04-30", CHIEN_THANG),
      holiday("2022-05-01", LAO_DONG),
      bu("2022-05-02", CHIEN_THANG),
      bu("2022-05-03", LAO_DONG),
      holiday("2022-09-01", QUOC_KHANH),
      holiday("2022-09-02", QUOC_KHANH),
    ],
    workingDays: [],
  },
  {
    year: 2023,
    sources: ["Công văn 8056/VPCP-KGVX"],
    daysOff: [
      holiday("2023-01-01", TET_DL),
      bu("2023-01-02", TET_DL),
      ...tet(
        "2023-01-20",
        "2023-01-21",
        "2023-01-22",
        "2023-01-23",
        "2023-01-24",
        "2023-01-25",
        "2023-01-26",
      ),
      holiday("2023-04-29", GIO_TO),
      holiday("2023-04-30", CHIEN_THANG),
      holiday("2023-05-01", LAO_DONG),
      bu("2023-05-02", GIO_TO),
      bu("2023-05-03", CHIEN_THANG),
      holiday("2023-09-01", QUOC_KHANH),
      holiday("2023-09-02", QUOC_KHANH),
      bu("2023-09-04", QUOC_KHANH),
    ],
    workingDays: [],
  },
  {
    year: 2024,
    sources: ["Công văn 8662/VPCP-KGVX", "Công văn 2450/VPCP-KGVX"],
    daysOff: [
      holiday("2024-01-01", TET_DL),
      ...tet("2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12"),
      bu("2024-02-13", TET),
      bu("2024-02-14", TET),
      holiday("2024-04-18", GIO_TO),
      swap("2024-04-29", "lễ 30/4–1/5", "04/05/2024"),
      holiday("2024-04-30", CHIEN_THANG),
      holiday("2024-05-01", LAO_DONG),
      holiday("2024-09-02", QUOC_KHANH),
      holiday("2024-09-03", QUOC_KHANH),
    ],
    workingDays: [lamBu("2024-05-04", "29/04/2024")],
  },
  {
    year: 2025,
    sources: ["Công văn 8726/VPCP-KGVX", "Thông báo 6150/TB-BLĐTBXH"],
    daysOff: [
      holiday("2025-01-01", TET_DL),
      ...tet("2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"),
      holiday("2025-04-07", GIO_TO),
      holiday("2025-04-30", CHIEN_THANG),
      holiday("2025-05-01", LAO_DONG),
      swap("2025-05-02", "lễ 30/4–1/5", "26/04/2025"),
      holiday("2025-09-01", QUOC_KHANH),
      holiday("2025-09-02", QUOC_KHANH),
    ],
    workingDays: [lamBu("2025-04-26", "02/05/2025")],
  },
  {
    year: 2026,
    sources: [
      "Công văn 12729/VPCP-KGVX",
      "Công văn 9859/VPCP-KGVX",
      "Thông báo 9441/TB-BNV",
      "Công văn 8764/BNV-CVL",
      "Cần Thơ Thông báo 109/TB-UBND",
    ],
    daysOff: [
      holiday("2026-01-01", TET_DL),
      swap("2026-01-02", TET_DL, "10/01/2026"),
      ...tet("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"),
      holiday("2026-04-26", GIO_TO),
      bu("2026-04-27", GIO_TO),
      holiday("2026-04-30", CHIEN_THANG),
      holiday("2026-05-01", LAO_DONG),
      swap("2026-08-31", QUOC_KHANH, "22/08/2026"),
      holiday("2026-09-01", QUOC_KHANH),
      holiday("2026-09-02", QUOC_KHANH),
      {
        ...holiday("2026-11-24", "Ngày Văn hóa Việt Nam"),
        source: "NQ 28/2026/QH16 (reported), in force 01/07/2026; NQ 80-NQ/TW, NQ 30/NQ-CP",
      },
    ],
    workingDays: [lamBu("2026-01-10", "02/01/2026"), lamBu("2026-08-22", "31/08/2026")],
  },
];
