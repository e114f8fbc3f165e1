import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { FileBlobStore } from "../../../shared/adapters/s3/file-blob-store.ts";
import { BlobCatalogueStore } from "../../../shared/app/catalogue-admin.ts";
import type { AgendaEntryRef } from "../../../shared/app/ports.ts";
import { formatInstant, parseInstant, WorkingTime } from "../../../shared/calendar/index.ts";
import { type DossierEvent, dossierEventToJson } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { parseCsv } from "../../../shared/sync/catalogue-import.ts";
import { type ProcedureCatalogue, parseCatalogue } from "../../../shared/sync/index.ts";
import { type Command, parseOptions, reportError } from "../command.ts";
import { loadCalendar, readJson } from "../io.ts";
import { readXlsxRows } from "../xlsx.ts";
import { syncRecordsFromDossierList } from "./import-dossier-list.ts";
import { eventsFromSyncPayloads } from "./simulate-dvcqg.ts";

const HELP = `Usage: dunghan import FILE [--catalog FILE] [--agency ID] [--data DIR] [--now INSTANT] [--dry-run]

Loads past dossiers — e.g. the last year — so reports and the dashboard are right from day one,
without sending any past alert. FILE is either
  - .json: national sync payloads, a JSON array of request bodies in arrival order (as for
    "dunghan simulate --format dvcqg"), or
  - .csv / .xlsx: the dossier list a one-stop system exports (columns: docs/reports.md, "Backfill").
Each dossier is mapped as the sync route maps it, then applied by the same worker as live events;
every alert whose time has come by the import (receipts, warnings, escalations of the past) is
filed as history, never sent. Alerts still ahead (an open dossier's coming warnings) stay planned.

Options:
  --catalog FILE   the procedure catalogue (JSON, as "dunghan catalog import" writes it); default:
                   the one stored in the data folder
  --agency ID      the agency (madonvi) of rows of a dossier list without an "Đơn vị xử lý"
  --data DIR       the local stack's data folder (default .dunghan); stop "npm start" first
  --now INSTANT    the import instant (default: now); alerts due by then are history
  --dry-run        map and count only: prints {"dossiers", "events", "flags"} and writes nothing
  -h, --help       this help`;

/** As many events as one `POST /events` takes: the ingest path's batch. */
const MAX_EVENTS_PER_REQUEST = 10;

/** Where a backfill applies its events: the worker behind the events queue, and the agenda it plans. */
export interface BackfillTarget {
  /** Applies the events through the events queue and waits until the worker has applied them all. */
  apply(events: readonly DossierEvent[]): Promise<void>;
  readonly agenda: {
    due(
      now: string,
      limit: number,
    ): Promise<{ readonly entries: readonly { readonly ref: AgendaEntryRef }[]; readonly hasMore: boolean }>;
    markDone(refs: readonly AgendaEntryRef[], doneAt: string): Promise<void>;
  };
}

export interface BackfillResult {
  readonly dossiers: number;
  readonly events: number;
  /** Alerts due by the import instant, filed as done without being sent. */
  readonly historyAlerts: number;
}

/**
 * Applies past events, then files every alert they planned up to `now` as done — the sweep only
 * sends due entries not done, so nothing of the past goes out. Run it with the sweep stopped.
 */
export async function backfill(
  target: BackfillTarget,
  events: readonly DossierEvent[],
  now: number,
): Promise<BackfillResult> {
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) {
    await target.apply(events.slice(i, i + MAX_EVENTS_PER_REQUEST));
  }
  const nowIso = formatInstant(now);
  let historyAlerts = 0;
  for (;;) {
    const { entries, hasMore } = await target.agenda.due(nowIso, 500);
    if (entries.length > 0) {
      await target.agenda.markDone(
        entries.map((entry) => entry.ref),
        nowIso,
      );
      historyAlerts += entries.length;
    }
    if (!hasMore || entries.length === 0) break;
  }
  return {
    dossiers: new Set(events.map((event) => event.dossierCode)).size,
    events: events.length,
    historyAlerts,
  };
}

