import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Aws, CfnElement, type Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Policy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import {
  ApplicationLogLevel,
  Architecture,
  type DestinationConfig,
  type IDestination,
  type IFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct, type IConstruct } from "constructs";
import { FUNCTION_NAMES, type FunctionName } from "../functions/config.ts";
import type { GradeScale } from "../shared/reports/grades.ts";
import { lambdaBundling } from "./bundling.ts";
import type { StageConfig } from "./config.ts";
import { acknowledge } from "./nag.ts";

/** The repository root: entries are `functions/<name>.ts`, the lock file sits here. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Every Lambda entry, by file name: the functions' own list (functions/config.ts). */
export { FUNCTION_NAMES, type FunctionName };

export function functionEntry(name: FunctionName): string {
  return join(REPO_ROOT, "functions", `${name}.ts`);
}

/** The runtime the handlers are built and tested for (bundling targets node22 to match). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

/** Powertools service name (`dunghan-<function>`) and the metrics namespace of the sweep's lag. */
export const POWERTOOLS_SERVICE_NAME = "dunghan";
export const METRICS_NAMESPACE = "Dunghan";

/** The item-level DynamoDB actions functions/README.md hands out. Never Scan. */
export type ItemAction =
  | "GetItem"
  | "BatchGetItem"
  | "Query"
  | "PutItem"
  | "UpdateItem"
  | "DeleteItem"
  | "ConditionCheckItem";

export interface TableAccess {
  /** Actions on any item of the table ("Query" = Query on the base table). */
  readonly actions?: readonly ItemAction[];
  /**
   * Actions allowed only on items whose partition key matches one of `partitions`
   * (`dynamodb:LeadingKeys`, e.g. `ALERT#*`): a function that only writes alert records cannot
   * write anything else.
   */
  readonly scoped?: ScopedAccess | readonly ScopedAccess[];
  /** Global secondary indexes the function may Query (and nothing else on them). */
  readonly queryIndexes?: readonly string[];
}

export interface ScopedAccess {
  readonly actions: readonly ItemAction[];
  readonly partitions: readonly string[];
}

/**
 * Read/write for one aggregate at a time: what TransactWriteItems needs (IAM authorizes a
 * transaction by the Put/Update/Delete/ConditionCheck actions inside it; there is no
 * `dynamodb:TransactWriteItems` action) plus GetItem and Query on the base table.
 */
export const READ_WRITE: TableAccess = {
  actions: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"],
};

const WRITE_ACTIONS: ReadonlySet<ItemAction> = new Set(["PutItem", "UpdateItem", "DeleteItem"]);

export interface DunghanFunctionProps {
  readonly name: FunctionName;
  readonly description: string;
  readonly config: StageConfig;
  /** Encrypts the function's log group (logs carry dossier codes and citizens' contacts). */
  readonly logKey: IKey;
  readonly timeout: Duration;
  /** MB; arm64 gets CPU in proportion, and 1 GB halves cold starts of a 300 KB bundle. */
  readonly memorySize?: number;
}

/**
 * One dunghan Lambda with the house defaults (nodejs22.x on arm64, ESM bundle with source maps,
 * JSON logs into its own encrypted, retained log group, X-Ray, Powertools env) and a role that
 * holds nothing until a `uses…`/`sendsTo` call sets an env var and grants exactly what that
 * variable is for (functions/README.md is the contract).
 */
export class DunghanFunction extends Construct {
  readonly name: FunctionName;
  readonly lambda: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The log group's name as text (for runbooks; `logGroup.logGroupName` is a token). */
  readonly logGroupName: string;
  readonly timeout: Duration;
  readonly #config: StageConfig;

