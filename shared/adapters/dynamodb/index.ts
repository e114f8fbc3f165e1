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
import type { DynamoDbAdapterOptions, ReadObserver } from "./support.ts";
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

/**
 * One table as its adapters are built from it. Each port has its own factory below, the only
 * place its adapter is constructed: `tablePorts` calls them all (the local runtime, tests,
 * benches), and each Lambda's composition calls only those of the ports its use cases take, so
 * its bundle holds no other adapter (esbuild drops a factory nobody calls, and its class).
 */
export interface TableContext extends DynamoDbAdapterOptions {
  /** Days an alert record is kept after its claim (DynamoDbAlertLog; default 400). */
  readonly alertRetentionDays?: number | undefined;
}

export function tableContext(
  client: DynamoDBDocumentClient,
  design: TableDesign,
  options: TablePortsOptions = {},
): TableContext {
  return { client, design, onRead: options.onRead, alertRetentionDays: options.alertRetentionDays };
}

const adapterOptions = ({ client, design, onRead }: TableContext): DynamoDbAdapterOptions => ({
  client,
  design,
  onRead,
});

export function calendarOf(table: TableContext): TablePorts["calendar"] {
  return new DynamoDbCalendarRepository<Announcement>(adapterOptions(table));
}

/**
 * The dossiers, over the stored calendar: a snapshot of an old shape is folded again on it. Its
 * own provider: the use cases' is built later, from the ports; the clock only ages the calendar
 * it read.
 */
export function dossiersOf(table: TableContext, calendar: TablePorts["calendar"]): TablePorts["dossiers"] {
  const snapshots = dossierSnapshotPolicy(new WorkingTimeProvider(calendar, { now: () => Date.now() }));
  return new DynamoDbDossierRepository<DossierEventJson, DossierSnapshot, AgendaAlert>(
    adapterOptions(table),
    snapshots,
  );
}

export function agendaOf(table: TableContext): TablePorts["agenda"] {
  return new DynamoDbAgendaRepository<AgendaAlert>(adapterOptions(table));
}

export function alertsOf(table: TableContext): TablePorts["alerts"] {
  return new DynamoDbAlertLog<AgendaAlert>({
    ...adapterOptions(table),
    retentionDays: table.alertRetentionDays,
  });
}

export function apologyDraftsOf(table: TableContext): TablePorts["apologyDrafts"] {
  return new DynamoDbApologyDraftRepository<StoredApologyDraft>(adapterOptions(table));
}

export function dossierQueryOf(table: TableContext): TablePorts["dossierQuery"] {
  return new DynamoDbDossierQuery(adapterOptions(table));
}

export function directoriesOf(table: TableContext): TablePorts["directories"] {
  return new DynamoDbDirectoryRepository(adapterOptions(table));
}

export function countersOf(table: TableContext): TablePorts["counters"] {
  return new DynamoDbCounterStore(adapterOptions(table));
}

export function limiterOf(table: TableContext): TablePorts["limiter"] {
  return new DynamoDbRateLimiter(adapterOptions(table));
}

export function syncSendersOf(table: TableContext): TablePorts["syncSenders"] {
  return new DynamoDbSyncSenderRepository(adapterOptions(table));
}

export function syncLedgerOf(table: TableContext): TablePorts["syncLedger"] {
  return new DynamoDbSyncLedger(adapterOptions(table));
}

export function rejectionsOf(table: TableContext): TablePorts["rejections"] {
  return new DynamoDbRejectionLog(adapterOptions(table));
}

export function syncDiscrepanciesOf(table: TableContext): TablePorts["syncDiscrepancies"] {
  return new DynamoDbSyncDiscrepancyLog(adapterOptions(table));
}

/** Every DynamoDB adapter over one table: the local runtime's, the tests' and the benches'. */
export function tablePorts(
  client: DynamoDBDocumentClient,
  design: TableDesign,
  options: TablePortsOptions = {},
): TablePorts {
  const table = tableContext(client, design, options);
  const calendar = calendarOf(table);
  return {
    dossiers: dossiersOf(table, calendar),
    agenda: agendaOf(table),
    alerts: alertsOf(table),
    apologyDrafts: apologyDraftsOf(table),
    calendar,
    dossierQuery: dossierQueryOf(table),
    directories: directoriesOf(table),
    counters: countersOf(table),
    limiter: limiterOf(table),
    syncSenders: syncSendersOf(table),
    syncLedger: syncLedgerOf(table),
    rejections: rejectionsOf(table),
    syncDiscrepancies: syncDiscrepanciesOf(table),
  };
}
