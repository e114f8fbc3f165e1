import { readdirSync, readFileSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { SWEEP_LAG_METRIC } from "../../cdk/alarms.ts";
import { FUNCTION_NAMES, functionEntry, REPO_ROOT } from "../../cdk/dunghan-function.ts";
import { SCHEDULES, VISIBILITY_TIMEOUT_FACTOR } from "../../cdk/dunghan-stack.ts";
import { API_ROUTES, routeKey } from "../../functions/api-routes.ts";
import { FUNCTION_ENV, readConfig, STAGE_OPTIONAL_FUNCTIONS } from "../../functions/config.ts";
import { ATTR, INDEX, TTL_ATTRIBUTE } from "../../shared/adapters/dynamodb/table-design.ts";
import { GROUPS } from "../../shared/app/actor.ts";
import { logicalId, PROD_CONTEXT, refId, resources, type Synthesized, synth } from "./synth.ts";

let prod: Synthesized;
beforeAll(() => {
  prod = synth(PROD_CONTEXT);
});

const keyRef = () => ({ "Fn::GetAtt": [logicalId(prod.stack.node.findChild("DataKey")), "Arn"] });

describe("the table", () => {
  it("is on-demand, with point-in-time recovery, the CMK, the design's TTL and deletion protection (prod)", () => {
    prod.template.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: ATTR.pk, KeyType: "HASH" },
          { AttributeName: ATTR.sk, KeyType: "RANGE" },
        ],
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
            SSESpecification: { KMSMasterKeyId: keyRef() },
          }),
        ],
      },
    });
  });

  it("has exactly the design's indexes, keyed by the design's attributes", () => {
    const [table] = Object.values(resources(prod.template, "AWS::DynamoDB::GlobalTable"));
    const indexes = (table?.Properties?.GlobalSecondaryIndexes ?? []) as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    expect(indexes.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      [
        INDEX.agenda,
        [
          { AttributeName: ATTR.agendaPk, KeyType: "HASH" },
          { AttributeName: ATTR.agendaSk, KeyType: "RANGE" },
        ],
      ],
      [
        INDEX.byAgencyStatus,
        [
          { AttributeName: ATTR.byAgencyStatusPk, KeyType: "HASH" },
          { AttributeName: ATTR.byAgencyStatusSk, KeyType: "RANGE" },
        ],
      ],
    ]);
    // A deployed GSI's projection cannot change in place (apology drafts ride on `listing` for
    // that reason, table-design.ts): this pins it.
    expect(indexes.find((index) => index.IndexName === INDEX.byAgencyStatus)?.Projection).toEqual({
      ProjectionType: "INCLUDE",
      NonKeyAttributes: [ATTR.entity, "dossierCode", "version", "listing"],
    });
  });
});

