/**
 * The data folder remembers how far its clock has run (`clock.json`): the latest clock instant the
 * stored dossiers, alerts, mail and queues have seen. A start whose clock is earlier than that would
 * run time backwards over them (alerts already sent, deadlines already passed, mail from the future),
 * so the start says so instead of going ahead silently.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatInstant, parseInstant } from "../../shared/calendar/local-date.ts";

export const DATA_CLOCK_FILE = "clock.json";

interface DataClockJson {
  /** The latest clock instant this data folder has seen, ISO with +07:00. */
  readonly latest: string;
}

/** The latest clock instant recorded in `dataDir`, or undefined for a new (or pre-clock.json) folder. */
export async function readDataClock(dataDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, DATA_CLOCK_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const { latest } = JSON.parse(text) as DataClockJson;
    return parseInstant(latest, { offset: "required" });
  } catch {
    return undefined; // a damaged file says nothing; it is rewritten on the next record
  }
}

/**
 * Records `now` unless the folder has seen a later instant already (a run started in the past does
 * not make the data younger). Written to a temporary file and renamed: a crash leaves the old one.
 */
export async function recordDataClock(dataDir: string, now: number): Promise<void> {
  const latest = await readDataClock(dataDir);
  if (latest !== undefined && latest >= now) return;
  const file = join(dataDir, DATA_CLOCK_FILE);
  const body: DataClockJson = { latest: formatInstant(now) };
  await writeFile(`${file}.tmp`, `${JSON.stringify(body)}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * The start-up warning when the clock starts before what the data folder has seen, naming both
 * instants and the two ways out; undefined when the clock is not behind.
 */
export function clockBehindDataWarning(input: {
  readonly start: number;
  readonly latest: number | undefined;
  readonly dataDir: string;
  /** Whether the start instant was given with --clock (else it is the real time). */
  readonly clockGiven: boolean;
}): string | undefined {
  const { start, latest, dataDir } = input;
  if (latest === undefined || start >= latest) return undefined;
  const startIso = formatInstant(start);
  const latestIso = formatInstant(latest);
  /** The first whole minute at or after the data's clock: what to type. */
  const goOnIso = formatInstant(Math.ceil(latest / 60_000) * 60_000);
  const what = input.clockGiven ? `--clock ${startIso}` : `the clock (real time, ${startIso})`;
  return [
    `WARNING: ${what} is earlier than the data in ${dataDir}, whose clock has reached ${latestIso}.`,
    "  Time would run backwards over the stored dossiers, alerts and mail (sent alerts are not sent again,",
    "  overdue dossiers stay overdue, the demo codes are those of the earlier run). Either start over at",
    `  this clock with --fresh (deletes ${dataDir}), or go on from the data with --clock ${goOnIso} or later.`,
  ].join("\n");
}
