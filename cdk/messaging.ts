import { Duration } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { acknowledge } from "./nag.ts";

/** AWS: a queue's visibility timeout should be at least six times its consumer's timeout (+ batching window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

const MAX_RECEIVE_COUNT = 5;

export interface QueueWithDlq {
  readonly queue: Queue;
  readonly dlq: Queue;
  /** How long the consumer's event source gathers a batch (it counts in the visibility timeout). */
  readonly batchingWindow: Duration | undefined;
}

export interface DunghanMessagingProps {
  /** The data key: messages carry citizens' names and contacts. */
  readonly key: IKey;
  /** The timeout of each queue's consumer function: the visibility timeouts follow from them. */
  readonly consumerTimeouts: Readonly<Record<"events" | "notify" | "apology", Duration>>;
}

/**
 * The three work queues, each with its dead-letter queue, and the schedules' dead-letter queue.
 * A group of resources created in the given scope (the stack) with their old ids, not a construct
 * level: see DunghanData for why.
 */
export class DunghanMessaging {
  /** FIFO, one message group per dossier: ingest-api → apply-events. */
  readonly events: QueueWithDlq;
  /** sweep and digest → notify. */
  readonly notify: QueueWithDlq;
  /** sweep → apology. */
  readonly apology: QueueWithDlq;
  /** Of the EventBridge Scheduler targets and of the digest's async invocations. */
  readonly scheduleDlq: Queue;

  constructor(scope: Construct, props: DunghanMessagingProps) {
    const { key, consumerTimeouts } = props;
    this.events = queueWithDlq(scope, "Events", {
      key,
      consumerTimeout: consumerTimeouts.events,
      fifo: true,
      retentionPeriod: Duration.days(7),
    });
    this.notify = queueWithDlq(scope, "Notify", {
      key,
      consumerTimeout: consumerTimeouts.notify,
      batchingWindow: Duration.seconds(2),
      retentionPeriod: Duration.days(4),
    });
    this.apology = queueWithDlq(scope, "Apology", {
      key,
      consumerTimeout: consumerTimeouts.apology,
      retentionPeriod: Duration.days(4),
    });
    // Carries only schedule invocation envelopes (no personal data): SQS-managed SSE keeps the
    // failure path free of any KMS key-policy dependency for EventBridge Scheduler and Lambda.
    this.scheduleDlq = new Queue(scope, "ScheduleDlq", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.scheduleDlq.node.defaultChild!,
      "AwsSolutions-SQS3",
      "This queue is itself a dead-letter queue: of the EventBridge Scheduler targets and of the digest's async invocations (cdk-nag only recognises queue and Lambda DLQ wiring).",
    );
  }
}

/**
 * A work queue and its dead-letter queue, encrypted with the data key (messages carry citizens'
 * names and contacts), TLS only. Visibility ≥ 6 × the consumer's timeout + batching window, so a
 * message being worked on (with Lambda's retries on throttling) is not handed out twice.
 */
function queueWithDlq(
  scope: Construct,
  id: string,
  props: {
    key: IKey;
    consumerTimeout: Duration;
    fifo?: boolean;
    batchingWindow?: Duration;
    retentionPeriod: Duration;
  },
): QueueWithDlq {
  const fifo = props.fifo ?? false;
  const encrypted = {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    enforceSSL: true,
  } as const;
  const dlq = new Queue(scope, `${id}Dlq`, {
    ...encrypted,
    ...(fifo ? { fifo: true } : {}),
    // The longest SQS keeps anything: time to find the cause before redriving.
    retentionPeriod: Duration.days(14),
  });
  const visibility =
    VISIBILITY_TIMEOUT_FACTOR * props.consumerTimeout.toSeconds() + (props.batchingWindow?.toSeconds() ?? 0);
  const queue = new Queue(scope, `${id}Queue`, {
    ...encrypted,
    ...(fifo
      ? {
          fifo: true,
          // The ingest sets MessageDeduplicationId = event id: two different events with the same
          // body must both arrive, and one event sent twice must not.
          contentBasedDeduplication: false,
          // High-throughput FIFO: dedupe and quotas per message group (one group per dossier).
          deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
          fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
        }
      : {}),
    visibilityTimeout: Duration.seconds(visibility),
    retentionPeriod: props.retentionPeriod,
    deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
  });
  return { queue, dlq, batchingWindow: props.batchingWindow };
}
