import type { AlertPolicyBook } from "../shared/alerts/index.ts";
import {
  ApologyDrafts,
  type ApologyDraftsOptions,
  type AppApologyDraftRepository,
} from "../shared/app/apology-drafts.ts";
import { ApplyEvents } from "../shared/app/apply-events.ts";
import type { BlobStore } from "../shared/app/blob-store.ts";
import { CalendarAdmin } from "../shared/app/calendar-admin.ts";
import { CalendarReevaluation } from "../shared/app/calendar-reevaluation.ts";
import type { CitizenChannels } from "../shared/app/citizen-channels.ts";
import { type Clock, realSleep, type Sleep } from "../shared/app/clock.ts";
import { DeliverNotices } from "../shared/app/deliver-notices.ts";
import type { DirectoryRepository } from "../shared/app/directory.ts";
import { DirectoryAdmin } from "../shared/app/directory-admin.ts";
import { DossierLookup } from "../shared/app/dossier-lookup.ts";
import type {
  AppAgendaRepository,
  AppAlertLog,
  AppDossierRepository,
} from "../shared/app/dossier-records.ts";
import { IngestEvents } from "../shared/app/ingest-events.ts";
import type { AppLogger } from "../shared/app/logger.ts";
import type { EmailSender, SmsSender } from "../shared/app/messaging-ports.ts";
import { type Metrics, noMetrics } from "../shared/app/metrics.ts";
import type { CalendarRepository, DossierQuery } from "../shared/app/ports.ts";
import type { MessageQueue } from "../shared/app/queue.ts";
import { Reports } from "../shared/app/reports.ts";
import { SendDigests } from "../shared/app/send-digests.ts";
import { SweepAgenda, type SweepOptions } from "../shared/app/sweep-agenda.ts";
import { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import type { Announcement, OfficeHours } from "../shared/calendar/index.ts";
import type { DossierPolicy } from "../shared/dossier/index.ts";
import type { CounterStore, GradeScale } from "../shared/reports/index.ts";

/**
 * How each use case is built from ports (docs/architecture.md), one builder per use case. A Lambda entry
 * calls only the builders of its own use cases, so its bundle holds only the code they reach
 * (package.json's `"sideEffects": false` lets esbuild drop the rest: the ≤ 300 KB per
 * function); `createApp` (composition-root.ts) offers them all, lazily, to the local runtime and
 * the tests — the same builders, so the wiring exists once.
 */

/** The table's repositories. */
export interface TablePorts {
  readonly dossiers: AppDossierRepository;
  readonly agenda: AppAgendaRepository;
  readonly alerts: AppAlertLog;
  readonly apologyDrafts: AppApologyDraftRepository;
  readonly calendar: CalendarRepository<Announcement>;
  readonly dossierQuery: DossierQuery;
  readonly directories: DirectoryRepository;
  readonly counters: CounterStore;
}

/** Every port a use case may need; a function supplies those its use cases use. */
export interface AppPorts extends Partial<TablePorts> {
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly metrics?: Metrics;
  readonly eventsQueue?: MessageQueue;
  readonly eventsDeadLetters?: MessageQueue;
  readonly notifyQueue?: MessageQueue;
  readonly apologyQueue?: MessageQueue;
  readonly sms?: SmsSender;
  readonly email?: EmailSender;
  /** Ordered citizen channels with Zalo ZNS (docs/zalo.md); absent: citizens get SMS and e-mail as planned. */
  readonly citizenChannels?: CitizenChannels;
  readonly blobs?: BlobStore;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export interface AppOptions {
  readonly book?: AlertPolicyBook;
  readonly dossierPolicy?: DossierPolicy;
  readonly officeHours?: OfficeHours;
  /** How long stored announcements are trusted (WorkingTimeProvider; default 60 s). */
  readonly calendarMaxAgeMs?: number;
  readonly emailFrom?: string;
  readonly smsSenderId?: string;
  readonly throttleAttempts?: number;
  readonly throttleBaseDelayMs?: number;
  readonly sweep?: SweepOptions;
  readonly apology?: ApologyDraftsOptions;
  /** Colour thresholds of the on-time rate (reports); default dunghan's placeholder scale. */
  readonly grades?: GradeScale;
}

/** Ports and options, with what use cases share: one working calendar per container. */
export interface Wiring {
  readonly ports: AppPorts;
  readonly options: AppOptions;
  /** The port, or an error naming the use case that needed it (a wiring defect). */
  need<K extends keyof AppPorts>(name: K, by: string): NonNullable<AppPorts[K]>;
  workingTime(): WorkingTimeProvider;
}

export function wire(ports: AppPorts, options: AppOptions = {}): Wiring {
  let workingTime: WorkingTimeProvider | undefined;
  const need = <K extends keyof AppPorts>(name: K, by: string): NonNullable<AppPorts[K]> => {
    const port = ports[name];
    if (port === undefined || port === null) throw new Error(`${by} needs the port "${String(name)}"`);
    return port as NonNullable<AppPorts[K]>;
  };
  return {
    ports,
    options,
    need,
    workingTime: () =>
      (workingTime ??= new WorkingTimeProvider(need("calendar", "the working calendar"), ports.clock, {
        officeHours: options.officeHours,
        maxAgeMs: options.calendarMaxAgeMs,
      })),
  };
}

const policyOf = (options: AppOptions) => ({ book: options.book, dossierPolicy: options.dossierPolicy });

export function buildIngest({ ports, need }: Wiring): IngestEvents {
  return new IngestEvents({ eventsQueue: need("eventsQueue", "ingest"), logger: ports.logger });
}

export function buildApplyEvents({ ports, options, need, workingTime }: Wiring): ApplyEvents {
  return new ApplyEvents(
    {
      dossiers: need("dossiers", "apply-events"),
      directories: need("directories", "apply-events"),
      workingTime: workingTime(),
      deadLetters: need("eventsDeadLetters", "apply-events"),
      counters: ports.counters,
      drafts: ports.apologyDrafts,
      clock: ports.clock,
      logger: ports.logger,
      reevaluation: new CalendarReevaluation({
        directories: need("directories", "apply-events"),
        dossierQuery: need("dossierQuery", "apply-events"),
        eventsQueue: need("eventsQueue", "apply-events"),
        logger: ports.logger,
      }),
    },
    policyOf(options),
  );
}

export function buildSweep({ ports, options, need }: Wiring): SweepAgenda {
  return new SweepAgenda(
    {
      agenda: need("agenda", "sweep"),
      alerts: need("alerts", "sweep"),
      notifyQueue: need("notifyQueue", "sweep"),
      apologyQueue: need("apologyQueue", "sweep"),
      clock: ports.clock,
      metrics: ports.metrics ?? noMetrics,
      logger: ports.logger,
    },
    options.sweep,
  );
}

export function buildDigests({ ports, options, need, workingTime }: Wiring): SendDigests {
  return new SendDigests(
    {
      dossierQuery: need("dossierQuery", "digest"),
      dossiers: need("dossiers", "digest"),
      directories: need("directories", "digest"),
      alerts: need("alerts", "digest"),
      notifyQueue: need("notifyQueue", "digest"),
      workingTime: workingTime(),
      clock: ports.clock,
      logger: ports.logger,
    },
    policyOf(options),
  );
}

export function buildNotify({ ports, options, need, workingTime }: Wiring): DeliverNotices {
  if (options.emailFrom === undefined) throw new Error("notify needs the option emailFrom");
  return new DeliverNotices(
    {
      alerts: need("alerts", "notify"),
      agenda: need("agenda", "notify"),
      dossiers: need("dossiers", "notify"),
      directories: need("directories", "notify"),
      sms: need("sms", "notify"),
      email: need("email", "notify"),
      workingTime: workingTime(),
      clock: ports.clock,
      logger: ports.logger,
      sleep: ports.sleep ?? realSleep,
      random: ports.random ?? Math.random,
      ...(ports.citizenChannels === undefined ? {} : { citizenChannels: ports.citizenChannels }),
    },
    {
      emailFrom: options.emailFrom,
      smsSenderId: options.smsSenderId,
      throttleAttempts: options.throttleAttempts,
      throttleBaseDelayMs: options.throttleBaseDelayMs,
      book: options.book,
    },
  );
}

export function buildApologies({ ports, options, need, workingTime }: Wiring): ApologyDrafts {
  return new ApologyDrafts(
    {
      drafts: need("apologyDrafts", "apology"),
      dossiers: need("dossiers", "apology"),
      directories: need("directories", "apology"),
      alerts: need("alerts", "apology"),
      blobs: need("blobs", "apology"),
      // The apology function only drafts; sending (the api function) queues the event.
      eventsQueue: ports.eventsQueue ?? missingQueue('apology sending needs the port "eventsQueue"'),
      workingTime: workingTime(),
      clock: ports.clock,
      logger: ports.logger,
    },
    options.apology,
  );
}

export function buildLookup({ ports, need, workingTime }: Wiring): DossierLookup {
  return new DossierLookup({
    dossiers: need("dossiers", "lookup"),
    dossierQuery: need("dossierQuery", "lookup"),
    alerts: need("alerts", "lookup"),
    directories: need("directories", "lookup"),
    workingTime: workingTime(),
    clock: ports.clock,
  });
}

export function buildReports({ options, need }: Wiring): Reports {
  return new Reports({ counters: need("counters", "reports") }, { grades: options.grades });
}

export function buildCalendarAdmin({ ports, need, workingTime }: Wiring): CalendarAdmin {
  return new CalendarAdmin({
    calendar: need("calendar", "calendar admin"),
    workingTime: workingTime(),
    eventsQueue: need("eventsQueue", "calendar admin"),
    logger: ports.logger,
  });
}

export function buildDirectoryAdmin({ need }: Wiring): DirectoryAdmin {
  return new DirectoryAdmin({ directories: need("directories", "directory admin") });
}

function missingQueue(message: string): MessageQueue {
  return {
    send: async () => {
      throw new Error(message);
    },
  };
}
