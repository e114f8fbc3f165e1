import { readFile } from "node:fs/promises";
import { CivilCalendar, parseAnnouncementFile } from "../../shared/calendar/index.ts";
import { InvalidInputError } from "../../shared/errors.ts";

/**
 * The calendar the CLI uses: the built-in announcements, plus a deployment's file given by
 * `--announcements FILE` or the DUNGHAN_ANNOUNCEMENTS environment variable.
 */
export async function loadCalendar(file: string | undefined): Promise<CivilCalendar> {
  const path = file ?? process.env.DUNGHAN_ANNOUNCEMENTS;
  if (!path) return CivilCalendar.default();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidInputError(
      `cannot read announcements file "${path}": ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  return new CivilCalendar({ announcements: parseAnnouncementFile(text, path) });
}
