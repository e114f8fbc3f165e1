import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { BatchResult, QueueRecord } from "../shared/app/batch.ts";

/**
 * The Lambda entry of a function: built from the environment at cold start in Lambda (so a
 * missing variable fails the init, once), on first call elsewhere (importing a function module
 * in a test or the local runtime reads no environment).
 */
export function lambdaEntry<E, C, R>(
  build: () => (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  let handler = process.env.AWS_LAMBDA_FUNCTION_NAME === undefined ? undefined : build();
  return (event, context) => {
    handler ??= build();
    return handler(event, context);
  };
}

export function queueRecords(event: SQSEvent): QueueRecord[] {
  return event.Records.map((record) => ({
    messageId: record.messageId,
    body: record.body,
    groupId: record.attributes.MessageGroupId,
  }));
}

/** Lambda's partial batch response (the event source mapping has ReportBatchItemFailures). */
export function batchResponse(result: BatchResult): SQSBatchResponse {
  return { batchItemFailures: result.failures.map((failure) => ({ itemIdentifier: failure.messageId })) };
}
