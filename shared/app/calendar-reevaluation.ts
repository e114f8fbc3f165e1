import type { DirectoryRepository } from "./directory.ts";
import { OPEN_STATUSES } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import {
  type CalendarCommand,
  REEVALUATE_BATCH_SIZE,
  reevaluateBatchMessage,
  reevaluateMessage,
} from "./messages.ts";
import type { DossierQuery } from "./ports.ts";
import type { MessageQueue, QueueMessage } from "./queue.ts";

export interface CalendarReevaluationPorts {
  readonly directories: DirectoryRepository;
  readonly dossierQuery: DossierQuery;
  readonly eventsQueue: MessageQueue;
  readonly logger: AppLogger;
}

/** Index pages read while listing the open dossiers. */
const PAGE = 500;
/** SQS SendMessageBatch takes 10 entries; the queue adapter splits, this bounds one call's work. */
const SEND_CHUNK = 100;

/**
 * After a calendar change, every open dossier is re-read on the new calendar, off the admin's
 * request (an HTTP API integration has 30 s; 100k open dossiers is 10k SQS batch calls), in three
 * hops of the events queue handled by the apply-events worker:
 *
 *   `reevaluate-all`   → lists every open dossier (by agency and status, one index Query per page)
 *                        and only THEN queues `reevaluate-batch` commands of 500 codes: the list
 *                        is a snapshot taken before any dossier moves in the index it pages
 *                        through (a re-evaluated due instant changes the index's sort key, so
 *                        paging while re-evaluating could skip a dossier);
 *   `reevaluate-batch` → queues one `reevaluate` per code, grouped by dossier code so it runs in
 *                        order with the dossier's own events;
 *   `reevaluate`       → the worker's re-evaluation of one dossier (apply-events.ts).
 *
 * Every message carries a deduplication id derived from the calendar version, so a retried hop
 * sends nothing twice within SQS's five-minute window, and a later duplicate is an "unchanged"
 * re-evaluation. Three hops stay far below Lambda's recursive-loop detection (16).
 */
export class CalendarReevaluation {
  readonly #ports: CalendarReevaluationPorts;

  constructor(ports: CalendarReevaluationPorts) {
    this.#ports = ports;
  }

  async handle(command: CalendarCommand): Promise<number> {
    return command.command === "reevaluate-all"
      ? this.#fanOut(command.calendarVersion)
      : this.#queue(command.dossierCodes.map((code) => reevaluateMessage(code, command.calendarVersion)));
  }

  /** Lists the open dossiers, then queues them in batches; returns how many dossiers. */
  async #fanOut(calendarVersion: string): Promise<number> {
    const codes = await this.openDossierCodes();
    const batches: QueueMessage[] = [];
    for (let i = 0; i < codes.length; i += REEVALUATE_BATCH_SIZE) {
      batches.push(
        reevaluateBatchMessage(calendarVersion, batches.length, codes.slice(i, i + REEVALUATE_BATCH_SIZE)),
      );
    }
    await this.#queue(batches);
    this.#ports.logger.info("calendar re-evaluation queued", {
      calendarVersion,
      dossiers: codes.length,
      batches: batches.length,
    });
    return codes.length;
  }

  /** Every open dossier's code, each once, in a stable order. */
  async openDossierCodes(): Promise<string[]> {
    const codes = new Set<string>();
    for (const { agencyId } of await this.#ports.directories.list()) {
      for (const status of OPEN_STATUSES) {
        let cursor: string | undefined;
        do {
          const page = await this.#ports.dossierQuery.byAgencyStatus(agencyId, status, {
            limit: PAGE,
            ...(cursor === undefined ? {} : { cursor }),
          });
          for (const row of page.items) codes.add(row.dossierCode);
          cursor = page.cursor;
        } while (cursor !== undefined);
      }
    }
    return [...codes].sort();
  }

  async #queue(messages: readonly QueueMessage[]): Promise<number> {
    for (let i = 0; i < messages.length; i += SEND_CHUNK)
      await this.#ports.eventsQueue.send(messages.slice(i, i + SEND_CHUNK));
    return messages.length;
  }
}
