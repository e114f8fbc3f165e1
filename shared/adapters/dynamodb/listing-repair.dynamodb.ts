import { ScanCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type {
  DossierListingRepair,
  Page,
  RelistOutcome,
  StoredDossierScanOptions,
  StoredDossierState,
} from "../../app/ports.ts";
import { canonicalJson } from "../../canonical-json.ts";
import { InvalidInputError } from "../../errors.ts";
import { dossierListingItem } from "./dossier-repository.dynamodb.ts";
import {
  cancellationCodes,
  type DynamoDbAdapterOptions,
  decodeCursor,
  encodeCursor,
  type Item,
  queryAll,
} from "./support.ts";
import {
  ATTR,
  type DossierListingItem,
  ENTITY,
  itemOf,
  keys,
  LISTING_HOLDERS,
  SK_PREFIX,
} from "./table-design.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** The largest page of state items a caller may ask for. */
export const MAX_SCAN_PAGE = 500;

/**
 * The listing backfill on the single table. Dossier state items have no index of their own (a
 * closed dossier leaves by-agency-status), so `storedDossiers` is a Scan filtered to state items:
 * it reads (and bills) the whole table once, page by page. `relist` compares the LISTING#HANDLER
 * and LISTING#UNIT items with what the save writes beside the state item for its listing and
 * version (`dossierListingItem`: one spelling) and writes only the difference.
 */
export class DynamoDbDossierListingRepair implements DossierListingRepair {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async storedDossiers(options: StoredDossierScanOptions = {}): Promise<Page<StoredDossierState>> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN_PAGE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_SCAN_PAGE}`, { limit });
    }
    const start = options.cursor === undefined ? undefined : scanStart(options.cursor);
    const agency = options.agencyId;
    const output = await this.options.client.send(
      new ScanCommand({
        TableName: this.options.design.tableName,
        FilterExpression:
          agency === undefined
            ? "#entity = :state"
            : "#entity = :state AND (#listing.#agencyId = :agency OR #state.#received.#agency.#id = :agency)",
        ExpressionAttributeNames: {
          "#entity": ATTR.entity,
          "#code": "dossierCode",
          "#version": "version",
          "#listing": "listing",
          ...(agency === undefined
            ? {}
            : {
                "#agencyId": "agencyId",
                "#state": "state",
                "#received": "received",
                "#agency": "agency",
                "#id": "id",
              }),
        },
        ExpressionAttributeValues: {
          ":state": ENTITY.dossierState,
          ...(agency === undefined ? {} : { ":agency": agency }),
        },
        // The snapshot is not needed: the listing items are built from the listing saved with it.
        ProjectionExpression: "#entity, #code, #version, #listing",
        Limit: limit,
        // A listing compared with a stale state item would be put back stale: read what is stored.
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    const items = ((output.Items ?? []) as Item[]).flatMap((stored) => {
      const item = itemOf(ENTITY.dossierState, stored);
      if (item === undefined) return [];
      return [{ dossierCode: item.dossierCode, version: item.version, listing: item.listing }];
    });
    return { items, cursor: encodeCursor(output.LastEvaluatedKey as Item | undefined) };
  }

  async relist(dossier: StoredDossierState, options: { readonly dryRun: boolean }): Promise<RelistOutcome> {
    const { dossierCode: code, version, listing } = dossier;
    const table = this.options.design.tableName;
    const stateKey = keys.dossierState(code);
    const stored = await this.listingItems(code);
    const ops: TransactItem[] = [];

    for (const holder of LISTING_HOLDERS) {
      const item = dossierListingItem(code, listing, holder, version);
      const key = keys.dossierListing(code, holder);
      const current = stored.get(key.sk);
      if (item === undefined) {
        if (current !== undefined) ops.push({ Delete: { TableName: table, Key: key } });
      } else if (current === undefined || canonicalJson(item) !== canonicalJson(current)) {
        ops.push({ Put: { TableName: table, Item: item } });
      }
    }

    if (ops.length === 0) return { outcome: "current" };
    if (options.dryRun) return { outcome: "would-write", items: ops.length };
    // A save since the scan wrote its own listing items: the guard leaves them to it.
    const guard: TransactItem = {
      ConditionCheck: {
        TableName: table,
        Key: stateKey,
        ConditionExpression: "#version = :version",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":version": version },
      },
    };
    const guarded = [guard, ...ops];
    try {
      await this.options.client.send(new TransactWriteCommand({ TransactItems: guarded }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes[0] === "ConditionalCheckFailed") return { outcome: "moved-on" };
      throw error;
    }
    return { outcome: "written", items: ops.length };
  }

  /** The dossier's listing items as stored, by sort key. */
  private async listingItems(code: string): Promise<Map<string, DossierListingItem>> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.dossierPartition(code), ":prefix": SK_PREFIX.listing },
      ConsistentRead: true,
    });
    const byKey = new Map<string, DossierListingItem>();
    for (const stored of items) {
      const item = itemOf(ENTITY.dossierListing, stored);
      if (item !== undefined) byKey.set(item.sk, item);
    }
    return byKey;
  }
}

/** A scan cursor is a table key (pk and sk strings, nothing else). */
function scanStart(cursor: string): Item {
  const start = decodeCursor(cursor);
  if (
    Object.keys(start).length !== 2 ||
    typeof start[ATTR.pk] !== "string" ||
    typeof start[ATTR.sk] !== "string"
  ) {
    throw new InvalidInputError("invalid page cursor");
  }
  return start;
}
