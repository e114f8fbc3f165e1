import {
  Aws,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  TimeZone,
} from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer, HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolEmail,
} from "aws-cdk-lib/aws-cognito";
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  INDEX,
  type KeyAttribute,
  keys,
  tableDefinition,
  tableDesign,
} from "../shared/adapters/dynamodb/table-design.ts";
import { DunghanAlarms } from "./alarms.ts";
import { HUMAN_ROUTES, INGEST_ROUTE, USER_GROUPS } from "./api-routes.ts";
import type { StageConfig } from "./config.ts";
import { DashboardSite } from "./dashboard-site.ts";
import { DunghanFunction, QueueFailureDestination, READ_WRITE } from "./dunghan-function.ts";
import { acknowledge } from "./nag.ts";

export interface DunghanStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The schedules of functions/README.md, in Asia/Ho_Chi_Minh. */
export const SCHEDULES = {
  /** Every minute, on the minute (a cron, so the time zone is real and runs align with hh:mm:00). */
  sweep: "cron(* * * * ? *)",
  /** 07:30 Monday to Saturday; the digest itself skips days off and keeps làm bù Saturdays. */
  digest: "cron(30 7 ? * MON-SAT *)",
} as const;
export const SCHEDULE_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;

/** The table description from the one table design (STYLE.md §5); CloudFormation names the table. */
export const TABLE_DEFINITION = tableDefinition(tableDesign({ tableName: "dunghan" }));

/** AWS: a queue's visibility timeout should be at least six times its consumer's timeout (+ batching window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

const MAX_RECEIVE_COUNT = 5;

/** The local stack's dashboard (`npm start`), registered with Cognito only with `dashboardLocalCallbacks`. */
export const LOCAL_DASHBOARD_URL = "http://localhost:3000/dashboard/";

/**
 * dunghan as a province deploys it: one DynamoDB table, seven functions, three queues (each with
 * a DLQ), two schedules, an HTTP API behind IAM and Cognito, a letters bucket, the leaders'
 * dashboard (S3 + CloudFront, Cognito managed login), and the alarms.
 */
export class DunghanStack extends Stack {
  readonly config: StageConfig;
  readonly functions: Record<
    "ingestApi" | "applyEvents" | "sweep" | "digest" | "notify" | "apology" | "api",
    DunghanFunction
  >;

