import type { MessageQueue, QueueMessage } from "../../app/queue.ts";

/**
 * What the local runtime's in-process FIFO queue (local/runtime/fifo-queue.ts) offers; named
 * structurally so shared/ does not depend on local/. `send` may return a promise: it is awaited
 * (the durable local queue resolves once the message is on disk).
 */
export interface FifoSendTarget {
  send(input: {
    readonly body: string;
    readonly messageGroupId: string;
    readonly messageDeduplicationId?: string;
    readonly messageAttributes?: Readonly<Record<string, string>>;
  }): unknown;
}

/** MessageQueue on the local FIFO queue: the same grouping and deduplication as SQS FIFO. */
export class FifoQueueAdapter implements MessageQueue {
  readonly #queue: FifoSendTarget;

  constructor(queue: FifoSendTarget) {
    this.#queue = queue;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    for (const message of messages) {
      if (message.groupId === undefined) throw new Error("a FIFO queue needs a MessageGroupId");
      await this.#queue.send({
        body: message.body,
        messageGroupId: message.groupId,
        ...(message.deduplicationId === undefined ? {} : { messageDeduplicationId: message.deduplicationId }),
        ...(message.attributes === undefined ? {} : { messageAttributes: message.attributes }),
      });
    }
  }
}
