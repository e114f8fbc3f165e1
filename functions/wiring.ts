import type { Logger } from "@aws-lambda-powertools/logger";
import type { TablePorts } from "../shared/adapters/dynamodb/index.ts";
import type { AlertPolicyBook } from "../shared/alerts/index.ts";
import { ApologyDrafts, type ApologyDraftsOptions } from "../shared/app/apology-drafts.ts";
import { ApplyEvents } from "../shared/app/apply-events.ts";
import type { BlobStore } from "../shared/app/blob-store.ts";
import { CalendarAdmin } from "../shared/app/calendar-admin.ts";
import { CalendarReevaluation } from "../shared/app/calendar-reevaluation.ts";
import { BlobCatalogueStore, CatalogueAdmin } from "../shared/app/catalogue-admin.ts";
import type { CitizenChannels } from "../shared/app/citizen-channels.ts";
import type { Clock, Sleep } from "../shared/app/clock.ts";
import { DeliverNotices } from "../shared/app/deliver-notices.ts";
import { DirectoryAdmin } from "../shared/app/directory-admin.ts";
import { DossierLookup } from "../shared/app/dossier-lookup.ts";
import { IngestEvents } from "../shared/app/ingest-events.ts";
import type { EmailSender, SmsSender } from "../shared/app/messaging-ports.ts";
import type { Metrics } from "../shared/app/metrics.ts";
import { PublicLookup } from "../shared/app/public-lookup.ts";
import type { MessageQueue } from "../shared/app/queue.ts";
import { Rejections } from "../shared/app/rejections.ts";
import { Reports } from "../shared/app/reports.ts";
import { SendDigests } from "../shared/app/send-digests.ts";
import { SweepAgenda, type SweepOptions } from "../shared/app/sweep-agenda.ts";
import { SyncDiscrepancies } from "../shared/app/sync-discrepancies.ts";
import { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import type { OfficeHours } from "../shared/calendar/index.ts";
import type { DossierPolicy } from "../shared/dossier/index.ts";
import type { LetterFonts } from "../shared/letters/render/index.ts";
import type { GradeScale } from "../shared/reports/index.ts";
import type { ApiDeps } from "./api.ts";
import type { ApologyDeps } from "./apology.ts";
import type { ApplyEventsDeps } from "./apply-events.ts";
import type { DigestDeps } from "./digest.ts";
import type { IngestApiDeps } from "./ingest-api.ts";
import type { NotifyDeps } from "./notify.ts";
import type { PublicLookupDeps } from "./public-lookup.ts";
import type { SweepDeps } from "./sweep.ts";

/**
 * How every function is built from ports (docs/architecture.md, "Composition"), written once and
 * used by both composition roots: `functions/composition-root.ts` gives each Lambda function the
 * ports its environment provides, `local/runtime/app.ts` gives the local runtime and the tests
 * all of them. Each builder declares exactly the ports it takes, so a root that lacks one fails
 * to compile. A Lambda entry reaches only its own builders, so its bundle holds only the code
 * they use (package.json's `"sideEffects": false` lets esbuild drop the rest).
 */

export type { TablePorts };

/** Every port, under the name both roots give it; each builder takes the few it uses. */
export interface Ports extends TablePorts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The working calendar; one per container (`workingTimeOf`), shared by its use cases. */
  readonly workingTime: WorkingTimeProvider;
  readonly eventsQueue: MessageQueue;
  readonly eventsDeadLetters: MessageQueue;
  readonly notifyQueue: MessageQueue;
  readonly apologyQueue: MessageQueue;
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly blobs: BlobStore;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** The font the HTML apology letter carries (read from files once, when a letter is first rendered). */
  readonly letterFonts: LetterFonts;
  /** Ordered citizen channels with Zalo ZNS (docs/zalo.md); absent: citizens get SMS and e-mail as planned. */
  readonly citizenChannels?: CitizenChannels;
}

