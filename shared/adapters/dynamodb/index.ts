import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type {
  AnnouncementRecord,
  ApologyDraftRecord,
  EventRecord,
  PlannedAlert,
  PlannedAlertRecord,
  SnapshotPolicy,
  StoredEvent,
} from "../../app/ports.ts";
import { DynamoDbAgendaRepository } from "./agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "./alert-log.dynamodb.ts";
import { DynamoDbApologyDraftRepository } from "./apology-draft-repository.dynamodb.ts";
import { DynamoDbCalendarRepository } from "./calendar-repository.dynamodb.ts";
import { DynamoDbCounterStore } from "./counter-store.dynamodb.ts";
import { DynamoDbDirectoryRepository } from "./directory-repository.dynamodb.ts";
import { DynamoDbDossierQuery } from "./dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "./dossier-repository.dynamodb.ts";
import type { ReadObserver } from "./support.ts";
import type { TableDesign } from "./table-design.ts";

export * from "./agenda-repository.dynamodb.ts";
export * from "./alert-log.dynamodb.ts";
export * from "./apology-draft-repository.dynamodb.ts";
export * from "./calendar-repository.dynamodb.ts";
export * from "./counter-store.dynamodb.ts";
export * from "./directory-repository.dynamodb.ts";
export * from "./dossier-query.dynamodb.ts";
export * from "./dossier-repository.dynamodb.ts";
export type { DynamoDbAdapterOptions, ReadObserver, ReadReport } from "./support.ts";
export * from "./table-design.ts";

export interface DynamoDbAdaptersOptions {
  readonly client: DynamoDBDocumentClient;
  readonly design: TableDesign;
  readonly onRead?: ReadObserver;
  readonly alertRetentionDays?: number;
}

/** Every DynamoDB adapter over one table, for a composition root. */
export function dynamoDbAdapters<
  E extends EventRecord = StoredEvent,
  S = unknown,
  A extends PlannedAlertRecord = PlannedAlert,
  D extends ApologyDraftRecord = ApologyDraftRecord,
  C extends AnnouncementRecord = AnnouncementRecord,
>(options: DynamoDbAdaptersOptions & { readonly snapshots?: SnapshotPolicy<E, S> }) {
  const base = { client: options.client, design: options.design, onRead: options.onRead };
  return {
    dossiers: new DynamoDbDossierRepository<E, S, A>(base, options.snapshots),
    agenda: new DynamoDbAgendaRepository<A>(base),
    alerts: new DynamoDbAlertLog<A>({ ...base, retentionDays: options.alertRetentionDays }),
    apologyDrafts: new DynamoDbApologyDraftRepository<D>(base),
    calendar: new DynamoDbCalendarRepository<C>(base),
    dossierQuery: new DynamoDbDossierQuery(base),
    directories: new DynamoDbDirectoryRepository(base),
    counters: new DynamoDbCounterStore(base),
  };
}
