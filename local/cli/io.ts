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
  return new CivilCalendar({
    announcements: parseAnnouncementFile(await readText(path, "announcements"), path),
  });
}

/** A file's text, or an InvalidInputError naming the file and why (exit 2 in the CLI). */
export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidInputError(
      `cannot read ${what} file "${path}": ${(error as NodeJS.ErrnoException).code}`,
    );
  }
}

/** A file's text, or standard input when the path is "-". */
export function readInput(
  path: string,
  what: string,
  io: { readStdin: () => Promise<string> },
): Promise<string> {
  return path === "-" ? io.readStdin() : readText(path, what);
}

/** A file's JSON, or an InvalidInputError naming the file. */
export async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${what} file "${path}" is not valid JSON`);
  }
}
