import * as z from "zod";
import { parseWith } from "../../parse.ts";
import { unsafeTextProblem } from "../../text-safety.ts";
import { isVietnamTime, textWidthEm } from "../render/index.ts";
import { isDossierCode } from "./dossier-code.ts";

export const nonEmptyText = z.string().trim().min(1, "không được để trống");

/**
 * The reason printed in the apology letter: it must leave the letter on one A5 page with the
 * longest realistic other values (test/unit/letters/print.test.ts). Measured as printed width, not
 * characters — capitals and "M"/"W" are twice as wide as lower-case text: 48.5 em is about 120
 * characters of ordinary Vietnamese, 90 in capitals. A word wider than the text column would run
 * off the page, so a word is at most 20 em (the column is about 23 em at 11 pt).
 */
export const APOLOGY_REASON_MAX_EM = 48.5;
export const APOLOGY_REASON_MAX_WORD_EM = 20;

export const apologyReason = nonEmptyText.max(2000).superRefine((value, ctx) => {
  const width = textWidthEm(value.replace(/\s+/g, " "));
  if (width > APOLOGY_REASON_MAX_EM) {
    ctx.addIssue({
      code: "custom",
      message:
        `quá dài để văn bản vừa một trang A5 (${Math.round(width)} em, tối đa ${APOLOGY_REASON_MAX_EM} em ` +
        "— khoảng 120 ký tự chữ thường); hãy viết gọn lại",
    });
  } else if (value.split(/\s+/).some((word) => textWidthEm(word) > APOLOGY_REASON_MAX_WORD_EM)) {
    ctx.addIssue({
      code: "custom",
      message: "có một từ dài hơn một dòng của văn bản; hãy thêm khoảng trắng",
    });
  }
});

export const isoInstant = z.string().refine(isVietnamTime, "không phải thời điểm ISO 8601 hợp lệ");

export const dossierCode = z.string().refine(isDossierCode, "mã hồ sơ không hợp lệ");

/**
 * `parseWith` (shared/parse.ts) worded for the official who typed the value: "<what> không hợp lệ —
 * <path>: <rule>", the whole input named "(gốc)".
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  return parseWith(schema, input, `${what} không hợp lệ`, { root: "(gốc)" });
}

/**
 * A reason a leader types (draft edits): also no control characters, lone surrogates or bidi
 * overrides — as for event text (shared/text-safety.ts). The renderers escape and drop them
 * anyway; refusing says so to the person typing.
 */
export const typedApologyReason = apologyReason.superRefine((value, ctx) => {
  const unsafe = unsafeTextProblem(value);
  if (unsafe !== undefined) ctx.addIssue({ code: "custom", message: unsafe });
});
