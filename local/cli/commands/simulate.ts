import {
  type AlertPolicyBook,
  DEFAULT_POLICY_BOOK,
  type Directory,
  EMPTY_DIRECTORY,
  parseDirectory,
  parsePolicyFile,
  type SentMessage,
  simulateAlerts,
} from "../../../shared/alerts/index.ts";
import { formatInstant, parseInstant, WorkingTime } from "../../../shared/calendar/index.ts";
import {
  DEFAULT_DOSSIER_POLICY,
  type DossierEvent,
  type DossierPolicy,
  type DossierState,
  decide,
  describeDossier,
  foldAsOf,
  groupByDossier,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";
import { DomainError, InvalidInputError } from "../../../shared/errors.ts";
import { parseCatalogue } from "../../../shared/sync/index.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { loadCalendar, readInput, readJson } from "../io.ts";
import { eventsFromSyncPayloads } from "./simulate-dvcqg.ts";

const HELP = `Usage: dunghan simulate --events FILE --until INSTANT [--json] [--policy FILE] [--directory FILE]
       dunghan simulate --events FILE --now INSTANT [--json]
       dunghan simulate --format dvcqg --events PAYLOADS --catalog PROCEDURES (--now | --until) INSTANT [--json]

Folds dossier events (JSON lines, docs/dossier-events.md) and either steps the clock through
every alert moment up to --until, printing the alerts and daily digests that would be sent in
time order, or prints the state of each dossier at --now.

Options:
  --events FILE          dossier events, one JSON object a line ("-" = stdin); any order
  --until INSTANT        simulate alerts up to this instant (inclusive), e.g. 2026-12-31T00:00:00+07:00
  --now INSTANT          print each dossier's state at this instant instead (the input of
                         "dunghan letter --dossier")
  --json                 JSON output: alerts as {"at","dossier","rule","recipientRole","recipientId"?,
                         "channel","dedupeKey"} (digests: "dossier": null and "dossiers": [...]);
                         states as an array of dossier states
  --policy FILE          alert policy overrides: {"defaults"?, "agencies"?, "dossier"?}
  --directory FILE       agencies, units and their leaders' ids: {"agencies": {...}}
  --announcements FILE   add or override years with a deployment's announcement file
  --format FORMAT        events (default): dunghan's events as JSON lines; dvcqg: a JSON array of
                         national sync request bodies in arrival order (docs/dvcqg-mapping.md)
  --catalog FILE         with --format dvcqg: the procedure catalogue, a JSON array of procedures
                         in the "received" event's procedure shape (code = MaTTHC)
  -h, --help             this help

An invalid event is reported with its line number; with --format dvcqg, a record that cannot be
mapped is reported with its payload and record number (1-based) and the rule (exit code 2,
nothing on stdout).`;

export const simulateCommand: Command = {
  name: "simulate",
  summary: "replay dossier events: alerts that would be sent, or dossier states at an instant",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        events: { type: "string" },
        until: { type: "string" },
        now: { type: "string" },
        json: { type: "boolean" },
        policy: { type: "string" },
        directory: { type: "string" },
        announcements: { type: "string" },
        format: { type: "string" },
        catalog: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const eventsPath = requireOption(values.events, "events");
      if ((values.until === undefined) === (values.now === undefined)) {
        throw new InvalidInputError("give exactly one of --until and --now");
      }
      const format = values.format ?? "events";
      if (format !== "events" && format !== "dvcqg") {
        throw new InvalidInputError(`--format: expected events or dvcqg (got "${format}")`);
      }
      if (format !== "dvcqg" && values.catalog !== undefined) {
        throw new InvalidInputError("--catalog goes with --format dvcqg");
      }
      const instant = parseInstant((values.until ?? values.now)!);
      const text = await readInput(eventsPath, "events", io);
      const lineEvents = format === "events" ? parseEventLines(text) : undefined;
      const { book, dossier: dossierPolicy } = values.policy
        ? parsePolicyFile(await readJson(values.policy, "policy"))
        : { book: DEFAULT_POLICY_BOOK, dossier: DEFAULT_DOSSIER_POLICY };
      const directory = values.directory
        ? parseDirectory(await readJson(values.directory, "directory"))
        : EMPTY_DIRECTORY;
      const working = new WorkingTime(await loadCalendar(values.announcements));
      const events =
        lineEvents ??
        eventsFromSyncPayloads(
          parseJsonText(text, "events"),
          parseCatalogue(await readJson(requireOption(values.catalog, "catalog"), "catalog")),
          working,
        ).events;

      if (values.now !== undefined) {
        const states = statesAt(events, instant, working, dossierPolicy);
        io.stdout(values.json ? `${JSON.stringify(states, null, 2)}\n` : renderStates(states));
        return 0;
      }
      const messages = simulate(events, instant, book, directory, working, dossierPolicy);
      io.stdout(
        values.json ? `${JSON.stringify(messages.map(messageJson), null, 2)}\n` : renderMessages(messages),
      );
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${what}: not valid JSON`);
  }
}

/** Parses and admits each line through the ingest decision, so a bad line is named by number. */
export function parseEventLines(text: string): DossierEvent[] {
  const accepted: DossierEvent[] = [];
  const byDossier = new Map<string, DossierEvent[]>();
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InvalidInputError(`${where}: not valid JSON`);
    }
    try {
      const event = parseDossierEvent(json);
      const existing = byDossier.get(event.dossierCode) ?? [];
      if (decide(existing, event).outcome === "accepted") {
        existing.push(event);
        byDossier.set(event.dossierCode, existing);
        accepted.push(event);
        if (!firstLine.has(event.dossierCode)) firstLine.set(event.dossierCode, index + 1);
      }
    } catch (error) {
      if (error instanceof DomainError) {
        const Kind = error.constructor as new (
          message: string,
          details?: Record<string, unknown>,
        ) => DomainError;
        throw new Kind(`${where}: ${error.message}`, error.details);
      }
      throw error;
    }
  });
  for (const [code, events] of byDossier) {
    if (!events.some((event) => event.type === "received")) {
      throw new InvalidInputError(`line ${firstLine.get(code)}: dossier ${code} has no "received" event`);
    }
  }
  return accepted;
}

function statesAt(
  events: DossierEvent[],
  now: number,
  working: WorkingTime,
  policy: DossierPolicy,
): DossierState[] {
  const states: DossierState[] = [];
  for (const group of groupByDossier(events).values()) {
    const dossier = foldAsOf(group, now, working);
    if (dossier) states.push(describeDossier(dossier, now, working, policy));
  }
  return states;
}

function simulate(
  events: DossierEvent[],
  until: number,
  book: AlertPolicyBook,
  directory: Directory,
  working: WorkingTime,
  dossierPolicy: DossierPolicy,
): SentMessage[] {
  return simulateAlerts(events, until, { book, context: { workingTime: working, directory }, dossierPolicy });
}

function messageJson(message: SentMessage) {
  return {
    at: formatInstant(message.at),
    dossier: message.dossier,
    ...(message.dossiers ? { dossiers: message.dossiers } : {}),
    rule: message.rule,
    recipientRole: message.recipientRole,
    ...(message.recipientId === undefined ? {} : { recipientId: message.recipientId }),
    channel: message.channel,
    dedupeKey: message.dedupeKey,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

function renderMessages(messages: SentMessage[]): string {
  if (messages.length === 0) return "No alerts.\n";
  const rows = [["at", "dossier", "rule", "to", "channel"]];
  for (const message of messages) {
    const to = message.recipientId
      ? `${message.recipientRole} ${message.recipientId}`
      : message.recipientRole;
    const dossier = message.dossier ?? `${message.dossiers?.length ?? 0} hồ sơ quá hạn`;
    rows.push([
      formatInstant(message.at).slice(0, 16).replace("T", " "),
      dossier,
      message.rule,
      to,
      message.channel,
    ]);
  }
  return table(rows);
}

function renderStates(states: DossierState[]): string {
  if (states.length === 0) return "No dossiers received yet.\n";
  const short = (text: string | null) => (text === null ? "—" : text.slice(0, 16).replace("T", " "));
  const rows = [["dossier", "phase", "status", "received", "appointment", "due", "delay"]];
  for (const state of states) {
    rows.push([
      state.dossierCode,
      state.phase,
      state.status ?? "—",
      short(state.receivedAt),
      short(state.currentAppointment),
      short(state.dueAt),
      state.delay ? (state.delay.assignment.unit?.name ?? state.delay.assignment.agency.name) : "—",
    ]);
  }
  return table(rows);
}
