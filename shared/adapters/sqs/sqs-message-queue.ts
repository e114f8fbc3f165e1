import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type MessageQueue, type QueueMessage, QueueSendError } from "../../app/queue.ts";

export interface SqsMessageQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** SendMessageBatch takes at most 10 entries (SQS quotas). */
const BATCH = 10;
/** Entries the service refused for now are sent again this many times before giving up. */
const ATTEMPTS = 3;

/**
 * MessageQueue on Amazon SQS (standard or FIFO: a message with `groupId` is sent with
 * MessageGroupId and MessageDeduplicationId). Entries SQS could not take are retried a few times;
 * any left are reported with their error codes, never with the body.
 */
export class SqsMessageQueue implements MessageQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsMessageQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    const chunks: QueueMessage[][] = [];
    for (let i = 0; i < messages.length; i += BATCH) chunks.push(messages.slice(i, i + BATCH));
    await Promise.all(chunks.map((chunk) => this.#sendBatch(chunk)));
  }

  async #sendBatch(messages: readonly QueueMessage[]): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = messages.map((message, i) => toEntry(message, i));
    let codes: string[] = [];
    for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt++) {
      const output = await this.#client.send(
        new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: pending }),
      );
      const failed = output.Failed ?? [];
      // A sender fault (bad entry) will not succeed on a retry: stop at once.
      if (failed.some((entry) => entry.SenderFault)) {
        codes = failed.map((entry) => entry.Code ?? "unknown");
        break;
      }
      const ids = new Set(failed.map((entry) => entry.Id));
      pending = pending.filter((entry) => ids.has(entry.Id));
      codes = failed.map((entry) => entry.Code ?? "unknown");
    }
    if (codes.length > 0 && pending.length > 0) {
      throw new QueueSendError(
        `SQS refused ${pending.length} message(s): ${[...new Set(codes)].join(", ")}`,
        pending.length,
        codes,
      );
    }
  }
}

function toEntry(message: QueueMessage, index: number): SendMessageBatchRequestEntry {
  return {
    Id: String(index),
    MessageBody: message.body,
    ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
    ...(message.deduplicationId === undefined ? {} : { MessageDeduplicationId: message.deduplicationId }),
    ...(message.attributes === undefined
      ? {}
      : {
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              { DataType: "String", StringValue: value },
            ]),
          ),
        }),
  };
}
