import { Aws, Duration, type RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { type KeyAttribute, tableDefinition, tableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import type { StageConfig } from "./config.ts";

/** The table description from the one table design (docs/architecture.md); CloudFormation names the table. */
export const TABLE_DEFINITION = tableDefinition(tableDesign({ tableName: "dunghan" }));

export interface DunghanDataProps {
  readonly config: StageConfig;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Everything that holds data: the two customer-managed keys, the one DynamoDB table, the letters
 * bucket and the S3 access-log bucket.
 *
 * Like the other parts of the stack (DunghanMessaging, DunghanWorkers, StaffApi) this is a group
 * of resources, not a level of the construct tree: its resources are created in the scope it is
 * given (the stack), with the ids they always had. CloudFormation's logical IDs come from
 * construct paths, and a new `Data/` level would rename the table and the keys — which
 * CloudFormation would do by creating new ones and deleting the old (the dossiers with them).
 */
export class DunghanData {
  /** Table, queues, letters and logs: citizens' data. */
  readonly dataKey: Key;
  /** The alarm topic's key, which CloudWatch may use: that grant stays off the data key. */
  readonly alarmKey: Key;
  readonly table: TableV2;
  /** S3 server access logs (of the letters bucket and the dashboard's buckets). */
  readonly accessLogs: Bucket;
  readonly letters: Bucket;

  constructor(scope: Construct, props: DunghanDataProps) {
    const { config, removalPolicy } = props;

    // ---- Keys ---------------------------------------------------------------------------------
    // One customer-managed key for everything that holds citizens' data (table, queues, letters,
    // logs): the province controls and audits every use of it in CloudTrail and can revoke it.
    this.dataKey = new Key(scope, "DataKey", {
      description: `dunghan ${config.stage}: dossiers, queues, letters and logs`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    this.dataKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // A second key for the alarm topic, which CloudWatch must be able to use: that grant stays
    // off the data key.
    this.alarmKey = new Key(scope, "AlarmKey", {
      description: `dunghan ${config.stage}: alarm notifications`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
    );

    // ---- Table --------------------------------------------------------------------------------
    const def = TABLE_DEFINITION;
    this.table = new TableV2(scope, "Table", {
      partitionKey: attribute(def.partitionKey),
      sortKey: attribute(def.sortKey),
      billing: Billing.onDemand(),
      timeToLiveAttribute: def.timeToLiveAttribute,
      globalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: PROJECTION[index.projectionType],
        ...(index.nonKeyAttributes ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      encryption: TableEncryptionV2.customerManagedKey(this.dataKey),
      deletionProtection: config.retainData,
      removalPolicy,
    });

    // ---- Buckets ------------------------------------------------------------------------------
    // S3 server access logs cannot be written to an SSE-KMS bucket: SSE-S3 here.
    this.accessLogs = new Bucket(scope, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: config.accessLogsExpireAfter }],
      removalPolicy,
    });
    this.letters = new Bucket(scope, "Letters", {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      // One data key per bucket rather than a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "letters/",
      lifecycleRules: [
        { noncurrentVersionExpiration: config.letterNoncurrentVersionsExpireAfter },
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
    });
  }
}

const PROJECTION = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
} as const;

const ATTRIBUTE_TYPE = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

function attribute(key: KeyAttribute): { name: string; type: AttributeType } {
  return { name: key.name, type: ATTRIBUTE_TYPE[key.type] };
}