  constructor(scope: Construct, id: string, props: DunghanStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    Tags.of(this).add("app", "dunghan");
    Tags.of(this).add("stage", config.stage);

    // ---- Keys ---------------------------------------------------------------------------------
    // One customer-managed key for everything that holds citizens' data (table, queues, letters,
    // logs): the province controls and audits every use of it in CloudTrail and can revoke it.
    const dataKey = new Key(this, "DataKey", {
      description: `dunghan ${config.stage}: dossiers, queues, letters and logs`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    dataKey.addToResourcePolicy(
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
    const alarmKey = new Key(this, "AlarmKey", {
      description: `dunghan ${config.stage}: alarm notifications`,
      enableKeyRotation: true,
      removalPolicy,
    });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
    );

    // ---- Table --------------------------------------------------------------------------------
    const def = TABLE_DEFINITION;
    const table = new TableV2(this, "Table", {
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
      encryption: TableEncryptionV2.customerManagedKey(dataKey),
      deletionProtection: config.retainData,
      removalPolicy,
    });

    // ---- Buckets ------------------------------------------------------------------------------
    // S3 server access logs cannot be written to an SSE-KMS bucket: SSE-S3 here.
    const accessLogs = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: config.accessLogsExpireAfter }],
      removalPolicy,
    });
    const letters = new Bucket(this, "Letters", {
      encryption: BucketEncryption.KMS,
      encryptionKey: dataKey,
      // One data key per bucket rather than a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "letters/",
      lifecycleRules: [
        { noncurrentVersionExpiration: config.letterNoncurrentVersionsExpireAfter },
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
    });

    // ---- Functions ----------------------------------------------------------------------------
    const fn = (
      name: DunghanFunction["name"],
      description: string,
      timeout: Duration,
      memorySize?: number,
    ): DunghanFunction =>
      new DunghanFunction(this, pascal(name), {
        name,
        description,
        config,
        logKey: dataKey,
        timeout,
        ...(memorySize ? { memorySize } : {}),
      });
    const f = {
      ingestApi: fn(
        "ingest-api",
        "POST /events: validate and enqueue on the events FIFO queue",
        Duration.seconds(10),
      ),
      applyEvents: fn(
        "apply-events",
        "Apply dossier events (SQS FIFO, grouped by dossier code)",
        Duration.seconds(30),
      ),
      // Must finish before the next minute's run starts.
      sweep: fn("sweep", "Every minute: send due alerts from the agenda", Duration.seconds(50), 1024),
      digest: fn("digest", "07:30 working days: leaders' digest", Duration.minutes(5), 1024),
      notify: fn("notify", "Deliver alerts by SMS and e-mail", Duration.seconds(30)),
      apology: fn("apology", "Draft apology letters into the letters bucket", Duration.seconds(60), 1024),
      api: fn("api", "Dashboard API (Cognito users)", Duration.seconds(15), 1024),
    };
    this.functions = f;

    // ---- Queues -------------------------------------------------------------------------------
    const events = queueWithDlq(this, "Events", {
      key: dataKey,
      consumer: f.applyEvents,
      fifo: true,
      retentionPeriod: Duration.days(7),
    });
    const notify = queueWithDlq(this, "Notify", {
      key: dataKey,
      consumer: f.notify,
      batchingWindow: Duration.seconds(2),
      retentionPeriod: Duration.days(4),
    });
    const apology = queueWithDlq(this, "Apology", {
      key: dataKey,
      consumer: f.apology,
      retentionPeriod: Duration.days(4),
    });
    // Carries only schedule invocation envelopes (no personal data): SQS-managed SSE keeps the
    // failure path free of any KMS key-policy dependency for EventBridge Scheduler and Lambda.
    const scheduleDlq = new Queue(this, "ScheduleDlq", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      scheduleDlq.node.defaultChild!,
      "AwsSolutions-SQS3",
      "This queue is itself a dead-letter queue: of the EventBridge Scheduler targets and of the digest's async invocations (cdk-nag only recognises queue and Lambda DLQ wiring).",
    );

    // ---- Grants: functions/README.md, one call per env var -------------------------------------
    // Alert records are the only items the digest writes (partition ALERT#<dedupe key>); notify
    // also updates agenda entries (DOSSIER#<code>) to hold an SMS for the quiet hours.
    const alertRecords = [keys.alertRecord("*").pk];
    f.ingestApi.sendsTo(events.queue, "EVENTS_QUEUE_URL");
    f.applyEvents
      // Lists the open dossiers by agency and status after a calendar change.
      .useTable(table, { ...READ_WRITE, queryIndexes: [INDEX.byAgencyStatus] })
      // Fans a calendar change out as re-evaluations (shared/app/calendar-reevaluation.ts).
      .sendsTo(events.queue, "EVENTS_QUEUE_URL")
      // Poison events go straight to the DLQ with their reason (shared/app/apply-events.ts).
      .sendsTo(events.dlq, "EVENTS_DLQ_URL");
    f.sweep
      .useTable(table, {
        actions: ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"],
        queryIndexes: [INDEX.agenda],
      })
      .sendsTo(notify.queue, "NOTIFY_QUEUE_URL")
      .sendsTo(apology.queue, "APOLOGY_QUEUE_URL");
    f.digest
      .useTable(table, {
        // Loads overdue dossiers, the calendar and the directories (Query on their partitions).
        actions: ["Query"],
        // Claims each digest once and records it as queued.
        scoped: { actions: ["PutItem", "UpdateItem"], partitions: alertRecords },
        queryIndexes: [INDEX.byAgencyStatus],
      })
      .sendsTo(notify.queue, "NOTIFY_QUEUE_URL");
    f.notify
      .useTable(table, {
        // Reads the alert, the dossier, the calendar and the directory at send time.
        actions: ["GetItem", "Query"],
        // Records deliveries; puts an SMS held for the quiet hours back on its dossier's agenda.
        scoped: { actions: ["UpdateItem"], partitions: [...alertRecords, keys.dossierPartition("*")] },
      })
      .sendsSms(config.messaging.smsSenderId)
      .sendsEmail(config.messaging.emailFrom, config.messaging.emailFromAddress, this.sesIdentityArn());
    f.apology.useTable(table, READ_WRITE).usesBucket(letters, "LETTERS_BUCKET", "write");
    f.api
      .useTable(table, { ...READ_WRITE, queryIndexes: [INDEX.byAgencyStatus] })
      .usesBucket(letters, "LETTERS_BUCKET", "read-write")
      .sendsTo(events.queue, "EVENTS_QUEUE_URL")
      .gradesReportsWith(config.reportGrades);

    // ---- Triggers -----------------------------------------------------------------------------
    f.applyEvents.lambda.addEventSource(
      new SqsEventSource(events.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: config.consumerConcurrency.applyEvents,
      }),
    );
    f.notify.lambda.addEventSource(
      new SqsEventSource(notify.queue, {
        batchSize: 10,
        maxBatchingWindow: notify.batchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: config.consumerConcurrency.notify,
      }),
    );
    f.apology.lambda.addEventSource(
      new SqsEventSource(apology.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: config.consumerConcurrency.apology,
      }),
    );

    // A sweep that failed is not retried: the next minute's sweep does its work.
    f.sweep.lambda.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    // A digest is worth retrying within the morning; one that still fails lands in the DLQ.
    f.digest.lambda.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new QueueFailureDestination(scheduleDlq),
    });

    const scheduleGroup = new ScheduleGroup(this, "Schedules", { removalPolicy });
    const schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": scheduleGroup.scheduleGroupArn },
        },
      }),
      description: `dunghan ${config.stage}: EventBridge Scheduler invokes sweep and digest`,
    });
    const schedule = (
      name: "sweep" | "digest",
      target: DunghanFunction,
      retry: { attempts: number; maxEventAge: Duration },
    ): Schedule =>
      new Schedule(this, `${pascal(name)}Schedule`, {
        scheduleGroup,
        description: `dunghan ${config.stage} ${name} (${SCHEDULES[name]} ${SCHEDULE_TIME_ZONE.timezoneName})`,
        schedule: ScheduleExpression.expression(SCHEDULES[name], SCHEDULE_TIME_ZONE),
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(target.lambda, {
          role: schedulerRole,
          deadLetterQueue: scheduleDlq,
          retryAttempts: retry.attempts,
          maxEventAge: retry.maxEventAge,
          input: ScheduleTargetInput.fromObject({
            schedule: name,
            scheduledTime: ContextAttribute.scheduledTime,
            executionId: ContextAttribute.executionId,
          }),
        }),
      });
    // Scheduler retries only failed invocations (throttling, service errors), not function errors.
    schedule("sweep", f.sweep, { attempts: 2, maxEventAge: Duration.minutes(2) });
    schedule("digest", f.digest, { attempts: 10, maxEventAge: Duration.hours(2) });
    for (const target of [f.sweep, f.digest]) {
      acknowledge(
        schedulerRole.node.findChild("DefaultPolicy"),
        `AwsSolutions-IAM5[Resource::<${this.getLogicalId(target.lambda.node.defaultChild as CfnElement)}.Arn>:*]`,
        `LambdaInvoke grants lambda:InvokeFunction on the ${target.name} function and its versions/aliases (ARN:*); no other function.`,
      );
    }

    // ---- Users --------------------------------------------------------------------------------
    const userPool = new UserPool(this, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Every read and write is scoped to it; an official who moves agency gets a new account.
      customAttributes: {
        agencyId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        // The official's id in the province's one-stop system (the `handler.id` its events carry):
        // how the dashboard finds "my dossiers". Mutable: set when the account is linked.
        staffId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Officials see citizens' personal data (NĐ 13/2023/NĐ-CP) and sign apologies: MFA is
      // required, with an authenticator app (TOTP) — no SMS cost and no SIM-swap exposure.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection (compromised credentials, risky sign-ins blocked).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: config.retainData,
      removalPolicy,
      ...(config.cognitoEmailViaSes ? { email: this.cognitoEmail() } : {}),
    });
    // Lower precedence wins when a user is in several groups: admin, then leader, then handler.
    for (const [index, group] of USER_GROUPS.entries()) {
      userPool.addGroup(pascal(group), {
        groupName: group,
        precedence: (USER_GROUPS.length - index) * 10,
        description: `dunghan ${group}`,
      });
    }
    // ---- HTTP API -----------------------------------------------------------------------------
    const api = new HttpApi(this, "HttpApi", {
      description: `dunghan ${config.stage}`,
      createDefaultStage: false,
      ...(config.dashboardOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.dashboardOrigins],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PUT,
                CorsHttpMethod.PATCH,
              ],
              allowHeaders: ["authorization", "content-type"],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogGroup = new LogGroup(this, "ApiAccessLogs", {
      logGroupName: `/dunghan/${config.stage}/api-access`,
      retention: config.logRetention,
      encryptionKey: dataKey,
      removalPolicy,
    });
    new HttpStage(this, "HttpApiStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // ---- Dashboard: CloudFront + S3, and Cognito's managed login ------------------------------
    // Prefixes are unique per region across all AWS accounts: the default carries the account id.
    const signInPrefix = config.cognitoDomainPrefix ?? `dunghan-${config.stage}-${Aws.ACCOUNT_ID}`;
    const site = new DashboardSite(this, "Dashboard", {
      config,
      api,
      accessLogs,
      logKey: dataKey,
      removalPolicy,
      signInOrigin: `https://${signInPrefix}.auth.${config.region}.amazoncognito.com`,
    });
    const signInDomain = userPool.addDomain("SignIn", {
      cognitoDomain: { domainPrefix: signInPrefix },
      // Managed login: sign-in, the first password change and TOTP enrolment, in the browser.
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // The dashboard's own URL; a developer's machine only when the stage asks for it.
    const dashboardUrls = [site.url, ...(config.dashboardLocalCallbacks ? [LOCAL_DASHBOARD_URL] : [])];
    const dashboard: UserPoolClient = userPool.addClient("Dashboard", {
      // A public client: the browser cannot keep a secret; PKCE (S256) protects the code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: dashboardUrls,
        logoutUrls: dashboardUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Managed login shows a client's pages only once the client has a style: Cognito's defaults.
    new CfnManagedLoginBranding(this, "SignInBranding", {
      userPoolId: userPool.userPoolId,
      clientId: dashboard.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    site.deploy({ domain: signInDomain, client: dashboard });

    // ---- HTTP API routes ----------------------------------------------------------------------
    api.addRoutes({
      path: INGEST_ROUTE.path,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration("Ingest", f.ingestApi.lambda),
      authorizer: new HttpIamAuthorizer(),
    });
    const users = new HttpUserPoolAuthorizer("Users", userPool, { userPoolClients: [dashboard] });
    const apiIntegration = new HttpLambdaIntegration("Dashboard", f.api.lambda);
    for (const route of HUMAN_ROUTES) {
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: apiIntegration,
        authorizer: users,
      });
    }
    // The province's e-one-stop system: attach to its IAM role/user (or to a role it assumes).
    const publisher = new ManagedPolicy(this, "EventsPublisher", {
      description: `dunghan ${config.stage}: may call POST /events (SigV4) and nothing else`,
      statements: [
        new PolicyStatement({
          actions: ["execute-api:Invoke"],
          resources: [api.arnForExecuteApi(INGEST_ROUTE.method, INGEST_ROUTE.path, "$default")],
        }),
      ],
    });

    // ---- Alarms -------------------------------------------------------------------------------
    const alarms = new DunghanAlarms(this, "Alarms", { config, topicKey: alarmKey });
    alarms.deadLetters(events.dlq, "events");
    alarms.deadLetters(notify.dlq, "notify");
    alarms.deadLetters(apology.dlq, "apology");
    alarms.deadLetters(scheduleDlq, "schedule");
    for (const each of Object.values(f)) alarms.functionErrors(each);
    alarms.sweep(f.sweep);
    alarms.oldestMessage(events.queue, "events", config.alarms.eventsOldestMessageSeconds);
    alarms.oldestMessage(notify.queue, "notify", config.alarms.notifyOldestMessageSeconds);
    alarms.api5xx(api);

    // ---- Outputs ------------------------------------------------------------------------------
    new CfnOutput(this, "ApiUrl", { value: api.apiEndpoint });
    new CfnOutput(this, "UserPoolId", { value: userPool.userPoolId });
    new CfnOutput(this, "DashboardClientId", { value: dashboard.userPoolClientId });
    new CfnOutput(this, "DashboardUrl", { value: site.url });
    new CfnOutput(this, "SignInDomain", { value: signInDomain.baseUrl() });
    new CfnOutput(this, "EventsPublisherPolicyArn", { value: publisher.managedPolicyArn });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, "LettersBucket", { value: letters.bucketName });
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topic.topicArn });
    new CfnOutput(this, "ScheduleGroupName", { value: scheduleGroup.scheduleGroupName });
    new CfnOutput(this, "EventsDlqUrl", { value: events.dlq.queueUrl });
    new CfnOutput(this, "NotifyDlqUrl", { value: notify.dlq.queueUrl });
    new CfnOutput(this, "ApologyDlqUrl", { value: apology.dlq.queueUrl });
    new CfnOutput(this, "ScheduleDlqUrl", { value: scheduleDlq.queueUrl });
  }

  /** The SES identity ARN: given as an ARN, or as a domain/address in this account and region. */
  private sesIdentityArn(): string {
    const identity = this.config.messaging.sesIdentity;
    if (identity.startsWith("arn:")) return identity;
    return this.formatArn({ service: "ses", resource: "identity", resourceName: identity });
  }

  /** Cognito sends invitations and codes through the province's SES identity. */
  private cognitoEmail(): UserPoolEmail {
    const { sesIdentity, emailFromAddress, emailFromName } = this.config.messaging;
    const arn = /^arn:[^:]+:ses:([^:]+):\d+:identity\/(.+)$/.exec(sesIdentity);
    const name = arn?.[2] ?? sesIdentity;
    return UserPoolEmail.withSES({
      fromEmail: emailFromAddress,
      fromName: emailFromName ?? "dunghan",
      sesRegion: arn?.[1] ?? Aws.REGION,
      ...(name.includes("@") ? {} : { sesVerifiedDomain: name }),
    });
  }
}

/** What each API request leaves in the access log; never a token or a body. */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  iamCaller: "$context.identity.userArn",
  user: "$context.authorizer.claims.sub",
  authorizerError: "$context.authorizer.error",
  integrationError: "$context.integrationErrorMessage",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  responseLength: "$context.responseLength",
  protocol: "$context.protocol",
} as const;

const PROJECTION = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
} as const;

const ATTRIBUTE_TYPE = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

function attribute(key: KeyAttribute): { name: string; type: AttributeType } {
  return { name: key.name, type: ATTRIBUTE_TYPE[key.type] };
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

interface QueueWithDlq {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly batchingWindow: Duration | undefined;
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
    key: Key;
    consumer: DunghanFunction;
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
    VISIBILITY_TIMEOUT_FACTOR * props.consumer.timeout.toSeconds() + (props.batchingWindow?.toSeconds() ?? 0);
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