describe("the functions", () => {
  it("deploys every handler in functions/ and nothing else", () => {
    const handlers = readdirSync(`${REPO_ROOT}/functions`)
      .filter((file) => file.endsWith(".ts"))
      .filter((file) => /export const handler\b/.test(readFileSync(`${REPO_ROOT}/functions/${file}`, "utf8")))
      .map((file) => file.replace(/\.ts$/, ""))
      .sort();
    expect(handlers).toEqual([...FUNCTION_NAMES].sort());
    // A stage-optional function (the Zalo token rotation) is deployed only when its feature is on
    // (test/infra/zalo-stack.test.ts deploys all of FUNCTION_NAMES); every other one always is.
    const always = FUNCTION_NAMES.filter((name) => !isStageOptional(name));
    expect(always.length).toBe(FUNCTION_NAMES.length - STAGE_OPTIONAL_FUNCTIONS.length);
    expect(
      Object.values(prod.stack.functions)
        .map((fn) => fn.name)
        .sort(),
    ).toEqual([...always].sort());
    const ours = Object.values(prod.stack.functions).map((fn) => logicalId(fn.lambda));
    // The only other one: aws-cdk-lib's BucketDeployment handler, run at deployment to upload the dashboard.
    expect(
      Object.keys(resources(prod.template, "AWS::Lambda::Function")).filter((id) => !ours.includes(id)),
    ).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
    for (const name of FUNCTION_NAMES)
      expect(functionEntry(name)).toMatch(new RegExp(`functions/${name}\\.ts$`));
  });

  it("deploys nothing of Zalo unless the stage turns it on (the default)", () => {
    expect(prod.stack.config.zalo).toBeUndefined();
    expect(prod.stack.zalo).toBeUndefined();
    expect(prod.stack.functions.zaloTokenRotation).toBeUndefined();
    for (const type of [
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::RotationSchedule",
      "AWS::SecretsManager::ResourcePolicy",
    ])
      expect(Object.keys(resources(prod.template, type)), type).toEqual([]);
    const template = JSON.stringify(prod.template.toJSON());
    for (const word of ["secretsmanager:", "ZALO_SECRET_ARN", "CITIZEN_CHANNELS", "ZaloTokenRefreshFailed"])
      expect(template, word).not.toContain(word);
  });

  it("run nodejs22.x on arm64 with tracing, JSON logs in their own log group, and source maps", () => {
    const all = resources(prod.template);
    for (const fn of Object.values(prod.stack.functions).map((each) => all[logicalId(each.lambda)]!)) {
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogFormat: "JSON", LogGroup: { Ref: expect.any(String) } },
        Environment: {
          Variables: expect.objectContaining({
            STAGE: "prod",
            POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^dunghan-/),
            POWERTOOLS_LOG_LEVEL: "INFO",
            NODE_OPTIONS: "--enable-source-maps",
          }),
        },
      });
    }
  });

  it("get exactly the env vars functions/config.ts requires (plus Powertools' and Node's)", () => {
    const common = [
      "NODE_OPTIONS",
      "POWERTOOLS_LOG_LEVEL",
      "POWERTOOLS_METRICS_NAMESPACE",
      "POWERTOOLS_SERVICE_NAME",
    ];
    const all = resources(prod.template);
    for (const fn of Object.values(prod.stack.functions)) {
      const env = (
        all[logicalId(fn.lambda)]!.Properties!.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(Object.keys(env).sort(), fn.name).toEqual([...common, "STAGE", ...FUNCTION_ENV[fn.name]].sort());
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(`dunghan-${fn.name}`);
    }
    const notify = all[logicalId(prod.stack.functions.notify.lambda)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(notify.Variables).toMatchObject({
      SMS_SENDER_ID: PROD_CONTEXT.smsSenderId,
      EMAIL_FROM: PROD_CONTEXT.emailFrom,
    });
  });

  it("give the api REPORT_GRADES when the stage sets reportGrades (and no other function)", () => {
    const grades = { green: 0.98, yellow: 0.9, orange: 0.8, source: "QĐ 1234/QĐ-UBND tỉnh Tây Ninh" };
    const graded = synth({ ...PROD_CONTEXT, reportGrades: JSON.stringify(grades) });
    const envOf = (synthesized: Synthesized, fn: { lambda: IConstruct }) =>
      (
        resources(synthesized.template)[logicalId(fn.lambda)]!.Properties!.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
    const api = envOf(graded, graded.stack.functions.api);

    expect(JSON.parse(api.REPORT_GRADES!)).toEqual(grades);
    // What the function reads at cold start (functions/config.ts) is the scale the context gave.
    const config = readConfig("api", {
      STAGE: "prod",
      TABLE_NAME: "t",
      LETTERS_BUCKET: "b",
      EVENTS_QUEUE_URL: "q",
      REPORT_GRADES: api.REPORT_GRADES,
    });
    expect(config.grades).toEqual(grades);
    for (const fn of Object.values(graded.stack.functions)) {
      if (fn.name !== "api") expect(envOf(graded, fn).REPORT_GRADES, fn.name).toBeUndefined();
    }
    expect(envOf(prod, prod.stack.functions.api).REPORT_GRADES).toBeUndefined();
  });

  it("refuse a malformed reportGrades at synthesis, saying why", () => {
    expect(() => synth({ ...PROD_CONTEXT, reportGrades: '{"green":0.8,"yellow":0.9,"orange":0.7}' })).toThrow(
      /reportGrades is not a grade scale \(.*green ≥ yellow ≥ orange/,
    );
    expect(() => synth({ ...PROD_CONTEXT, reportGrades: "0.98/0.9/0.8" })).toThrow(
      /reportGrades must be JSON/,
    );
  });

  it("log into KMS-encrypted log groups kept a year in prod", () => {
    for (const group of Object.values(resources(prod.template, "AWS::Logs::LogGroup"))) {
      expect(group.Properties).toMatchObject({ KmsKeyId: keyRef(), RetentionInDays: 365 });
      expect(group.DeletionPolicy).toBe("Retain");
    }
  });
});

describe("the queues", () => {
  it("events: FIFO, explicit dedup ids, high-throughput mode, CMK, FIFO DLQ after 5 receives", () => {
    const events = prod.stack.node.findChild("EventsQueue");
    const dlq = prod.stack.node.findChild("EventsDlq");
    expect(resources(prod.template)[logicalId(events)]?.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
      KmsMasterKeyId: keyRef(),
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [logicalId(dlq), "Arn"] }, maxReceiveCount: 5 },
    });
    expect(resources(prod.template)[logicalId(dlq)]?.Properties).toMatchObject({
      FifoQueue: true,
      KmsMasterKeyId: keyRef(),
    });
  });

  it("notify and apology: standard, CMK, each with its own DLQ", () => {
    for (const name of ["Notify", "Apology"]) {
      const queue = resources(prod.template)[logicalId(prod.stack.node.findChild(`${name}Queue`))];
      const dlq = prod.stack.node.findChild(`${name}Dlq`);
      expect(queue?.Properties?.FifoQueue).toBeUndefined();
      expect(queue?.Properties).toMatchObject({
        KmsMasterKeyId: keyRef(),
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [logicalId(dlq), "Arn"] }, maxReceiveCount: 5 },
      });
    }
  });

  it("are all encrypted and refuse plain HTTP", () => {
    const queues = resources(prod.template, "AWS::SQS::Queue");
    expect(Object.keys(queues)).toHaveLength(7);
    const queue = (name: string) => queues[logicalId(prod.stack.node.findChild(name))];
    for (const name of [
      "EventsQueue",
      "EventsDlq",
      "NotifyQueue",
      "NotifyDlq",
      "ApologyQueue",
      "ApologyDlq",
    ]) {
      expect(queue(name)?.Properties?.KmsMasterKeyId, name).toEqual(keyRef());
    }
    // The scheduler's dead-letter queue holds no personal data: SQS-managed keys, no key policy.
    expect(queue("ScheduleDlq")?.Properties?.SqsManagedSseEnabled).toBe(true);
    const policies = Object.values(resources(prod.template, "AWS::SQS::QueuePolicy"));
    const enforced = policies.flatMap((policy) => (policy.Properties?.Queues ?? []) as unknown[]).map(refId);
    expect(new Set(enforced)).toEqual(new Set(Object.keys(queues)));
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it("hide a message for at least 6 × its consumer's timeout", () => {
    const all = resources(prod.template);
    const mappings = Object.values(resources(prod.template, "AWS::Lambda::EventSourceMapping"));
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      const queue = all[refId(mapping.Properties?.EventSourceArn) ?? ""];
      const fn = all[refId(mapping.Properties?.FunctionName) ?? ""];
      const window = Number(mapping.Properties?.MaximumBatchingWindowInSeconds ?? 0);
      expect(Number(queue?.Properties?.VisibilityTimeout)).toBeGreaterThanOrEqual(
        VISIBILITY_TIMEOUT_FACTOR * Number(fn?.Properties?.Timeout) + window,
      );
    }
  });
});

