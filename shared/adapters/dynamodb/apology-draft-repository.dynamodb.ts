import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  type ApologyDraftRecord,
  type ApologyDraftRepository,
  ConcurrencyError,
  MAX_DRAFT_PAGE_SIZE,
  type Page,
  type Versioned,
} from "../../app/ports.ts";
import { InvalidInputError } from "../../errors.ts";
import {
  type DynamoDbAdapterOptions,
  decodeCursor,
  encodeCursor,
  type Item,
  isConditionalCheckFailed,
  plain,
  query,
  queryAll,
} from "./support.ts";
import {
  type ApologyDraftItem,
  ATTR,
  apologiesByAgencyPartition,
  apologyDraftIndexKey,
  ENTITY,
  INDEX,
  itemOf,
  keys,
  SK_PREFIX,
} from "./table-design.ts";

const DEFAULT_DRAFT_PAGE_SIZE = 50;

/**
 * Apology drafts in APOLOGY#<code>, one item per draft, versioned for the approval workflow; each
 * also filed on by-agency-status under its agency and status (table-design.ts), with the draft
 * copied into the projected `listing` attribute.
 */
export class DynamoDbApologyDraftRepository<D extends ApologyDraftRecord = ApologyDraftRecord>
  implements ApologyDraftRepository<D>
{
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async get(dossierCode: string, id: string): Promise<Versioned<D> | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.apologyDraft(dossierCode, id),
        ConsistentRead: true,
      }),
    );
    return this.toVersioned(output.Item);
  }

  async listForDossier(dossierCode: string): Promise<readonly Versioned<D>[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.apologyPartition(dossierCode), ":prefix": SK_PREFIX.draft },
      ConsistentRead: true,
    });
    return items.flatMap((item) => this.toVersioned(item) ?? []);
  }

  async listByAgency(
    agencyId: string,
    status: string,
    options: { readonly limit?: number; readonly cursor?: string } = {},
  ): Promise<Page<Versioned<D>>> {
    const limit = options.limit ?? DEFAULT_DRAFT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DRAFT_PAGE_SIZE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_DRAFT_PAGE_SIZE}`, { limit });
    }
    const partition = apologiesByAgencyPartition(agencyId, status);
    let start: Item | undefined;
    if (options.cursor !== undefined) {
      start = decodeCursor(options.cursor);
      // A cursor is a key of this very partition: one from another listing (another status, another
      // agency) or of another shape is refused here rather than sent to DynamoDB.
      const shape = [ATTR.pk, ATTR.sk, ATTR.byAgencyStatusPk, ATTR.byAgencyStatusSk];
      const names = Object.keys(start);
      if (
        start[ATTR.byAgencyStatusPk] !== partition ||
        names.length !== shape.length ||
        !shape.every((name) => typeof start?.[name] === "string")
      ) {
        throw new InvalidInputError("invalid page cursor");
      }
    }
    const page = await query(this.options, {
      IndexName: INDEX.byAgencyStatus,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": ATTR.byAgencyStatusPk },
      ExpressionAttributeValues: { ":pk": partition },
      Limit: limit,
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
    return {
      // The index projects `listing`, the copy of the draft, not `draft`.
      items: page.items.flatMap((stored) => {
        const item = itemOf(ENTITY.apologyDraft, stored);
        return item === undefined ? [] : [{ value: item.listing as D, version: item.version }];
      }),
      cursor: encodeCursor(page.lastKey),
    };
  }

  async save(draft: D, expectedVersion: number | undefined): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    const stored = plain(draft);
    const item: ApologyDraftItem<D> = {
      ...keys.apologyDraft(draft.dossierCode, draft.id),
      // A whole-item Put: the index keys always follow the status being saved.
      ...apologyDraftIndexKey(draft),
      entity: ENTITY.apologyDraft,
      dossierCode: draft.dossierCode,
      draftId: draft.id,
      status: draft.status,
      version,
      draft: stored,
      listing: stored,
    };
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.design.tableName,
          Item: item,
          ...(expectedVersion === undefined
            ? { ConditionExpression: `attribute_not_exists(${ATTR.pk})` }
            : {
                ConditionExpression: "#version = :expected",
                ExpressionAttributeNames: { "#version": "version" },
                ExpressionAttributeValues: { ":expected": expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new ConcurrencyError(
        expectedVersion === undefined
          ? `apology draft ${draft.id} of dossier ${draft.dossierCode} already exists`
          : `apology draft ${draft.id} of dossier ${draft.dossierCode} changed since version ${expectedVersion}`,
        {
          reason: "stale-version",
          dossierCode: draft.dossierCode,
          apologyId: draft.id,
          expectedVersion: expectedVersion ?? null,
        },
      );
    }
    return version;
  }

  /** The payload is what `save` wrote from D. */
  private toVersioned(stored: Item | undefined): Versioned<D> | undefined {
    const item = itemOf(ENTITY.apologyDraft, stored);
    return item === undefined ? undefined : { value: item.draft as D, version: item.version };
  }
}