/** Every option, under one name each; each builder takes the few it uses. */
export interface AppOptions {
  readonly book?: AlertPolicyBook | undefined;
  readonly dossierPolicy?: DossierPolicy | undefined;
  /** "Name <address>" on a domain verified with SES. */
  readonly emailFrom: string;
  readonly smsSenderId?: string | undefined;
  readonly throttleAttempts?: number | undefined;
  readonly throttleBaseDelayMs?: number | undefined;
  readonly sweep?: SweepOptions | undefined;
  readonly apology?: ApologyDraftsOptions | undefined;
  /** Colour thresholds of the on-time rate (reports); default dunghan's placeholder scale. */
  readonly grades?: GradeScale | undefined;
}

export interface WorkingTimeOptions {
  readonly officeHours?: OfficeHours | undefined;
  /** How long stored announcements are trusted (default 60 s). */
  readonly calendarMaxAgeMs?: number | undefined;
}

/** The container's working calendar: built-in announcements plus the stored ones. */
export function workingTimeOf(
  ports: Pick<Ports, "calendar" | "clock">,
  options: WorkingTimeOptions = {},
): WorkingTimeProvider {
  return new WorkingTimeProvider(ports.calendar, ports.clock, {
    officeHours: options.officeHours,
    maxAgeMs: options.calendarMaxAgeMs,
  });
}

type Policies = Pick<AppOptions, "book" | "dossierPolicy">;

// ---- Use cases -------------------------------------------------------------------------------

export type IngestPorts = Pick<Ports, "eventsQueue" | "logger">;

export function buildIngest(ports: IngestPorts): IngestEvents {
  return new IngestEvents({ eventsQueue: ports.eventsQueue, logger: ports.logger });
}

export type ApplyEventsPorts = Pick<
  Ports,
  | "dossiers"
  | "directories"
  | "dossierQuery"
  | "counters"
  | "apologyDrafts"
  | "workingTime"
  | "eventsQueue"
  | "eventsDeadLetters"
  | "rejections"
  | "clock"
  | "logger"
>;

export function buildApplyEvents(ports: ApplyEventsPorts, options: Policies = {}): ApplyEvents {
  return new ApplyEvents(
    {
      dossiers: ports.dossiers,
      directories: ports.directories,
      workingTime: ports.workingTime,
      deadLetters: ports.eventsDeadLetters,
      counters: ports.counters,
      drafts: ports.apologyDrafts,
      rejections: ports.rejections,
      clock: ports.clock,
      logger: ports.logger,
      reevaluation: new CalendarReevaluation({
        directories: ports.directories,
        dossierQuery: ports.dossierQuery,
        eventsQueue: ports.eventsQueue,
        logger: ports.logger,
      }),
    },
    { book: options.book, dossierPolicy: options.dossierPolicy },
  );
}

export type SweepPorts = Pick<
  Ports,
  "agenda" | "alerts" | "notifyQueue" | "apologyQueue" | "clock" | "metrics" | "logger"
>;

export function buildSweep(ports: SweepPorts, options: Pick<AppOptions, "sweep"> = {}): SweepAgenda {
  return new SweepAgenda(
    {
      agenda: ports.agenda,
      alerts: ports.alerts,
      notifyQueue: ports.notifyQueue,
      apologyQueue: ports.apologyQueue,
      clock: ports.clock,
      metrics: ports.metrics,
      logger: ports.logger,
    },
    options.sweep,
  );
}

export type DigestPorts = Pick<
  Ports,
  "dossierQuery" | "dossiers" | "directories" | "alerts" | "notifyQueue" | "workingTime" | "clock" | "logger"
>;