describe("the triggers", () => {
  it("consume the queues with partial batch responses and capped concurrency", () => {
    type Consumer = { function: string | undefined; properties: Record<string, unknown> | undefined };
    const consumers: Record<string, Consumer> = Object.fromEntries(
      Object.values(resources(prod.template, "AWS::Lambda::EventSourceMapping")).map((mapping) => [
        refId(mapping.Properties?.EventSourceArn),
        { function: refId(mapping.Properties?.FunctionName), properties: mapping.Properties },
      ]),
    );
    const { applyEvents, notify, apology } = prod.stack.functions;
    const events = consumers[logicalId(prod.stack.node.findChild("EventsQueue"))];
    expect(events?.function).toBe(logicalId(applyEvents.lambda));
    expect(events?.properties).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    const notifyMapping = consumers[logicalId(prod.stack.node.findChild("NotifyQueue"))];
    expect(notifyMapping?.function).toBe(logicalId(notify.lambda));
    expect(notifyMapping?.properties).toMatchObject({ FunctionResponseTypes: ["ReportBatchItemFailures"] });
    expect(Number(notifyMapping?.properties?.MaximumBatchingWindowInSeconds)).toBeLessThanOrEqual(5);
    expect(consumers[logicalId(prod.stack.node.findChild("ApologyQueue"))]?.function).toBe(
      logicalId(apology.lambda),
    );
    for (const { properties } of Object.values(consumers)) {
      expect(properties?.ScalingConfig).toMatchObject({ MaximumConcurrency: expect.any(Number) });
    }
  });

  it("schedule the sweep every minute and the digest at 07:30 Mon–Sat, in Asia/Ho_Chi_Minh", () => {
    const { sweep, digest } = prod.stack.functions;
    const schedules = Object.values(resources(prod.template, "AWS::Scheduler::Schedule"));
    expect(schedules).toHaveLength(2);
    const byTarget = Object.fromEntries(
      schedules.map((s) => [refId((s.Properties!.Target as { Arn: unknown }).Arn), s]),
    );
    expect(SCHEDULES.digest).toBe("cron(30 7 ? * MON-SAT *)");
    for (const [fn, expression] of [
      [sweep, SCHEDULES.sweep],
      [digest, SCHEDULES.digest],
    ] as const) {
      expect(byTarget[logicalId(fn.lambda)]?.Properties, fn.name).toMatchObject({
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: "Asia/Ho_Chi_Minh",
        FlexibleTimeWindow: { Mode: "OFF" },
        State: "ENABLED",
        Target: {
          RetryPolicy: {
            MaximumRetryAttempts: expect.any(Number),
            MaximumEventAgeInSeconds: expect.any(Number),
          },
          DeadLetterConfig: {
            Arn: { "Fn::GetAtt": [logicalId(prod.stack.node.findChild("ScheduleDlq")), "Arn"] },
          },
        },
      });
    }
    // Every minute, on the minute.
    expect(SCHEDULES.sweep).toBe("cron(* * * * ? *)");
  });
});

