import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { ApologyDraftRecord, ApologyDraftRepository, Versioned } from "../../app/ports.ts";
import { ConcurrencyError } from "../../app/ports.ts";
import {
  type DynamoDbAdapterOptions,
  type Item,
  isConditionalCheckFailed,
  plain,
  queryAll,
} from "./support.ts";
import { ATTR, ENTITY, keys, SK_PREFIX } from "./table-design.ts";

/** Apology drafts in APOLOGY#<code>, one item per draft, versioned for the approval workflow. */
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
    return output.Item === undefined ? undefined : this.toVersioned(output.Item);
  }

  async listForDossier(dossierCode: string): Promise<readonly Versioned<D>[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.apologyPartition(dossierCode), ":prefix": SK_PREFIX.draft },
      ConsistentRead: true,
    });
    return items.map((item) => this.toVersioned(item));
  }

  async save(draft: D, expectedVersion: number | undefined): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.design.tableName,
          Item: {
            ...keys.apologyDraft(draft.dossierCode, draft.id),
            [ATTR.entity]: ENTITY.apologyDraft,
            dossierCode: draft.dossierCode,
            draftId: draft.id,
            status: draft.status,
            version,
            draft: plain(draft),
          },
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

  private toVersioned(item: Item): Versioned<D> {
    return { value: item.draft as D, version: item.version as number };
  }
}
