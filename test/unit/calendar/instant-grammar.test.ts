import { describe, expect, it } from "vitest";
import { parseInstant as parseClockStart } from "../../../local/runtime/clock.ts";
import { parseInstant } from "../../../shared/calendar/index.ts";
import {
  dossierEventToJson,
  parseDossierEvent,
  parseStoredDossierEvent,
} from "../../../shared/dossier/index.ts";
import { toVietnamTime } from "../../../shared/letters/render/index.ts";
import { aReceivedEvent } from "../dossier/builders.ts";

/**
 * One instant grammar (shared/calendar/local-date.ts), read through every entry point that used to
 * have its own: what differs is an option (offset required, bare dates), never the grammar.
 */
const received = dossierEventToJson(aReceivedEvent()) as Record<string, unknown>;

/** Each entry point, returning the instant it read or undefined when it refused the text. */
const ENTRY_POINTS = {
  /** CLI options, API queries, the app layer: a local time is Vietnam time. */
  cli: (text: string) => parseInstant(text),
  /** POST /events, the events queue: the offset is required. */
  ingest: (text: string) => parseDossierEvent({ ...received, occurredAt: text }).occurredAt,
  /** Events read back from the store: the same grammar and option as ingest. */
  stored: (text: string) => parseStoredDossierEvent({ ...received, occurredAt: text }).occurredAt,
  /** Letters: also a bare date, read as its local midnight. */
  letters: (text: string) => toVietnamTime(text).millis,
  /** The local runtime's clock start: the offset is required. */
  clockStart: (text: string) => parseClockStart(text),
} as const;
type EntryPoint = keyof typeof ENTRY_POINTS;
const ALL = Object.keys(ENTRY_POINTS) as EntryPoint[];

function read(entry: EntryPoint, text: string): number | undefined {
  try {
    return ENTRY_POINTS[entry](text);
  } catch {
    return undefined;
  }
}

const nine = Date.UTC(2026, 10, 20, 2, 0, 0); // 2026-11-20 09:00 at +07:00

/** [text, the instant, the entry points that accept it]. */
const TABLE: readonly [string, number | undefined, readonly EntryPoint[]][] = [
  ["2026-11-20T09:00:00+07:00", nine, ALL],
  ["2026-11-20T02:00:00Z", nine, ALL],
  ["2026-11-20T09:00+07:00", nine, ALL],
  ["2026-11-20T09:00:00+0700", nine, ALL],
  ["2026-11-20T09:00:00+07", nine, ALL],
  ["2026-11-20T09:00:00.1234+0700", nine + 123, ALL],
  ["2026-11-20T09:00:00,5+07:00", nine + 500, ALL],
  ["2026-11-20T09:00:00.123456789+07:00", nine + 123, ALL],
  ["2026-11-19T21:30:00-04:30", nine, ALL],
  ["2026-11-20T16:00:00+14:00", nine, ALL],
  ["2026-11-20T09:00:00", nine, ["cli", "letters"]],
  ["2026-11-20T09:00", nine, ["cli", "letters"]],
  ["2026-11-20", Date.UTC(2026, 10, 19, 17), ["letters"]],
  ["1970-01-01T09:00:00", undefined, []], // +07:00 was not the law then: the offset is needed
  ["2026-11-20T09:00:00.1234567890+07:00", undefined, []], // finer than nanoseconds
  ["2026-11-20T09:00:00+15:00", undefined, []],
  ["2026-11-20T09:00:00+07:60", undefined, []],
  ["2026-02-30T09:00:00+07:00", undefined, []],
  ["2026-11-20T24:00:00+07:00", undefined, []],
  ["2026-11-20T09:60:00+07:00", undefined, []],
  ["2026-11-20 09:00:00+07:00", undefined, []],
  ["2026-11-20T9:00:00+07:00", undefined, []],
  ["20/11/2026 09:00", undefined, []],
  ["2026-02-30", undefined, []],
  ["", undefined, []],
];

describe("the one instant grammar, through every entry point", () => {
  for (const [text, instant, accepting] of TABLE) {
    it.each(ALL)(`${JSON.stringify(text)} through %s`, (entry) => {
      expect(read(entry, text)).toBe(accepting.includes(entry) ? instant : undefined);
    });
  }
});