export function buildDigests(ports: DigestPorts, options: Policies = {}): SendDigests {
  return new SendDigests(
    {
      dossierQuery: ports.dossierQuery,
      dossiers: ports.dossiers,
      directories: ports.directories,
      alerts: ports.alerts,
      notifyQueue: ports.notifyQueue,
      workingTime: ports.workingTime,
      clock: ports.clock,
      logger: ports.logger,
    },
    { book: options.book, dossierPolicy: options.dossierPolicy },
  );
}

export type NotifyPorts = Pick<
  Ports,
  | "alerts"
  | "agenda"
  | "dossiers"
  | "directories"
  | "sms"
  | "email"
  | "workingTime"
  | "clock"
  | "logger"
  | "sleep"
  | "random"
  | "citizenChannels"
>;
export type NotifyOptions = Pick<
  AppOptions,
  "emailFrom" | "smsSenderId" | "throttleAttempts" | "throttleBaseDelayMs" | "book"
>;

export function buildNotify(ports: NotifyPorts, options: NotifyOptions): DeliverNotices {
  return new DeliverNotices(
    {
      alerts: ports.alerts,
      agenda: ports.agenda,
      dossiers: ports.dossiers,
      directories: ports.directories,
      sms: ports.sms,
      email: ports.email,
      workingTime: ports.workingTime,
      clock: ports.clock,
      logger: ports.logger,
      sleep: ports.sleep,
      random: ports.random,
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

export type ApologyPorts = Pick<
  Ports,
  | "apologyDrafts"
  | "dossiers"
  | "directories"
  | "alerts"
  | "blobs"
  | "eventsQueue"
  | "workingTime"
  | "clock"
  | "logger"
  | "letterFonts"
>;

export function buildApologies(
  ports: ApologyPorts,
  options: Pick<AppOptions, "apology"> = {},
): ApologyDrafts {
  return new ApologyDrafts(
    {
      drafts: ports.apologyDrafts,
      dossiers: ports.dossiers,
      directories: ports.directories,
      alerts: ports.alerts,
      blobs: ports.blobs,
      eventsQueue: ports.eventsQueue,
      workingTime: ports.workingTime,
      clock: ports.clock,
      logger: ports.logger,
      letterFonts: ports.letterFonts,
    },
    options.apology,
  );
}

export type LookupPorts = Pick<
  Ports,
  "dossiers" | "dossierQuery" | "alerts" | "directories" | "workingTime" | "clock"
>;

export function buildLookup(ports: LookupPorts): DossierLookup {
  return new DossierLookup({
    dossiers: ports.dossiers,
    dossierQuery: ports.dossierQuery,
    alerts: ports.alerts,
    directories: ports.directories,
    workingTime: ports.workingTime,
    clock: ports.clock,
  });
}

export function buildReports(
  ports: Pick<Ports, "counters"> & Partial<Pick<Ports, "blobs" | "clock">>,
  options: Pick<AppOptions, "grades"> = {},
): Reports {
  // Biểu số 06 takes each procedure's lĩnh vực from the catalogue, when the blob store is there.
  const { blobs, clock } = ports;
  const catalogue = blobs && clock ? buildCatalogueStore({ blobs, clock }) : undefined;
  return new Reports({ counters: ports.counters, catalogue }, { grades: options.grades });
}

/** The procedure catalogue, kept in the blob store (shared/app/catalogue-admin.ts). */
export function buildCatalogueStore(ports: Pick<Ports, "blobs" | "clock">): BlobCatalogueStore {
  return new BlobCatalogueStore(ports.blobs, ports.clock);
}

export function buildCatalogueAdmin(ports: Pick<Ports, "blobs" | "clock" | "logger">): CatalogueAdmin {
  return new CatalogueAdmin({ store: buildCatalogueStore(ports), logger: ports.logger });
}

export type CalendarAdminPorts = Pick<Ports, "calendar" | "workingTime" | "eventsQueue" | "logger">;

export function buildCalendarAdmin(ports: CalendarAdminPorts): CalendarAdmin {
  return new CalendarAdmin({
    calendar: ports.calendar,
    workingTime: ports.workingTime,
    eventsQueue: ports.eventsQueue,
    logger: ports.logger,
  });
}

/** Refused events: the agency's admins list them, the sender asks one event's status. */
export function buildRejections(ports: Pick<Ports, "rejections" | "dossiers">): Rejections {
  return new Rejections({ rejections: ports.rejections, dossiers: ports.dossiers });
}

export function buildDirectoryAdmin(ports: Pick<Ports, "directories">): DirectoryAdmin {
  return new DirectoryAdmin({ directories: ports.directories });
}

// ---- Functions: each handler's dependencies from its own ports --------------------------------

/** The e-one-stop system's routes: send events, and ask what became of one (reads only). */
export type IngestApiPorts = IngestPorts & Pick<Ports, "dossiers" | "rejections">;

export function ingestApiFunction(ports: IngestApiPorts): IngestApiDeps {
  return { ingest: buildIngest(ports), status: buildRejections(ports), logger: ports.logger };
}

export function applyEventsFunction(ports: ApplyEventsPorts, options: Policies = {}): ApplyEventsDeps {
  return { applyEvents: buildApplyEvents(ports, options), logger: ports.logger };
}

export function sweepFunction(ports: SweepPorts, options: Pick<AppOptions, "sweep"> = {}): SweepDeps {
  return { sweep: buildSweep(ports, options), logger: ports.logger };
}

export function digestFunction(ports: DigestPorts, options: Policies = {}): DigestDeps {
  return { digests: buildDigests(ports, options), logger: ports.logger };
}

export function notifyFunction(ports: NotifyPorts, options: NotifyOptions): NotifyDeps {
  return { notify: buildNotify(ports, options), logger: ports.logger };
}

/**
 * The apology function only drafts (the apology queue); sending a letter is the api function's,
 * which has the events queue. Its drafts get a queue that refuses, so a send reaching it fails
 * loudly instead of being lost.
 */
export function apologyFunction(
  ports: Omit<ApologyPorts, "eventsQueue">,
  options: Pick<AppOptions, "apology"> = {},
): ApologyDeps {
  return {
    apologies: buildApologies({ ...ports, eventsQueue: DRAFTING_ONLY }, options),
    logger: ports.logger,
  };
}

export type ApiPorts = LookupPorts &
  ApologyPorts &
  CalendarAdminPorts &
  Pick<Ports, "directories" | "counters" | "blobs" | "rejections" | "syncDiscrepancies" | "clock" | "logger">;

export function apiFunction(ports: ApiPorts, options: Pick<AppOptions, "apology" | "grades"> = {}): ApiDeps {
  return {
    lookup: buildLookup(ports),
    apologies: buildApologies(ports, options),
    calendarAdmin: buildCalendarAdmin(ports),
    catalogueAdmin: buildCatalogueAdmin(ports),
    directoryAdmin: buildDirectoryAdmin(ports),
    reports: buildReports(ports, options),
    rejections: buildRejections(ports),
    discrepancies: new SyncDiscrepancies({ log: ports.syncDiscrepancies }),
    logger: ports.logger,
  };
}

export type PublicLookupPorts = Pick<Ports, "dossiers" | "workingTime" | "clock" | "limiter" | "logger">;

/** Tra cứu hồ sơ: reads a dossier and counts attempts; nothing else (docs/public-lookup.md). */
export function publicLookupFunction(ports: PublicLookupPorts): PublicLookupDeps {
  return {
    lookup: new PublicLookup({
      dossiers: ports.dossiers,
      workingTime: ports.workingTime,
      clock: ports.clock,
      limiter: ports.limiter,
    }),
    logger: ports.logger,
  };
}

const DRAFTING_ONLY: MessageQueue = {
  send: async () => {
    throw new Error(
      'the apology function only drafts letters; sending them is the api function\'s ("eventsQueue")',
    );
  },
};