/** The sync payloads a file holds: the JSON array itself, or a dossier list as one "create" body. */
export async function payloadsOfFile(path: string, agency: string | undefined): Promise<unknown[]> {
  const extension = extname(path).toLowerCase();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new InvalidInputError(`cannot read "${path}": ${(error as NodeJS.ErrnoException).code}`);
  }
  if (extension === ".json") {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new InvalidInputError(`${path} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(json))
      throw new InvalidInputError(`${path}: expected a JSON array of sync request bodies`);
    return json;
  }
  let rows: unknown[][];
  if (extension === ".csv" || extension === ".txt") rows = parseCsv(new TextDecoder().decode(bytes));
  else if (extension === ".xlsx") rows = await readXlsxRows(bytes);
  else throw new InvalidInputError(`${path}: expected a .json, .csv or .xlsx file`);
  const records = syncRecordsFromDossierList(rows).map((record) =>
    record.DonViXuLy || agency === undefined ? record : { ...record, DonViXuLy: agency },
  );
  return [{ endpoint: "create", body: records }];
}

/** The events of the file, in order, as the sync route would map them. */
export async function eventsOfFile(
  path: string,
  catalogue: ProcedureCatalogue,
  workingTime: WorkingTime,
  agency?: string,
) {
  return eventsFromSyncPayloads(await payloadsOfFile(path, agency), catalogue, workingTime);
}

export const importCommand: Command = {
  name: "import",
  summary: "load past dossiers (sync payloads or a dossier list) without sending past alerts",
  help: HELP,
  async run(argv, io) {
    try {
      const { values, positionals } = parseOptions(argv, {
        catalog: { type: "string" },
        agency: { type: "string" },
        data: { type: "string" },
        now: { type: "string" },
        "dry-run": { type: "boolean" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const [file, ...extra] = positionals;
      if (file === undefined) throw new InvalidInputError("give the file to import");
      if (extra.length > 0)
        throw new InvalidInputError(`one file at a time (also given: ${extra.join(" ")})`);
      const dataDir = values.data ?? ".dunghan";
      const now = values.now === undefined ? Date.now() : parseInstant(values.now);
      const catalogue =
        values.catalog !== undefined
          ? parseCatalogue(await readJson(values.catalog, "catalog"))
          : await new BlobCatalogueStore(new FileBlobStore(join(dataDir, "letters")), {
              now: () => now,
            }).current();
      const workingTime = new WorkingTime(await loadCalendar(undefined));
      const { events, flags } = await eventsOfFile(file, catalogue, workingTime, values.agency);
      const future = events.find((event) => event.occurredAt > now);
      if (future !== undefined) {
        throw new InvalidInputError(
          `dossier ${future.dossierCode} has an event at ${formatInstant(future.occurredAt)}, after the import instant: only past dossiers are imported`,
        );
      }
      const dossiers = new Set(events.map((event) => event.dossierCode)).size;
      if (values["dry-run"]) {
        io.stdout(`${JSON.stringify({ dossiers, events: events.length, flags: flags.length })}\n`);
        return 0;
      }
      // The local stack is started here, on its own data folder, with no timer: nothing is swept
      // while the past is loaded.
      const { startLocalStack } = await import("../../runtime/stack.ts");
      const stack = await startLocalStack({
        dataDir,
        port: 0,
        demo: false,
        timers: false,
        clock: formatInstant(now),
        log: (line) => io.stderr(`${line}\n`),
      });
      try {
        const result = await backfill(
          {
            apply: async (batch) => {
              for (const event of batch) {
                stack.events.send({
                  body: JSON.stringify(dossierEventToJson(event)),
                  messageGroupId: event.dossierCode,
                  messageDeduplicationId: event.id,
                });
              }
              await stack.settle();
            },
            agenda: stack.tables.agenda,
          },
          events,
          now,
        );
        const dead = stack.eventsDeadLetters.stats().depth;
        io.stdout(`${JSON.stringify({ ...result, flags: flags.length, deadLetters: dead })}\n`);
        return dead > 0 ? 1 : 0;
      } finally {
        await stack.stop();
      }
    } catch (error) {
      return reportError(error, io);
    }
  },
};
