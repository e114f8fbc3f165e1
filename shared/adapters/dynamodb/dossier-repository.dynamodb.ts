import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { diffAgenda } from "../../app/agenda-diff.ts";
import type {
  AgendaEntry,
  DossierListing,
  DossierRepository,
  DossierSave,
  DossierSaveResult,
  EventRecord,
  LoadedDossier,
  PlannedAlert,
  PlannedAlertRecord,
  SnapshotPolicy,
  StoredEvent,
} from "../../app/ports.ts";
import { ConcurrencyError } from "../../app/ports.ts";
import { InvalidInputError } from "../../errors.ts";
import { cancellationCodes, type DynamoDbAdapterOptions, type Item, plain, queryAll } from "./support.ts";
import {
  type AgendaEntryItem,
  ATTR,
  agendaIndexKey,
  byAgencyStatusKey,
  byHolderPartition,
  type DossierEventItem,
  type DossierListingItem,
  type DossierStateItem,
  ENTITY,
  type ItemKey,
  instantMs,
  itemOf,
  keys,
  LISTING_HOLDERS,
  type ListingHolder,
  listingHolderId,
  SK_PREFIX,
  type TableDesign,
  UNVERSIONED_SNAPSHOT,
} from "./table-design.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** TransactWriteItems takes at most 100 items (DynamoDB limits, "Transactions"). */
export const MAX_TRANSACTION_ITEMS = 100;
/** Beside the state, each save puts or deletes one listing item per holder (handler, unit). */
const LISTING_ITEMS = LISTING_HOLDERS.length;
/**
 * The state snapshot, its listing items and every new event go in one transaction: the log, the
 * state and the listings never disagree.
 */
export const MAX_EVENTS_PER_SAVE = MAX_TRANSACTION_ITEMS - 1 - LISTING_ITEMS;

/**
 * Dossiers in the single table: state, event log and agenda in the partition DOSSIER#<code>.
 *
 * A save is one TransactWriteItems: the state put conditional on the loaded version, the events
 * conditional on not existing, the agenda difference unconditional. When the agenda difference
 * does not fit beside them in 100 items, the surplus goes first in transactions of its own, each
 * with a ConditionCheck on the version; the log and the state still change together in the
 * last one. If that last one fails, the surplus already written stays, and `load` shows it, so the
 * caller's retry (load, apply, save) diffs against what is stored and converges.
 *
 * The state is a snapshot of the fold of the log. With a snapshot policy (the app's: every
 * composition root passes one) each snapshot is stored with the policy's version, and `load`
 * returns it only when that version is the current one and the policy's shape check passes;
 * otherwise it folds the log it read with it again (`SnapshotPolicy.refold`), and the next save
 * stores the new shape. Without one (tests of the storage alone) the state comes back as stored.
 */
export class DynamoDbDossierRepository<
  E extends EventRecord = StoredEvent,
  S = unknown,
  A extends PlannedAlertRecord = PlannedAlert,
