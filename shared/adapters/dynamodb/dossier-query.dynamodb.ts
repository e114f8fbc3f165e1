import type { DossierListingRow, DossierListOptions, DossierQuery, Page } from "../../app/ports.ts";
import { InvalidInputError } from "../../errors.ts";
import { type DynamoDbAdapterOptions, decodeCursor, encodeCursor, type Item, query } from "./support.ts";
import {
  ATTR,
  byAgencyStatusPartition,
  byHolderPartition,
  ENTITY,
  INDEX,
  instantMs,
  itemOf,
  sortableInstant,
} from "./table-design.ts";

/** The largest page a caller may ask for; a digest pages through the rest. */
export const MAX_PAGE_SIZE = 500;

/**
 * Listed dossiers through the sparse `by-agency-status` index (only what a digest row needs is
 * projected): the agency's partition (state items) or one handler's or unit's (listing items),
 * the due window as a condition on the sort key — one Query per page, nothing filtered after it.
 */
export class DynamoDbDossierQuery implements DossierQuery {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async byAgencyStatus(
    agencyId: string,
    status: string,
    options: DossierListOptions = {},
  ): Promise<Page<DossierListingRow>> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { limit });
    }
    const holder = options.holder;
    const partition =
      holder === undefined
        ? byAgencyStatusPartition(agencyId, status)
        : "handlerId" in holder
          ? byHolderPartition(agencyId, "HANDLER", holder.handlerId, status)
          : byHolderPartition(agencyId, "UNIT", holder.unitId, status);
    const start = options.cursor === undefined ? undefined : startKey(options.cursor, partition);
    const bound = (instant: string | undefined) =>
      instant === undefined ? undefined : sortableInstant(instantMs(instant));
    const from = bound(options.dueFrom);
    const before = bound(options.dueBefore);
    // Sort keys are `<UTC instant>#<code>`: "<instant>" sorts before every key due at that instant.
    const condition =
      from !== undefined && before !== undefined
        ? "#pk = :pk AND #sk BETWEEN :from AND :before"
        : from !== undefined
          ? "#pk = :pk AND #sk >= :from"
          : before !== undefined
            ? "#pk = :pk AND #sk < :before"
            : "#pk = :pk";
    if (from !== undefined && before !== undefined && from >= before) return { items: [], cursor: undefined };
    const page = await query(this.options, {
      IndexName: INDEX.byAgencyStatus,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: {
        "#pk": ATTR.byAgencyStatusPk,
        ...(from === undefined && before === undefined ? {} : { "#sk": ATTR.byAgencyStatusSk }),
      },
      ExpressionAttributeValues: {
        ":pk": partition,
        ...(from === undefined ? {} : { ":from": from }),
        ...(before === undefined ? {} : { ":before": before }),
      },
      Limit: limit,
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
    return {
      // The index projects dossierCode, version and listing (table-design.ts); only a state item
      // with a listing, or a listing item, carries the index keys.
      items: page.items.flatMap((stored) => {
        const item = itemOf(ENTITY.dossierState, stored) ?? itemOf(ENTITY.dossierListing, stored);
        if (item?.listing === undefined) return [];
        return [{ dossierCode: item.dossierCode, version: item.version, listing: item.listing }];
      }),
      cursor: encodeCursor(page.lastKey),
    };
  }
}

/**
 * A cursor is a key of this very partition. One from another listing (another agency's, another
 * status) or of another shape is refused here: sent to DynamoDB it fails the query (a 500), and
 * it must never start a page in a partition the caller did not ask for.
 */
function startKey(cursor: string, partition: string): Item {
  const start = decodeCursor(cursor);
  const shape = [ATTR.pk, ATTR.sk, ATTR.byAgencyStatusPk, ATTR.byAgencyStatusSk];
  const names = Object.keys(start);
  if (
    start[ATTR.byAgencyStatusPk] !== partition ||
    names.length !== shape.length ||
    !shape.every((name) => typeof start[name] === "string")
  ) {
    throw new InvalidInputError("invalid page cursor");
  }
  return start;
}
