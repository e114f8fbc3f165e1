import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AgencyDirectory, DirectoryRepository } from "../../app/directory.ts";
import { type DynamoDbAdapterOptions, plain, queryAll } from "./support.ts";
import { type AgencyDirectoryItem, ATTR, ENTITY, itemOf, keys, SK_PREFIX } from "./table-design.ts";

/**
 * Agency directories (units, leaders, staff contacts), one item per agency in the DIRECTORY
 * partition. An item holds at most 400 KB: about 2,000 people with their contacts.
 */
export class DynamoDbDirectoryRepository implements DirectoryRepository {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async get(agencyId: string): Promise<AgencyDirectory | undefined> {
    const output = await this.options.client.send(
      new GetCommand({ TableName: this.options.design.tableName, Key: keys.agencyDirectory(agencyId) }),
    );
    // The payload is what `put` wrote.
    return itemOf(ENTITY.agencyDirectory, output.Item)?.directory as AgencyDirectory | undefined;
  }

  async list(): Promise<readonly AgencyDirectory[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.directoryPartition(), ":prefix": SK_PREFIX.agency },
    });
    return items.flatMap((stored) => {
      const item = itemOf(ENTITY.agencyDirectory, stored);
      return item === undefined ? [] : [item.directory as AgencyDirectory];
    });
  }

  async put(directory: AgencyDirectory): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.design.tableName,
        Item: {
          ...keys.agencyDirectory(directory.agencyId),
          entity: ENTITY.agencyDirectory,
          agencyId: directory.agencyId,
          directory: plain(directory),
        } satisfies AgencyDirectoryItem<AgencyDirectory>,
      }),
    );
  }
}
