import { randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { MessageQueue, QueueMessage } from "../../app/queue.ts";

export interface QueuedMessage extends QueueMessage {
  readonly messageId: string;
}

/**
 * A standard queue in memory (the notify and apology queues locally and in tests): records what
 * was sent and hands it out as SQS events, so the same handlers consume it. `failNext` makes the
 * next sends throw, to test a producer's failure handling.
 */
export class InMemoryQueue implements MessageQueue {
  readonly name: string;
  #messages: QueuedMessage[] = [];
  #failures = 0;
  readonly #sent: QueuedMessage[] = [];

  constructor(name = "local-queue") {
    this.name = name;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new Error(`${this.name}: send refused (test fault)`);
    }
    for (const message of messages) {
      const queued = { ...message, messageId: randomUUID() };
      this.#messages.push(queued);
      this.#sent.push(queued);
    }
  }

  failNext(count = 1): void {
    this.#failures = count;
  }

  /** Messages waiting (sent and not taken). */
  get size(): number {
    return this.#messages.length;
  }

  /** Every message ever sent, taken or not. */
  sent(): readonly QueuedMessage[] {
    return this.#sent;
  }

  /** Takes up to `max` waiting messages as one SQS event (as the event source mapping would). */
  take(max = 10): SQSEvent {
    const batch = this.#messages.splice(0, max);
    return { Records: batch.map((message) => toRecord(message, this.name)) };
  }

  /** Puts messages back at the front (what SQS does with a failed record after its visibility timeout). */
  putBack(messageIds: readonly string[], from: SQSEvent): void {
    const ids = new Set(messageIds);
    const back = from.Records.filter((record) => ids.has(record.messageId)).map(
      (record): QueuedMessage => ({
        messageId: record.messageId,
        body: record.body,
        ...(record.attributes.MessageGroupId === undefined
          ? {}
          : { groupId: record.attributes.MessageGroupId }),
      }),
    );
    this.#messages.unshift(...back);
  }
}

function toRecord(message: QueuedMessage, queue: string): SQSRecord {
  const attributes: SQSRecord["messageAttributes"] = {};
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    attributes[name] = { dataType: "String", stringValue: value };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.messageId,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "LOCAL",
      ApproximateFirstReceiveTimestamp: "0",
      ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
      ...(message.deduplicationId === undefined ? {} : { MessageDeduplicationId: message.deduplicationId }),
    },
    messageAttributes: attributes,
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:ap-southeast-1:000000000000:${queue}`,
    awsRegion: "ap-southeast-1",
  };
}