describe("the API", () => {
  it("has exactly the table's routes, each behind the authorizer its caller names: IAM, Cognito JWT, or none for sync senders", () => {
    const routes = Object.values(resources(prod.template, "AWS::ApiGatewayV2::Route"));
    const byKey = Object.fromEntries(
      routes.map((route) => [route.Properties?.RouteKey as string, route.Properties]),
    );
    expect(Object.keys(byKey).sort()).toEqual(API_ROUTES.map(routeKey).sort());
    expect(byKey["POST /events"]).toMatchObject({ AuthorizationType: "AWS_IAM" });
    const [authorizerId] = Object.keys(resources(prod.template, "AWS::ApiGatewayV2::Authorizer"));
    for (const route of API_ROUTES) {
      const declared = byKey[routeKey(route)];
      if (route.caller === "staff") {
        expect(declared, routeKey(route)).toMatchObject({
          AuthorizationType: "JWT",
          AuthorizerId: { Ref: authorizerId },
        });
      } else if (route.caller === "public") {
        // The applicant's lookup, and nothing else, is open (docs/public-lookup.md).
        expect(routeKey(route), routeKey(route)).toMatch(/^POST \/public\/lookup(\/calendar)?$/);
        expect(declared?.AuthorizationType ?? "NONE", routeKey(route)).toBe("NONE");
      } else if (route.caller === "sync-sender") {
        // The function checks the sender's credential (functions/sync-api.ts).
        expect(declared?.AuthorizationType ?? "NONE", routeKey(route)).toBe("NONE");
        expect(declared?.AuthorizerId, routeKey(route)).toBeUndefined();
      } else {
        expect(declared, routeKey(route)).toMatchObject({ AuthorizationType: "AWS_IAM" });
        expect(declared?.AuthorizerId, routeKey(route)).toBeUndefined();
      }
    }
    prod.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: { Issuer: Match.anyValue(), Audience: [Match.anyValue()] },
    });
  });

  it("sends each route of the table to its caller's function: staff to api, the e-one-stop system to ingest-api, the public to public-lookup, sync senders to sync-api", () => {
    const routes = Object.values(resources(prod.template, "AWS::ApiGatewayV2::Route"));
    const integrations = resources(prod.template, "AWS::ApiGatewayV2::Integration");
    const functionOf = (key: string) => {
      const route = routes.find((candidate) => candidate.Properties?.RouteKey === key);
      const integrationId = JSON.stringify(route?.Properties?.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? "";
      return refId(integrations[integrationId]?.Properties?.IntegrationUri);
    };
    const { api, ingestApi, publicLookup, syncApi } = prod.stack.functions;
    const byCaller = { staff: api, "e-one-stop": ingestApi, public: publicLookup, "sync-sender": syncApi };
    expect(API_ROUTES).toHaveLength(routes.length);
    for (const route of API_ROUTES) {
      expect(functionOf(routeKey(route)), routeKey(route)).toBe(logicalId(byCaller[route.caller].lambda));
    }
  });

  it("logs every request and throttles by default", () => {
    prod.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("routeKey") },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it("lets the e-one-stop system call POST /events and GET /events/{eventId}/status and nothing else", () => {
    const [policy] = Object.values(resources(prod.template, "AWS::IAM::ManagedPolicy"));
    const document = policy?.Properties?.PolicyDocument as {
      Statement: { Action: unknown; Resource: unknown }[];
    };
    const statements = document.Statement;
    expect(statements.map((s) => s.Action)).toEqual(["execute-api:Invoke"]);
    const resources_ = statements[0]?.Resource as unknown[];
    expect(resources_.map((r) => JSON.stringify(r).match(/\/\$default\/([^"]+)"/)?.[1]).sort()).toEqual([
      "GET/events/*/status",
      "POST/events",
    ]);
  });
});

describe("the users", () => {
  it("are admin-created, with an immutable agencyId, MFA, strong passwords and threat protection", () => {
    prod.template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      DeletionProtection: "ACTIVE",
      Policies: {
        PasswordPolicy: {
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      Schema: Match.arrayWith([
        {
          AttributeDataType: "String",
          Mutable: false,
          Name: "agencyId",
          StringAttributeConstraints: Match.anyValue(),
        },
        // The one-stop system's id of the official: how the handler view finds their dossiers.
        {
          AttributeDataType: "String",
          Mutable: true,
          Name: "staffId",
          StringAttributeConstraints: Match.anyValue(),
        },
      ]),
      EmailConfiguration: { EmailSendingAccount: "DEVELOPER", SourceArn: Match.anyValue() },
    });
    const groups = Object.values(resources(prod.template, "AWS::Cognito::UserPoolGroup"));
    expect(groups.map((group) => group.Properties?.GroupName).sort()).toEqual([...GROUPS].sort());
  });

  it("sign in to the dashboard through a public client (no secret)", () => {
    prod.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(["ALLOW_USER_SRP_AUTH"]),
      PreventUserExistenceErrors: "ENABLED",
    });
  });
});

