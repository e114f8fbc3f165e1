import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AnnouncementRecord, CalendarRepository } from "../../app/ports.ts";
import { type DynamoDbAdapterOptions, plain, queryAll } from "./support.ts";
import { ATTR, type CalendarAnnouncementItem, ENTITY, itemOf, keys, SK_PREFIX } from "./table-design.ts";

/**
 * The yearly days-off announcements (docs/calendar.md: a new year is a data change), one item per
 * year in the CALENDAR partition: a handful of small items, read whole at start-up.
 */
export class DynamoDbCalendarRepository<C extends AnnouncementRecord = AnnouncementRecord>
  implements CalendarRepository<C>
{
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async get(year: number): Promise<C | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.calendarAnnouncement(year),
        ConsistentRead: true,
      }),
    );
    // The payload is what `put` wrote from C.
    return itemOf(ENTITY.calendarAnnouncement, output.Item)?.announcement as C | undefined;
  }

  async put(announcement: C): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.design.tableName,
        Item: {
          ...keys.calendarAnnouncement(announcement.year),
          entity: ENTITY.calendarAnnouncement,
          year: announcement.year,
          announcement: plain(announcement),
        } satisfies CalendarAnnouncementItem<C>,
      }),
    );
  }

  async list(): Promise<readonly C[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.calendarPartition(), ":prefix": SK_PREFIX.announcement },
      ConsistentRead: true,
    });
    return items.flatMap((stored) => {
      const item = itemOf(ENTITY.calendarAnnouncement, stored);
      return item === undefined ? [] : [item.announcement as C];
    });
  }
}
