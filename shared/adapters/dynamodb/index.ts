import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AppApologyDraftRepository, StoredApologyDraft } from "../../app/apology-drafts.ts";
import type { DirectoryRepository } from "../../app/directory.ts";
import type {
  AgendaAlert,
  AppAgendaRepository,
  AppAlertLog,
  AppDossierRepository,
  DossierSnapshot,
} from "../../app/dossier-records.ts";
import { dossierSnapshotPolicy } from "../../app/dossier-snapshot.ts";
import type { CalendarRepository, DossierQuery } from "../../app/ports.ts";
import type { RateLimiter } from "../../app/rate-limit.ts";
import type { RejectionLog } from "../../app/rejections.ts";
import type { SyncDiscrepancyLog } from "../../app/sync-discrepancies.ts";
import type { SyncLedger } from "../../app/sync-ledger.ts";
import type { SyncSenderRepository } from "../../app/sync-senders.ts";
import { WorkingTimeProvider } from "../../app/working-time-provider.ts";
import type { Announcement } from "../../calendar/index.ts";
import type { DossierEventJson } from "../../dossier/index.ts";
import type { CounterStore } from "../../reports/index.ts";
import { DynamoDbAgendaRepository } from "./agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "./alert-log.dynamodb.ts";
import { DynamoDbApologyDraftRepository } from "./apology-draft-repository.dynamodb.ts";
import { DynamoDbCalendarRepository } from "./calendar-repository.dynamodb.ts";
import { DynamoDbCounterStore } from "./counter-store.dynamodb.ts";
import { DynamoDbDirectoryRepository } from "./directory-repository.dynamodb.ts";
import { DynamoDbDossierQuery } from "./dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "./dossier-repository.dynamodb.ts";
import { DynamoDbRateLimiter } from "./rate-limiter.dynamodb.ts";
import { DynamoDbRejectionLog } from "./rejection-log.dynamodb.ts";
import type { ReadObserver } from "./support.ts";
import { DynamoDbSyncDiscrepancyLog } from "./sync-discrepancy-log.dynamodb.ts";
import { DynamoDbSyncLedger } from "./sync-ledger.dynamodb.ts";
import { DynamoDbSyncSenderRepository } from "./sync-sender-repository.dynamodb.ts";
import type { TableDesign } from "./table-design.ts";

export * from "./agenda-repository.dynamodb.ts";
export * from "./alert-log.dynamodb.ts";
export * from "./apology-draft-repository.dynamodb.ts";
export * from "./calendar-repository.dynamodb.ts";
export * from "./counter-store.dynamodb.ts";
export * from "./directory-repository.dynamodb.ts";
export * from "./dossier-query.dynamodb.ts";
export * from "./dossier-repository.dynamodb.ts";
export * from "./listing-repair.dynamodb.ts";
export * from "./rate-limiter.dynamodb.ts";
export * from "./rejection-log.dynamodb.ts";
export type { DynamoDbAdapterOptions, ReadObserver, ReadReport } from "./support.ts";
export * from "./sync-discrepancy-log.dynamodb.ts";
export * from "./sync-ledger.dynamodb.ts";
export * from "./table-design.ts";

/** The repositories of one table, typed as the use cases take them. */
export interface TablePorts {
  readonly dossiers: AppDossierRepository;
  readonly agenda: AppAgendaRepository;
  readonly alerts: AppAlertLog;
  readonly apologyDrafts: AppApologyDraftRepository;
  readonly calendar: CalendarRepository<Announcement>;
  readonly dossierQuery: DossierQuery;
  readonly directories: DirectoryRepository;
  readonly counters: CounterStore;
  /** The public routes' rate limits. */
  readonly limiter: RateLimiter;
  /** The systems allowed to push the national sync payload (hashed credentials). */
  readonly syncSenders: SyncSenderRepository;
  /** What the sync route queued per dossier and the records it took (shared/app/sync-ledger.ts). */
  readonly syncLedger: SyncLedger;
  /** The events the worker refused (shared/app/rejections.ts). */
  readonly rejections: RejectionLog;
  /** What the national sync flagged, per agency (shared/app/sync-discrepancies.ts). */
  readonly syncDiscrepancies: SyncDiscrepancyLog;
}

export interface TablePortsOptions {
  /** Told about every read (metrics, and tests and benches that count items read). */
  readonly onRead?: ReadObserver | undefined;
  /** Days an alert record is kept after its claim (DynamoDbAlertLog; default 400). */
  readonly alertRetentionDays?: number | undefined;
}

/** Every DynamoDB adapter over one table: what both composition roots give the use cases. */
export function tablePorts(
  client: DynamoDBDocumentClient,
  design: TableDesign,
  options: TablePortsOptions = {},
): TablePorts {
  const base = { client, design, onRead: options.onRead };
  const calendar = new DynamoDbCalendarRepository<Announcement>(base);
  // A snapshot of an old shape is folded again on the stored calendar. Its own provider: the
  // use cases' is built later, from these ports; the clock only ages the calendar it read.
  const snapshots = dossierSnapshotPolicy(new WorkingTimeProvider(calendar, { now: () => Date.now() }));
  return {
    dossiers: new DynamoDbDossierRepository<DossierEventJson, DossierSnapshot, AgendaAlert>(base, snapshots),
    agenda: new DynamoDbAgendaRepository<AgendaAlert>(base),
    alerts: new DynamoDbAlertLog<AgendaAlert>({ ...base, retentionDays: options.alertRetentionDays }),
    apologyDrafts: new DynamoDbApologyDraftRepository<StoredApologyDraft>(base),
    calendar,
    dossierQuery: new DynamoDbDossierQuery(base),
    directories: new DynamoDbDirectoryRepository(base),
    counters: new DynamoDbCounterStore(base),
    limiter: new DynamoDbRateLimiter(base),
    syncSenders: new DynamoDbSyncSenderRepository(base),
    syncLedger: new DynamoDbSyncLedger(base),
    rejections: new DynamoDbRejectionLog(base),
    syncDiscrepancies: new DynamoDbSyncDiscrepancyLog(base),
  };
}