describe("the letters bucket", () => {
  it("is private, TLS-only, versioned, CMK-encrypted, access-logged and expires old versions", () => {
    prod.template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: "Enabled" },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyRef() },
            },
          ],
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(prod.stack.node.findChild("AccessLogs")) },
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } }),
          ]),
        },
      },
    });
    prod.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: logicalId(prod.stack.node.findChild("Letters")) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("the sync payloads bucket", () => {
  it("is private, TLS-only, CMK-encrypted, access-logged, and forgets a payload after the retention", () => {
    const id = logicalId(prod.stack.node.findChild("SyncPayloads"));
    const bucket = resources(prod.template, "AWS::S3::Bucket")[id];
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyRef() } },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(prod.stack.node.findChild("AccessLogs")) },
      },
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 90, Status: "Enabled" })]),
      },
    });
    prod.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("encryption and keys", () => {
  it("rotates both customer-managed keys and keeps them in prod", () => {
    const keys = Object.values(resources(prod.template, "AWS::KMS::Key"));
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.Properties?.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe("Retain");
    }
  });

  it("encrypts the alarm topic and accepts only TLS publishes", () => {
    prod.template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          Match.objectLike({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" } }),
        ]),
      },
    });
    prod.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: PROD_CONTEXT.alarmEmail,
    });
  });
});

