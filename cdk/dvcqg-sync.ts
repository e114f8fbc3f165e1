import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import type { StageConfig } from "./config.ts";
import type { DunghanData } from "./data.ts";
import { DunghanFunction, type TableAccess } from "./dunghan-function.ts";
import type { DunghanMessaging } from "./messaging.ts";

/**
 * How long a sender's raw payload is kept: long enough to replay a quarter's dossiers after a
 * mapping fix, short enough that the citizens' contacts in it do not outlive their use
 * (NĐ 13/2023/NĐ-CP, Art. 3: data kept no longer than its purpose needs). docs/integration.md.
 */
export const SYNC_PAYLOAD_RETENTION = Duration.days(90);

export interface DvcqgSyncProps {
  readonly config: StageConfig;
  readonly removalPolicy: RemovalPolicy;
  readonly data: DunghanData;
  readonly messaging: DunghanMessaging;
}

/**
 * The national sync payload's receiving edge: the sync-api function (behind the HTTP API's
 * `/sync/dvcqg…` routes, StaffApi adds them) and the bucket of raw payloads (KMS with the data
 * key, expiring after SYNC_PAYLOAD_RETENTION). Created in the given scope, like the stack's other
 * groups (cdk/data.ts explains why).
 */
export class DvcqgSync {
  readonly fn: DunghanFunction;
  readonly payloads: Bucket;

  constructor(scope: Construct, props: DvcqgSyncProps) {
    const { config, removalPolicy, data, messaging } = props;
    this.payloads = new Bucket(scope, "SyncPayloads", {
      encryption: BucketEncryption.KMS,
      encryptionKey: data.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: data.accessLogs,
      serverAccessLogsPrefix: "sync-payloads/",
      lifecycleRules: [
        { expiration: SYNC_PAYLOAD_RETENTION },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });
    this.fn = new DunghanFunction(scope, "SyncApi", {
      name: "sync-api",
      description: "POST /sync/dvcqg…: a one-stop system's national sync payload, mapped to dossier events",
      config,
      logKey: data.dataKey,
      // A catch-up burst's request maps and stores up to its batch: API Gateway waits 30 s at most.
      timeout: Duration.seconds(29),
      memorySize: 1024,
    });
    this.fn
      .useTable(data.table, SYNC_TABLE_ACCESS)
      .usesBucket(this.payloads, "SYNC_PAYLOADS_BUCKET", "write")
      .sendsTo(messaging.events.queue, "EVENTS_QUEUE_URL");
  }
}

/**
 * Only the partitions the sync reads: the sender (SYNC-SENDER), the dossiers it compares with
 * (DOSSIER#…: one Query each) and the calendar (CALENDAR), read-only; and its own ledger
 * (SYNC-LEDGER#…: what it queued per dossier, shared/app/sync-ledger.ts), read and written. The
 * events go through the events queue, like `POST /events`.
 */
export const SYNC_TABLE_ACCESS: TableAccess = {
  scoped: [
    { actions: ["GetItem", "Query"], partitions: ["SYNC-SENDER", "DOSSIER#*", "CALENDAR"] },
    { actions: ["GetItem", "PutItem"], partitions: ["SYNC-LEDGER#*"] },
  ],
};
