import type * as z from "zod";
import { InvalidInputError } from "./errors.ts";

/**
 * The one way input is checked against a zod schema, for every layer: the error is an
 * InvalidInputError `"<what> — <path>: <rule>; …"` with `details.fields` (the paths at fault). It
 * names paths and rules, never the values (a value may be a phone number or an e-mail address:
 * NĐ 13/2023/NĐ-CP). `what` says what was read, in the reader's language (docs/architecture.md,
 * "Conventions"): "invalid dossier event" for developers and API callers, "Ngày hẹn mới không hợp
 * lệ" for an official.
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
  wording: IssueWording = {},
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(`${what} — ${describeIssues(result.error.issues, wording).join("; ")}`, {
    fields: result.error.issues.map(pathOf),
  });
}

export interface IssueWording {
  /** How an issue with an empty path (the input as a whole) is named; "(root)" unless given. */
  readonly root?: string;
}

/** "path: rule" for each issue, for callers that collect problems instead of throwing. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], wording: IssueWording = {}): string[] {
  return issues.map((issue) => `${pathOf(issue) || (wording.root ?? "(root)")}: ${issue.message}`);
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join(".");
}