describe("the alarms", () => {
  type Alarm = { Properties: Record<string, unknown> };
  const alarms = (): Alarm[] => Object.values(resources(prod.template, "AWS::CloudWatch::Alarm")) as Alarm[];
  const dimension = (alarm: Alarm, name: string): unknown =>
    (alarm.Properties.Dimensions as { Name: string; Value: unknown }[] | undefined)?.find(
      (d) => d.Name === name,
    )?.Value;

  it("watch every dead-letter queue", () => {
    const dlqs = ["EventsDlq", "NotifyDlq", "ApologyDlq", "ScheduleDlq"].map((id) =>
      logicalId(prod.stack.node.findChild(id)),
    );
    const watched = alarms()
      .filter((alarm) => alarm.Properties.MetricName === "ApproximateNumberOfMessagesVisible")
      .filter(
        (alarm) =>
          alarm.Properties.Threshold === 0 && alarm.Properties.ComparisonOperator === "GreaterThanThreshold",
      )
      .map((alarm) => refId(dimension(alarm, "QueueName")));
    expect(new Set(watched)).toEqual(new Set(dlqs));
  });

  it("watch every function's errors", () => {
    const watched = alarms()
      .filter(
        (alarm) => alarm.Properties.MetricName === "Errors" && alarm.Properties.Namespace === "AWS/Lambda",
      )
      .map((alarm) => refId(dimension(alarm, "FunctionName")));
    expect(new Set(watched)).toEqual(
      new Set(Object.values(prod.stack.functions).map((fn) => logicalId(fn.lambda))),
    );
  });

  it("watch the sweep: its lag, and its silence", () => {
    prod.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: SWEEP_LAG_METRIC.namespace,
      MetricName: SWEEP_LAG_METRIC.metricName,
      Dimensions: [{ Name: SWEEP_LAG_METRIC.dimension, Value: "prod" }],
      Threshold: 300,
      EvaluationPeriods: 3,
      ComparisonOperator: "GreaterThanThreshold",
    });
    prod.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/Lambda",
      MetricName: "Invocations",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId(prod.stack.functions.sweep.lambda) } }],
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it("watch how far behind the events queue is", () => {
    prod.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [
        {
          Name: "QueueName",
          Value: { "Fn::GetAtt": [logicalId(prod.stack.node.findChild("EventsQueue")), "QueueName"] },
        },
      ],
    });
  });

  it("all notify the alarm topic, on alarm and on recovery", () => {
    const topic = logicalId(prod.stack.node.findChild("Alarms").node.findChild("Topic"));
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      expect(String(alarm.Properties.AlarmDescription)).toContain("docs/deploy.md");
    }
  });
});

describe("the logical IDs of what holds data", () => {
  // CloudFormation replaces a resource whose logical ID changes: a new table, key, bucket or user
  // pool, and the old one deleted (or, retained, orphaned). The IDs come from construct paths, so
  // moving a resource into a construct of its own changes them. Pinned as deployed.
  const PINNED: Record<string, string> = {
    DataKey17AFBB84: "AWS::KMS::Key",
    AlarmKeyE05DE300: "AWS::KMS::Key",
    TableCD117FA1: "AWS::DynamoDB::GlobalTable",
    AccessLogs8B620ECA: "AWS::S3::Bucket",
    LettersDC1467AC: "AWS::S3::Bucket",
    DashboardFilesFF9B60FA: "AWS::S3::Bucket",
    DashboardCdnLogs78299847: "AWS::S3::Bucket",
    Users0A0EEA89: "AWS::Cognito::UserPool",
    EventsQueueB96EB0D2: "AWS::SQS::Queue",
    EventsDlqACDA5DFF: "AWS::SQS::Queue",
    NotifyQueueB34E1758: "AWS::SQS::Queue",
    NotifyDlq8139C716: "AWS::SQS::Queue",
    ApologyQueue96828037: "AWS::SQS::Queue",
    ApologyDlq77ED82FD: "AWS::SQS::Queue",
    ScheduleDlqBC80447A: "AWS::SQS::Queue",
    IngestApiLogsBE9EF41D: "AWS::Logs::LogGroup",
    ApplyEventsLogs70542AB8: "AWS::Logs::LogGroup",
    SweepLogsA7192123: "AWS::Logs::LogGroup",
    DigestLogs96C9745F: "AWS::Logs::LogGroup",
    NotifyLogsB4CE6B4B: "AWS::Logs::LogGroup",
    ApologyLogs63165B42: "AWS::Logs::LogGroup",
    ApiLogsCD139AD4: "AWS::Logs::LogGroup",
    PublicLookupLogs7BB8112B: "AWS::Logs::LogGroup",
    ApiAccessLogsE9DF007D: "AWS::Logs::LogGroup",
    DashboardDeployLogs2D03E186: "AWS::Logs::LogGroup",
    SyncPayloads8C7872E2: "AWS::S3::Bucket",
    SyncApiLogsC0D1E5DD: "AWS::Logs::LogGroup",
  };
  const STATEFUL = new Set(Object.values(PINNED));

  it("are the ones deployed stacks have (a change here replaces data on the next deploy)", () => {
    const stateful = Object.fromEntries(
      Object.entries(resources(prod.template))
        .filter(([, resource]) => STATEFUL.has(resource.Type))
        .map(([id, resource]) => [id, resource.Type]),
    );
    expect(stateful).toEqual(PINNED);
  });
});

function isStageOptional(name: string): boolean {
  return (STAGE_OPTIONAL_FUNCTIONS as readonly string[]).includes(name);
}