  constructor(scope: Construct, id: string, props: DunghanFunctionProps) {
    super(scope, id);
    const { config, name } = props;
    this.name = name;
    this.timeout = props.timeout;
    this.#config = config;

    // Our own role, not AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `dunghan ${config.stage} ${name}: the grants functions/README.md lists`,
    });
    this.logGroupName = `/dunghan/${config.stage}/${name}`;
    this.logGroup = new LogGroup(this, "Logs", {
      logGroupName: this.logGroupName,
      retention: config.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);

    this.lambda = new NodejsFunction(this, "Function", {
      entry: functionEntry(name),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // Lambda drops application logs below this level before they are billed; Powertools reads it too.
      applicationLogLevelV2: ApplicationLogLevel[config.logLevel],
      tracing: Tracing.ACTIVE,
      bundling: lambdaBundling(name),
      environment: {
        STAGE: config.stage,
        POWERTOOLS_SERVICE_NAME: `${POWERTOOLS_SERVICE_NAME}-${name}`,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: "--enable-source-maps",
      },
    });

    acknowledge(
      this.#defaultPolicy(),
      "AwsSolutions-IAM5[Resource::*]",
      "Tracing.ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (resource must be *).",
    );
    acknowledge(
      this.lambda.node.defaultChild!,
      "AwsSolutions-L1",
      "Pinned to nodejs22.x on purpose: the handlers are bundled for node22 and tested on Node 20/22; move to nodejs24.x together with the bundling target after the suite runs on Node 24.",
    );
  }

  get functionArn(): string {
    return this.lambda.functionArn;
  }

  /** TABLE_NAME (+ AGENDA_SHARDS when configured) and exactly the listed table/index actions. */
  useTable(table: ITableV2, access: TableAccess): this {
    this.lambda.addEnvironment("TABLE_NAME", table.tableName);
    if (this.#config.agendaShards !== undefined) {
      this.lambda.addEnvironment("AGENDA_SHARDS", String(this.#config.agendaShards));
    }
    const actions = access.actions ?? [];
    if (actions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    const scoped: readonly ScopedAccess[] =
      access.scoped === undefined ? [] : "actions" in access.scoped ? [access.scoped] : access.scoped;
    for (const grant of scoped.filter((g) => g.actions.length > 0)) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: grant.actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          conditions: {
            "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...grant.partitions] },
          },
        }),
      );
    }
    const indexes = access.queryIndexes ?? [];
    if (indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ["dynamodb:Query"],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    if (table.encryptionKey) {
      const writes = [...actions, ...scoped.flatMap((grant) => grant.actions)].some((action) =>
        WRITE_ACTIONS.has(action),
      );
      this.#useKeyVia(table.encryptionKey, "dynamodb", [
        "kms:Decrypt",
        "kms:DescribeKey",
        ...(writes ? ["kms:Encrypt", "kms:GenerateDataKey"] : []),
      ]);
    }
    return this;
  }

  /** REPORT_GRADES (the on-time rate's colour thresholds, as JSON) when the stage sets them; no grant. */
  gradesReportsWith(grades: GradeScale | undefined): this {
    if (grades !== undefined) this.lambda.addEnvironment("REPORT_GRADES", JSON.stringify(grades));
    return this;
  }

  /** `envVar` = the queue URL; sqs:SendMessage on that queue (+ the data key SQS encrypts with). */
  sendsTo(queue: IQueue, envVar: string): this {
    this.lambda.addEnvironment(envVar, queue.queueUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [queue.queueArn] }),
    );
    if (queue.encryptionMasterKey) {
      this.#useKeyVia(queue.encryptionMasterKey, "sqs", ["kms:GenerateDataKey", "kms:Decrypt"]);
    }
    return this;
  }

  /** `envVar` = the bucket name; GetObject and/or PutObject on its objects (+ the bucket's key). */
  usesBucket(bucket: IBucket, envVar: string, access: "read" | "write" | "read-write"): this {
    this.lambda.addEnvironment(envVar, bucket.bucketName);
    const reads = access !== "write";
    const writes = access !== "read";
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...(reads ? ["s3:GetObject"] : []), ...(writes ? ["s3:PutObject"] : [])],
        resources: [bucket.arnForObjects("*")],
      }),
    );
    if (bucket.encryptionKey) {
      // PutObject needs a data key; multipart uploads and GetObject need Decrypt.
      this.#useKeyVia(bucket.encryptionKey, "s3", [
        "kms:Decrypt",
        ...(writes ? ["kms:GenerateDataKey"] : []),
      ]);
    }
    const cfnBucket = bucket.node.defaultChild;
    if (CfnElement.isCfnElement(cfnBucket)) {
      const logicalId = Stack.of(bucket).getLogicalId(cfnBucket);
      acknowledge(
        this.#defaultPolicy(),
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
        `Object actions need an object ARN: ${access} on the objects of this one bucket (letters are keyed by dossier code, unknown at deploy time).`,
      );
    }
    return this;
  }

  /**
   * `envVar` = the bucket name; s3:GetObject on the objects under one key prefix only (+ the
   * bucket's key, to decrypt): a function that reads one kind of document in a shared bucket
   * cannot read the others (the sync reads the procedure catalogue, never the letters).
   */
  readsBucketPrefix(bucket: IBucket, envVar: string, prefix: string): this {
    if (!/^[a-z0-9-]+\/$/.test(prefix))
      throw new Error(`A key prefix is a folder like "catalogue/": "${prefix}"`);
    this.lambda.addEnvironment(envVar, bucket.bucketName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["s3:GetObject"], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    if (bucket.encryptionKey) this.#useKeyVia(bucket.encryptionKey, "s3", ["kms:Decrypt"]);
    const cfnBucket = bucket.node.defaultChild;
    if (CfnElement.isCfnElement(cfnBucket)) {
      const logicalId = Stack.of(bucket).getLogicalId(cfnBucket);
      acknowledge(
        this.#defaultPolicy(),
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
        `Object reads need an object ARN: GetObject on the objects under ${prefix} of this one bucket only (their keys are versions, unknown at deploy time).`,
      );
    }
    return this;
  }

  /**
   * SMS_SENDER_ID; sns:Publish straight to phone numbers. Such a publish has no topic ARN, so the
   * resource must be "*": it is held to this region, in a policy of its own.
   */
  sendsSms(senderId: string): this {
    this.lambda.addEnvironment("SMS_SENDER_ID", senderId);
    const policy = new Policy(this, "SmsPolicy", {
      statements: [
        new PolicyStatement({
          actions: ["sns:Publish"],
          resources: ["*"],
          conditions: { StringEquals: { "aws:RequestedRegion": Aws.REGION } },
        }),
      ],
    });
    policy.attachToRole(this.role);
    acknowledge(
      policy,
      "AwsSolutions-IAM5[Resource::*]",
      "SNS Publish to a phone number (direct SMS) has no resource ARN and must name Resource *; the statement is limited to this region and to sns:Publish.",
    );
    return this;
  }

  /** EMAIL_FROM; ses:SendEmail on the one SES identity, only with that From address. */
  sendsEmail(emailFrom: string, fromAddress: string, identityArn: string): this {
    this.lambda.addEnvironment("EMAIL_FROM", emailFrom);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [identityArn],
        conditions: { StringEquals: { "ses:FromAddress": fromAddress } },
      }),
    );
    return this;
  }

  /** The role's inline policy: acknowledgments go on it, not on the whole role. */
  #defaultPolicy(): IConstruct {
    const policy = this.role.node.tryFindChild("DefaultPolicy");
    if (!policy) throw new Error(`${this.name}: the role has no default policy yet`);
    return policy;
  }

  /** kms actions on one key, only when the named service calls KMS on the function's behalf. */
  #useKeyVia(key: IKey, service: "dynamodb" | "sqs" | "s3", actions: readonly string[]): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [key.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `${service}.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}

/**
 * An on-failure destination for asynchronous invocations (schedules) that grants only
 * sqs:SendMessage, where `SqsDestination` grants the queue key's wildcard actions too.
 */
export class QueueFailureDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }),
    );
    return { destination: this.queue.queueArn };
  }
}

/** A function's construct id from its name: `apply-events` → `ApplyEvents`. */
export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