> implements DossierRepository<E, S, A>
{
  constructor(
    private readonly options: DynamoDbAdapterOptions,
    private readonly snapshots?: SnapshotPolicy<E, S>,
  ) {}

  async load(code: string): Promise<LoadedDossier<E, S, A> | undefined> {
    const items = await this.partition(code);
    let stateItem: DossierStateItem | undefined;
    const eventItems: DossierEventItem[] = [];
    const agenda: AgendaEntry<A>[] = [];
    for (const item of items) {
      const entry = itemOf(ENTITY.agendaEntry, item);
      if (entry !== undefined) agenda.push(agendaEntryOf<A>(entry));
      stateItem ??= itemOf(ENTITY.dossierState, item);
      const event = itemOf(ENTITY.dossierEvent, item);
      if (event !== undefined) eventItems.push(event);
    }
    if (stateItem === undefined) return undefined;
    eventItems.sort((a, b) => a.logVersion - b.logVersion || a.logIndex - b.logIndex);
    // The port's payload types are the caller's: the log is what `save` wrote from E.
    const events = eventItems.map((item) => item.event as E);
    return {
      code,
      events,
      state: await this.snapshotOf(stateItem, events),
      version: stateItem.version,
      agenda,
      listing: stateItem.listing,
    };
  }

  /** The stored snapshot when its version is current and it passes the shape check; else the log folded again. */
  private async snapshotOf(item: DossierStateItem, events: readonly E[]): Promise<S> {
    const policy = this.snapshots;
    // No policy: the storage alone, returned as `save` wrote it from S.
    if (policy === undefined) return item.state as S;
    const version = item.snapshotVersion ?? UNVERSIONED_SNAPSHOT;
    if (version === policy.version && policy.accepts(item.state)) return item.state;
    return policy.refold(events);
  }

  async save(change: DossierSave<E, S, A>): Promise<DossierSaveResult> {
    const { code, expectedVersion } = change;
    const savedAtMs = instantMs(change.savedAt);
    const stateKey = keys.dossierState(code);
    const version = (expectedVersion ?? 0) + 1;

    const duplicateEventIds: string[] = [];
    let events: E[] = [];
    const ids = new Set<string>();
    for (const event of change.newEvents) {
      if (event.dossierCode !== code) {
        throw new InvalidInputError("an event of another dossier", { dossierCode: code, eventId: event.id });
      }
      if (ids.has(event.id)) duplicateEventIds.push(event.id);
      else {
        ids.add(event.id);
        events.push(event);
      }
    }
    if (events.length > MAX_EVENTS_PER_SAVE) {
      throw new InvalidInputError(`a save appends at most ${MAX_EVENTS_PER_SAVE} events`, {
        dossierCode: code,
        events: events.length,
      });
    }
    for (const alert of change.agenda.next) {
      if (alert.dossierCode !== code) {
        throw new InvalidInputError("an alert of another dossier", {
          dossierCode: code,
          dedupeKey: alert.dedupeKey,
        });
      }
    }

    let diff = diffAgenda(change.agenda.previous, change.agenda.next);
    const room = (n: number) => MAX_TRANSACTION_ITEMS - 1 - LISTING_ITEMS - n;
    if (expectedVersion === undefined && diff.put.length + diff.remove.length > room(events.length)) {
      // A new dossier whose first save was split and failed may have left agenda entries behind.
      diff = diffAgenda(await this.storedAgenda(code), change.agenda.next);
    }

    const table = this.options.design.tableName;
    const versionCondition =
      expectedVersion === undefined
        ? { ConditionExpression: `attribute_not_exists(${ATTR.pk})` }
        : {
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };

    const agendaOps: TransactItem[] = [
      ...diff.remove.map(
        (dedupeKey): TransactItem => ({
          Delete: { TableName: table, Key: keys.agendaEntry(code, dedupeKey) },
        }),
      ),
      ...diff.put.map(
        (alert): TransactItem => ({
          Put: { TableName: table, Item: agendaEntryItem(this.options.design, code, alert, savedAtMs) },
        }),
      ),
    ];

    // The surplus the last transaction cannot hold goes first, in chunks guarded by the version.
    const surplus = Math.max(0, agendaOps.length - room(events.length));
    const early = agendaOps.slice(0, surplus);
    const late = agendaOps.slice(surplus);
    for (let i = 0; i < early.length; i += MAX_TRANSACTION_ITEMS - 1) {
      const chunk = early.slice(i, i + MAX_TRANSACTION_ITEMS - 1);
      const guard: TransactItem = {
        ConditionCheck: { TableName: table, Key: stateKey, ...versionCondition },
      };
      await this.transact([guard, ...chunk], (codes) => {
        throw this.concurrencyError(code, expectedVersion, codes[0] === "ConditionalCheckFailed");
      });
    }

    const stateItem = this.stateItem(stateKey, change, version);
    const listingOps = LISTING_HOLDERS.map((holder): TransactItem => {
      const item = dossierListingItem(code, change.listing, holder, version);
      return item === undefined
        ? { Delete: { TableName: table, Key: keys.dossierListing(code, holder) } }
        : { Put: { TableName: table, Item: item } };
    });
    for (;;) {
      const eventOps = events.map(
        (event, index): TransactItem => ({
          Put: {
            TableName: table,
            Item: this.eventItem(code, event, version, index),
            ConditionExpression: `attribute_not_exists(${ATTR.pk})`,
          },
        }),
      );
      const statePut: TransactItem = { Put: { TableName: table, Item: stateItem, ...versionCondition } };
      let duplicates: string[] = [];
      // The state first and the events next: the cancellation reasons are read by position.
      await this.transact([statePut, ...eventOps, ...listingOps, ...late], (codes) => {
        if (codes[0] === "ConditionalCheckFailed") throw this.concurrencyError(code, expectedVersion, true);
        duplicates = events
          .filter((_event, index) => codes[index + 1] === "ConditionalCheckFailed")
          .map((event) => event.id);
        if (duplicates.length === 0) throw this.concurrencyError(code, expectedVersion, false);
      });
      if (duplicates.length === 0) break;
      // Events already in the log: harmless, written once. Save the rest.
      duplicateEventIds.push(...duplicates);
      events = events.filter((event) => !duplicates.includes(event.id));
    }

    return {
      version,
      duplicateEventIds,
      agendaPut: diff.put.length,
      agendaRemoved: diff.remove.length,
    };
  }

  /** Runs a transaction; on cancellation hands the per-item reason codes to `onCancelled`. */
  private async transact(
    items: TransactItem[],
    onCancelled: (codes: readonly (string | undefined)[]) => void,
  ): Promise<void> {
    try {
      await this.options.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      onCancelled(codes);
    }
  }

  private concurrencyError(
    code: string,
    expectedVersion: number | undefined,
    stale: boolean,
  ): ConcurrencyError {
    return new ConcurrencyError(
      stale
        ? `dossier ${code} was saved by someone else since version ${expectedVersion ?? "none"}`
        : `dossier ${code} is being written by another transaction`,
      {
        reason: stale ? "stale-version" : "transaction-conflict",
        dossierCode: code,
        expectedVersion: expectedVersion ?? null,
      },
    );
  }

  private partition(code: string): Promise<Item[]> {
    return queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk`,
      ExpressionAttributeValues: { ":pk": keys.dossierPartition(code) },
      ConsistentRead: true,
    });
  }

  private async storedAgenda(code: string): Promise<AgendaEntry<A>[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.dossierPartition(code), ":prefix": SK_PREFIX.agenda },
      ConsistentRead: true,
    });
    return items.flatMap((item) => {
      const entry = itemOf(ENTITY.agendaEntry, item);
      return entry === undefined ? [] : [agendaEntryOf<A>(entry)];
    });
  }

  private stateItem(key: ItemKey, change: DossierSave<E, S, A>, version: number): DossierStateItem<S> {
    const listing = change.listing === undefined ? undefined : plain(change.listing);
    return {
      ...key,
      entity: ENTITY.dossierState,
      dossierCode: change.code,
      version,
      savedAt: change.savedAt,
      state: plain(change.state),
      ...(this.snapshots === undefined ? {} : { snapshotVersion: this.snapshots.version }),
      ...(listing === undefined
        ? {}
        : { listing, ...byAgencyStatusKey({ ...listing, dossierCode: change.code }) }),
    };
  }

  private eventItem(code: string, event: E, version: number, index: number): DossierEventItem<E> {
    return {
      ...keys.dossierEvent(code, event.id),
      entity: ENTITY.dossierEvent,
      dossierCode: code,
      eventId: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      // Log order: the version that appended the event, then its place in that save.
      logVersion: version,
      logIndex: index,
      event: plain(event),
    };
  }
}

/**
 * The dossier under its handler or unit on by-agency-status; undefined when closed or without one.
 * The save and the listing backfill both build the item here.
 */
export function dossierListingItem(
  code: string,
  listing: DossierListing | undefined,
  holder: ListingHolder,
  version: number,
): DossierListingItem | undefined {
  const stored = listing === undefined ? undefined : plain(listing);
  const id = stored === undefined ? undefined : listingHolderId(stored, holder);
  if (stored === undefined || id === undefined) return undefined;
  const { byAgencyStatusSk } = byAgencyStatusKey({ ...stored, dossierCode: code });
  return {
    ...keys.dossierListing(code, holder),
    entity: ENTITY.dossierListing,
    dossierCode: code,
    version,
    listing: stored,
    byAgencyStatusPk: byHolderPartition(stored.agencyId, holder, id, stored.status),
    byAgencyStatusSk,
  };
}

/** The stored form of one agenda entry (also used by benches to seed an agenda quickly). */
export function agendaEntryItem(
  design: TableDesign,
  code: string,
  alert: PlannedAlertRecord,
  savedAtMs: number,
): AgendaEntryItem<PlannedAlertRecord> {
  const index = agendaIndexKey(design, alert, savedAtMs);
  return {
    ...keys.agendaEntry(code, alert.dedupeKey),
    entity: ENTITY.agendaEntry,
    dossierCode: code,
    dedupeKey: alert.dedupeKey,
    at: alert.at,
    bucket: index.bucket,
    agendaPk: index.agendaPk,
    agendaSk: index.agendaSk,
    alert: plain(alert),
  };
}

/** An agenda item as the port's entry; the alert is what `save` wrote from A. */
function agendaEntryOf<A extends PlannedAlertRecord>(item: AgendaEntryItem): AgendaEntry<A> {
  return { alert: item.alert as A, doneAt: item.doneAt };
}
