import type { DossierListingRow, DossierQuery, Page } from "../../app/ports.ts";
import { InvalidInputError } from "../../errors.ts";
import { type DynamoDbAdapterOptions, decodeCursor, encodeCursor, type Item, query } from "./support.ts";
import {
  ATTR,
  byAgencyStatusPartition,
  ENTITY,
  INDEX,
  instantMs,
  itemOf,
  sortableInstant,
} from "./table-design.ts";

/** The largest page a caller may ask for; a digest pages through the rest. */
export const MAX_PAGE_SIZE = 500;

/** Listed dossiers through the sparse `by-agency-status` index (only what a digest row needs is projected). */
export class DynamoDbDossierQuery implements DossierQuery {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async byAgencyStatus(
    agencyId: string,
    status: string,
    options: { readonly dueBefore?: string; readonly limit?: number; readonly cursor?: string } = {},
  ): Promise<Page<DossierListingRow>> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { limit });
    }
    const partition = byAgencyStatusPartition(agencyId, status);
    const start = options.cursor === undefined ? undefined : startKey(options.cursor, partition);
    const dueBefore =
      options.dueBefore === undefined ? undefined : sortableInstant(instantMs(options.dueBefore));
    const page = await query(this.options, {
      IndexName: INDEX.byAgencyStatus,
      KeyConditionExpression: dueBefore === undefined ? "#pk = :pk" : "#pk = :pk AND #sk < :due",
      ExpressionAttributeNames: {
        "#pk": ATTR.byAgencyStatusPk,
        ...(dueBefore === undefined ? {} : { "#sk": ATTR.byAgencyStatusSk }),
      },
      ExpressionAttributeValues: {
        ":pk": partition,
        ...(dueBefore === undefined ? {} : { ":due": dueBefore }),
      },
      Limit: limit,
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
    return {
      // The index projects dossierCode, version and listing of the state item (table-design.ts);
      // only a state item with a listing carries the index keys.
      items: page.items.flatMap((stored) => {
        const item = itemOf(ENTITY.dossierState, stored);
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
