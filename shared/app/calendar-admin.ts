import { ANNOUNCEMENTS, type Announcement, parseAnnouncementFile } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";
import { type Actor, requireGroup } from "./actor.ts";
import type { DirectoryRepository } from "./directory.ts";
import { OPEN_STATUSES } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { reevaluateMessage } from "./messages.ts";
import type { CalendarRepository, DossierQuery } from "./ports.ts";
import type { MessageQueue, QueueMessage } from "./queue.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface CalendarAdminPorts {
  readonly calendar: CalendarRepository<Announcement>;
  readonly workingTime: WorkingTimeProvider;
  readonly directories: DirectoryRepository;
  readonly dossierQuery: DossierQuery;
  readonly eventsQueue: MessageQueue;
  readonly logger: AppLogger;
}

export interface CalendarYearView {
  readonly year: number;
  /** "stored": announced through the API; "built-in": shipped with dunghan; "statutory": not announced. */
  readonly source: "stored" | "built-in" | "statutory";
  readonly announcement: Announcement | null;
}

export interface CalendarUpdate {
  readonly year: number;
  readonly calendarVersion: string;
  /** Open dossiers queued for re-evaluation on the new calendar. */
  readonly reevaluating: number;
}

/**
 * A year's days-off announcement as data (STYLE.md §4): validated with the calendar module's
 * schema, stored whole, then every open dossier is queued for re-evaluation on the new calendar —
 * one `reevaluate` command per dossier on the events FIFO queue, grouped by dossier code, so it
 * runs in order with the dossier's events.
 */
export class CalendarAdmin {
  readonly #ports: CalendarAdminPorts;

  constructor(ports: CalendarAdminPorts) {
    this.#ports = ports;
  }

  async get(actor: Actor, year: number): Promise<CalendarYearView> {
    requireGroup(actor, "admin");
    const stored = await this.#ports.calendar.get(year);
    if (stored !== undefined) return { year, source: "stored", announcement: stored };
    const builtIn = ANNOUNCEMENTS.find((announcement) => announcement.year === year);
    return builtIn === undefined
      ? { year, source: "statutory", announcement: null }
      : { year, source: "built-in", announcement: builtIn };
  }

  async put(actor: Actor, year: number, body: unknown): Promise<CalendarUpdate> {
    requireGroup(actor, "admin");
    if (Array.isArray(body)) throw new InvalidInputError("send one year's announcement, not a list");
    const [announcement] = parseAnnouncementFile(JSON.stringify(body ?? null), `announcement ${year}`);
    if (announcement === undefined || announcement.year !== year) {
      throw new InvalidInputError(`the announcement is for ${announcement?.year}, the path names ${year}`, {
        year,
      });
    }
    await this.#ports.calendar.put(announcement);
    this.#ports.workingTime.invalidate();
    const { version } = await this.#ports.workingTime.current({ fresh: true });
    const reevaluating = await this.#queueReevaluation(version);
    this.#ports.logger.info("calendar year stored", { year, calendarVersion: version, reevaluating });
    return { year, calendarVersion: version, reevaluating };
  }

  async #queueReevaluation(version: string): Promise<number> {
    const codes = new Set<string>();
    for (const { agencyId } of await this.#ports.directories.list()) {
      for (const status of OPEN_STATUSES) {
        let cursor: string | undefined;
        do {
          const page = await this.#ports.dossierQuery.byAgencyStatus(agencyId, status, {
            limit: 500,
            ...(cursor === undefined ? {} : { cursor }),
          });
          for (const row of page.items) codes.add(row.dossierCode);
          cursor = page.cursor;
        } while (cursor !== undefined);
      }
    }
    const messages: QueueMessage[] = [...codes].map((code) => reevaluateMessage(code, version));
    for (let i = 0; i < messages.length; i += 100)
      await this.#ports.eventsQueue.send(messages.slice(i, i + 100));
    return messages.length;
  }
}
