import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbAgendaRepository } from "../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "../shared/adapters/dynamodb/alert-log.dynamodb.ts";
import { DynamoDbApologyDraftRepository } from "../shared/adapters/dynamodb/apology-draft-repository.dynamodb.ts";
import { DynamoDbCalendarRepository } from "../shared/adapters/dynamodb/calendar-repository.dynamodb.ts";
import { DynamoDbCounterStore } from "../shared/adapters/dynamodb/counter-store.dynamodb.ts";
import { DynamoDbDirectoryRepository } from "../shared/adapters/dynamodb/directory-repository.dynamodb.ts";
import { DynamoDbDossierQuery } from "../shared/adapters/dynamodb/dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import type { ReadObserver } from "../shared/adapters/dynamodb/support.ts";
import type { TableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import type { ApologyDrafts, AppApologyDraftRepository } from "../shared/app/apology-drafts.ts";
import type { ApplyEvents } from "../shared/app/apply-events.ts";
import type { CalendarAdmin } from "../shared/app/calendar-admin.ts";
import type { CatalogueAdmin } from "../shared/app/catalogue-admin.ts";
import type { DeliverNotices } from "../shared/app/deliver-notices.ts";
import type { DirectoryAdmin } from "../shared/app/directory-admin.ts";
import type { DossierLookup } from "../shared/app/dossier-lookup.ts";
import type {
  AppAgendaRepository,
  AppAlertLog,
  AppDossierRepository,
} from "../shared/app/dossier-records.ts";
import { dossierSnapshotPolicy } from "../shared/app/dossier-snapshot.ts";
import type { IngestEvents } from "../shared/app/ingest-events.ts";
import type { Reports } from "../shared/app/reports.ts";
import type { SendDigests } from "../shared/app/send-digests.ts";
import type { SweepAgenda } from "../shared/app/sweep-agenda.ts";
import { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import type { Announcement } from "../shared/calendar/index.ts";
import {
  type AppOptions,
  type AppPorts,
  buildApologies,
  buildApplyEvents,
  buildCalendarAdmin,
  buildCatalogueAdmin,
  buildDigests,
  buildDirectoryAdmin,
  buildIngest,
  buildLookup,
  buildNotify,
  buildReports,
  buildSweep,
  type TablePorts,
  type Wiring,
  wire,
} from "./wiring.ts";

export type { AppOptions, AppPorts, TablePorts } from "./wiring.ts";

/**
 * The composition root (docs/architecture.md): ports in, use cases out. The local runtime and the tests
 * build every use case over their ports with `createApp` (DynamoDB Local, in-process queues, fake
 * SNS/SES) and run the same handler factories; a Lambda function builds only its own use cases
 * from its environment (production.ts), with the same builders (wiring.ts).
 */

export interface App {
  readonly workingTime: WorkingTimeProvider;
  readonly ingest: IngestEvents;
  readonly applyEvents: ApplyEvents;
  readonly sweep: SweepAgenda;
  readonly digests: SendDigests;
  readonly notify: DeliverNotices;
  readonly apologies: ApologyDrafts;
  readonly lookup: DossierLookup;
  readonly reports: Reports;
  readonly calendarAdmin: CalendarAdmin;
  readonly catalogueAdmin: CatalogueAdmin;
  readonly directoryAdmin: DirectoryAdmin;
}

/** The repositories of one table. */
export function tablePorts(
  client: DynamoDBDocumentClient,
  design: TableDesign,
  onRead?: ReadObserver,
): TablePorts {
  const base = { client, design, onRead };
  const calendar = new DynamoDbCalendarRepository<Announcement>(base);
  // A snapshot of an old shape is folded again on the stored calendar. Its own provider: the
  // use cases' is built later, from these ports; the clock only ages the calendar it read.
  const snapshots = dossierSnapshotPolicy(new WorkingTimeProvider(calendar, { now: () => Date.now() }));
  return {
    dossiers: new DynamoDbDossierRepository(base, snapshots) as AppDossierRepository,
    agenda: new DynamoDbAgendaRepository(base) as AppAgendaRepository,
    alerts: new DynamoDbAlertLog(base) as AppAlertLog,
    apologyDrafts: new DynamoDbApologyDraftRepository(base) as AppApologyDraftRepository,
    calendar,
    dossierQuery: new DynamoDbDossierQuery(base),
    directories: new DynamoDbDirectoryRepository(base),
    counters: new DynamoDbCounterStore(base),
  };
}

/**
 * Every use case over `ports`, each built on first use (so a caller needs only the ports of the
 * use cases it touches). A missing port is a wiring defect, named in the error.
 */
export function createApp(ports: AppPorts, options: AppOptions = {}): App {
  return appOf(wire(ports, options));
}

/** The use cases of one wiring, each built once, on first use. */
export function appOf(wiring: Wiring): App {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, build: (w: Wiring) => T): T => {
    if (!memo.has(key)) memo.set(key, build(wiring));
    return memo.get(key) as T;
  };
  return {
    get workingTime() {
      return wiring.workingTime();
    },
    get ingest() {
      return once("ingest", buildIngest);
    },
    get applyEvents() {
      return once("applyEvents", buildApplyEvents);
    },
    get sweep() {
      return once("sweep", buildSweep);
    },
    get digests() {
      return once("digests", buildDigests);
    },
    get notify() {
      return once("notify", buildNotify);
    },
    get apologies() {
      return once("apologies", buildApologies);
    },
    get lookup() {
      return once("lookup", buildLookup);
    },
    get reports() {
      return once("reports", buildReports);
    },
    get calendarAdmin() {
      return once("calendarAdmin", buildCalendarAdmin);
    },
    get catalogueAdmin() {
      return once("catalogueAdmin", buildCatalogueAdmin);
    },
    get directoryAdmin() {
      return once("directoryAdmin", buildDirectoryAdmin);
    },
  };
}
