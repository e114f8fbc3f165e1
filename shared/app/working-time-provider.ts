import { createHash } from "node:crypto";
import {
  type Announcement,
  CivilCalendar,
  DEFAULT_OFFICE_HOURS,
  type OfficeHours,
  WorkingTime,
} from "../calendar/index.ts";
import { canonicalJson } from "../canonical-json.ts";
import type { Clock } from "./clock.ts";
import type { CalendarRepository } from "./ports.ts";

export interface CurrentCalendar {
  /** A digest of the stored announcements: equal announcements, equal version. */
  readonly version: string;
  readonly workingTime: WorkingTime;
}

export interface WorkingTimeProviderOptions {
  readonly officeHours?: OfficeHours;
  /**
   * How long the stored announcements read are trusted before reading them again (default 60 s).
   * A calendar change also sends a `reevaluate` command per open dossier naming the new version,
   * which forces a fresh read, so a stale minute never leaves a dossier planned on the old calendar.
   */
  readonly maxAgeMs?: number;
}

/**
 * Every handler's WorkingTime: the built-in announcements plus those stored through
 * `PUT /calendar/{year}`. One provider per container (the composition root's); a WorkingTime is
 * built once per announcements' version and kept (a calendar costs tens of milliseconds to build).
 */
export class WorkingTimeProvider {
  readonly #repository: CalendarRepository<Announcement>;
  readonly #clock: Clock;
  readonly #hours: OfficeHours;
  readonly #maxAgeMs: number;
  readonly #byVersion = new Map<string, WorkingTime>();
  #current: { calendar: CurrentCalendar; readAt: number } | undefined;

  constructor(
    repository: CalendarRepository<Announcement>,
    clock: Clock,
    options: WorkingTimeProviderOptions = {},
  ) {
    this.#repository = repository;
    this.#clock = clock;
    this.#hours = options.officeHours ?? DEFAULT_OFFICE_HOURS;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  /**
   * The calendar now. `version`: the caller knows of this version (a reevaluate command); read
   * again unless it is the one held. `fresh`: read again whatever is held.
   */
  async current(
    options: { readonly version?: string; readonly fresh?: boolean } = {},
  ): Promise<CurrentCalendar> {
    const held = this.#current;
    const now = this.#clock.now();
    if (
      held !== undefined &&
      !options.fresh &&
      (options.version === undefined
        ? now - held.readAt < this.#maxAgeMs
        : options.version === held.calendar.version)
    ) {
      return held.calendar;
    }
    const announcements = [...(await this.#repository.list())].sort((a, b) => a.year - b.year);
    const version = announcementsVersion(announcements);
    let workingTime = this.#byVersion.get(version);
    if (workingTime === undefined) {
      const calendar =
        announcements.length === 0 ? CivilCalendar.default() : new CivilCalendar({ announcements });
      workingTime = new WorkingTime(calendar, this.#hours);
      this.#byVersion.set(version, workingTime);
    }
    const calendar = { version, workingTime };
    this.#current = { calendar, readAt: now };
    return calendar;
  }

  /** Forget what was read: the next `current()` reads the stored announcements again. */
  invalidate(): void {
    this.#current = undefined;
  }
}

export function announcementsVersion(announcements: readonly Announcement[]): string {
  return createHash("sha256").update(canonicalJson(announcements)).digest("hex").slice(0, 32);
}
