import { randomUUID } from "node:crypto";
import type { MessageQueue, QueueMessage } from "../../shared/app/queue.ts";
import type { FifoQueue } from "./fifo-queue.ts";

/**
 * A standard SQS queue's behaviour on the in-process queue: every message is its own group (no
 * ordering between messages), with the same retries and dead-letter queue.
 */
export class StandardQueueAdapter implements MessageQueue {
  constructor(private readonly queue: FifoQueue) {}

  async send(messages: readonly QueueMessage[]): Promise<void> {
    for (const message of messages) {
      const id = randomUUID();
      await this.queue.sendDurable({
        body: message.body,
        messageGroupId: id,
        messageDeduplicationId: id,
        ...(message.attributes ? { messageAttributes: message.attributes } : {}),
      });
    }
  }
}
