/**
 * The queues the use cases send to: the events FIFO queue (and its dead-letter queue), the notify
 * and apology queues. Adapters: SQS (shared/adapters/sqs/sqs-message-queue.ts), the local
 * in-process FIFO queue, an in-memory queue for tests.
 */

export interface QueueMessage {
  readonly body: string;
  /** FIFO queues only: messages of a group are delivered in order, one at a time. */
  readonly groupId?: string;
  /** FIFO queues only: a second send with the same id within 5 minutes is dropped by SQS. */
  readonly deduplicationId?: string;
  /** String message attributes (the DLQ's `reason` and `errorCode`). Never personal data. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface MessageQueue {
  /** Sends every message or throws; a throw may leave some sent (callers' messages are idempotent). */
  send(messages: readonly QueueMessage[]): Promise<void>;
}

/** Some messages of a send were refused; `failed` counts them. Retrying the whole send is safe. */
export class QueueSendError extends Error {
  constructor(
    message: string,
    readonly failed: number,
    readonly codes: readonly string[],
  ) {
    super(message);
    this.name = "QueueSendError";
  }
}
