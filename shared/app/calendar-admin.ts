import { ANNOUNCEMENTS, type Announcement, parseAnnouncementFile } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";
import { type Actor, requireGroup } from "./actor.ts";
import type { AppLogger } from "./logger.ts";
import { reevaluateAllMessage } from "./messages.ts";
import type { CalendarRepository } from "./ports.ts";
import type { MessageQueue } from "./queue.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface CalendarAdminPorts {
  readonly calendar: CalendarRepository<Announcement>;
  readonly workingTime: WorkingTimeProvider;
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
  /**
   * Every open dossier is re-evaluated on the new calendar, asynchronously: the events queue
   * lists them and re-reads each (calendar-reevaluation.ts); the log says how many.
   */
  readonly reevaluation: "queued";
}

/**
 * A year's days-off announcement as data (docs/calendar.md): validated with the calendar module's
 * schema, stored whole, then one `reevaluate-all` command goes on the events queue: the worker
 * re-evaluates every open dossier on the new calendar, each in order with its own events
 * (calendar-reevaluation.ts). The request itself does a constant amount of work.
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
    await this.#ports.eventsQueue.send([reevaluateAllMessage(version)]);
    this.#ports.logger.info("calendar year stored", { year, calendarVersion: version });
    return { year, calendarVersion: version, reevaluation: "queued" };
  }
}
