import * as z from "zod";
import { parseWith } from "../parse.ts";

export const GRADES = ["green", "yellow", "orange", "red"] as const;
/** Colour grade of an on-time rate, as provincial dashboards show them. */
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Record<Grade, string> = {
  green: "Xanh",
  yellow: "Vàng",
  orange: "Cam",
  red: "Đỏ",
};

/** Cell fills used in exports (ARGB). */
export const GRADE_COLOURS: Record<Grade, string> = {
  green: "FF92D050",
  yellow: "FFFFFF00",
  orange: "FFFFC000",
  red: "FFFF0000",
};

/**
 * Lower bounds of the on-time rate ((trước hạn + đúng hạn) / đã giải quyết, 0–1) for each grade;
 * below `orange` is red. Deployment data (docs/reports.md).
 */
export interface GradeScale {
  readonly green: number;
  readonly yellow: number;
  readonly orange: number;
  readonly source: string;
}

/**
 * NO national standard for these colours was found (docs/law.md, "Timeliness classes in reports"): the
 * provinces' dashboards grade green / yellow / orange / red with their own thresholds. These
 * defaults are dunghan's placeholder, not a rule from any instrument; set a province's own.
 */
export const DEFAULT_GRADE_SCALE: GradeScale = {
  green: 0.95,
  yellow: 0.85,
  orange: 0.7,
  source: "ngưỡng mặc định của dunghan, không có chuẩn quốc gia",
};

export function gradeOf(rate: number | null, scale: GradeScale = DEFAULT_GRADE_SCALE): Grade | null {
  if (rate === null) return null;
  if (rate >= scale.green) return "green";
  if (rate >= scale.yellow) return "yellow";
  if (rate >= scale.orange) return "orange";
  return "red";
}

/**
 * Built on first use, not at module load: the dashboard imports this module for GRADE_LABELS
 * only, and a schema built at load would carry zod into its browser bundle.
 */
let gradeScaleSchema:
  | undefined
  | z.ZodType<{
      green: number;
      yellow: number;
      orange: number;
      source?: string | undefined;
    }>;
function gradeScaleSchemaOf() {
  if (gradeScaleSchema === undefined) {
    const rate = z.number().min(0).max(1);
    gradeScaleSchema = z
      .strictObject({ green: rate, yellow: rate, orange: rate, source: z.string().min(1).optional() })
      .refine((scale) => scale.green >= scale.yellow && scale.yellow >= scale.orange, {
        message: "thresholds must satisfy green ≥ yellow ≥ orange",
      });
  }
  return gradeScaleSchema;
}

/** Reads a grade scale, e.g. {"green": 0.98, "yellow": 0.9, "orange": 0.8, "source": "QĐ …/UBND"}. */
export function parseGradeScale(input: unknown): GradeScale {
  const scale = parseWith(gradeScaleSchemaOf(), input, "invalid grade scale");
  return { ...scale, source: scale.source ?? "deployment configuration" };
}
