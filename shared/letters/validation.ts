import * as z from "zod";
import { InvalidInputError } from "../errors.ts";
import { isDossierCode } from "./dossier-code.ts";
import { isVietnamTime } from "./vietnamese-format.ts";

export const nonEmptyText = z.string().trim().min(1, "không được để trống");

export const isoInstant = z.string().refine(isVietnamTime, "không phải thời điểm ISO 8601 hợp lệ");

export const dossierCode = z.string().refine(isDossierCode, "mã hồ sơ không hợp lệ");

/**
 * Parses with a zod schema and throws InvalidInputError naming the fields at fault. Messages carry
 * paths and rules only, never the values (they may be personal data, NĐ 13/2023/NĐ-CP).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(gốc)"}: ${issue.message}`);
  throw new InvalidInputError(`${what} không hợp lệ — ${problems.join("; ")}`, {
    fields: result.error.issues.map((issue) => issue.path.join(".")),
  });
}
