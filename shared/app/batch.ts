/**
 * Partial batch responses for SQS-triggered use cases (Lambda `ReportBatchItemFailures`): a
 * failed record is retried by SQS, the others are deleted.
 */
export interface QueueRecord {
  readonly messageId: string;
  readonly body: string;
  /** MessageGroupId on a FIFO queue; undefined on a standard queue. */
  readonly groupId: string | undefined;
}

export interface RecordFailure {
  readonly messageId: string;
  /** Safe to log: an error name and message, never the body. */
  readonly reason: string;
}

export interface BatchResult {
  readonly failures: readonly RecordFailure[];
}

/**
 * Standard queue: every record on its own, all at once; a throw fails that record only.
 */
export async function processEach<R extends QueueRecord>(
  records: readonly R[],
  handle: (record: R) => Promise<unknown>,
): Promise<BatchResult> {
  const settled = await Promise.allSettled(records.map((record) => handle(record)));
  const failures: RecordFailure[] = [];
  settled.forEach((result, i) => {
    if (result.status === "rejected")
      failures.push({ messageId: records[i]!.messageId, reason: describe(result.reason) });
  });
  return { failures };
}

/**
 * FIFO queue: groups side by side, each group's records in order. When a record fails, it and
 * every later record of its group are reported failed without being processed — SQS then
 * redelivers them in order, and a later event is never applied before an earlier one (the FIFO
 * partial-batch rule in the Lambda developer guide, "Using Lambda with Amazon SQS").
 */
export async function processFifo<R extends QueueRecord>(
  records: readonly R[],
  handle: (record: R) => Promise<unknown>,
): Promise<BatchResult> {
  const groups = new Map<string, R[]>();
  for (const record of records) {
    // A record without a group (not a FIFO message) is its own group.
    const key = record.groupId ?? `\u0000${record.messageId}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const failed = new Map<string, string>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (let i = 0; i < group.length; i++) {
        try {
          await handle(group[i]!);
        } catch (error) {
          const reason = describe(error);
          failed.set(group[i]!.messageId, reason);
          for (const later of group.slice(i + 1))
            failed.set(later.messageId, `after ${group[i]!.messageId} failed`);
          return;
        }
      }
    }),
  );
  // In the batch's order, as SQS lists them.
  return {
    failures: records
      .filter((record) => failed.has(record.messageId))
      .map((record) => ({ messageId: record.messageId, reason: failed.get(record.messageId)! })),
  };
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === "string" ? ` (${code})` : ""}: ${error.message}`;
  }
  return String(error);
}
