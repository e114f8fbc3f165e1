import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from "aws-cdk-lib";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { Construct } from "constructs";
import { DunghanAlarms } from "./alarms.ts";
import type { StageConfig } from "./config.ts";
import { DunghanData } from "./data.ts";
import { DunghanFunction } from "./dunghan-function.ts";
import { DunghanMessaging } from "./messaging.ts";
import { StaffApi } from "./staff-api.ts";
import { DunghanWorkers, WORKERS } from "./workers.ts";
import { ZaloSecret } from "./zalo-secret.ts";

export { TABLE_DEFINITION } from "./data.ts";
export { VISIBILITY_TIMEOUT_FACTOR } from "./messaging.ts";
export { LOCAL_DASHBOARD_URL } from "./staff-api.ts";
export { SCHEDULE_TIME_ZONE, SCHEDULES } from "./workers.ts";

export interface DunghanStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * dunghan as a province deploys it: one DynamoDB table, nine functions, three queues (each with
 * a DLQ), two schedules, an HTTP API behind IAM and Cognito, a letters bucket, the leaders'
 * dashboard (S3 + CloudFront, Cognito managed login), and the alarms; with `zalo=true` also the
 * Zalo token secret, its rotation function and alarm (cdk/zalo-secret.ts).
 *
 * The parts: DunghanData (keys, table, buckets), DunghanMessaging (queues), DunghanWorkers (the
 * five functions no person calls, their triggers and schedules), StaffApi (HTTP API, users,
 * dashboard), DunghanAlarms. The first four create their resources directly in this stack, under
 * the ids they had when this was one constructor, so the logical IDs (and the deployed table and
 * keys) stay what they are.
 */
export class DunghanStack extends Stack {
  readonly config: StageConfig;
  readonly functions: Record<
    | "ingestApi"
    | "applyEvents"
    | "sweep"
    | "digest"
    | "notify"
    | "apology"
    | "api"
    | "publicLookup"
    | "syncApi",
    DunghanFunction
  > & {
    /** Only when the stage enables Zalo (`-c zalo=true`). */
    readonly zaloTokenRotation?: DunghanFunction;
  };
  /** The Zalo token secret, its rotation and alarm: only when the stage enables Zalo. */
  readonly zalo: ZaloSecret | undefined;

  constructor(scope: Construct, id: string, props: DunghanStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    Tags.of(this).add("app", "dunghan");
    Tags.of(this).add("stage", config.stage);

    const data = new DunghanData(this, { config, removalPolicy });
    const messaging = new DunghanMessaging(this, {
      key: data.dataKey,
      consumerTimeouts: {
        events: WORKERS.applyEvents.timeout,
        notify: WORKERS.notify.timeout,
        apology: WORKERS.apology.timeout,
      },
    });
    const workers = new DunghanWorkers(this, { config, removalPolicy, data, messaging });
    const staff = new StaffApi(this, { config, removalPolicy, data, messaging });
    const w = workers.functions;
    const s = staff.functions;
    // Citizens on Zalo first (docs/zalo.md): only with `-c zalo=true`; otherwise nothing of it.
    const zaloRotation =
      config.zalo === undefined
        ? undefined
        : new DunghanFunction(this, "ZaloTokenRotation", {
            name: "zalo-token-rotation",
            description:
              "Every 12 hours: renew the Zalo OA tokens in their secret (Secrets Manager rotation)",
            config,
            logKey: data.dataKey,
            timeout: Duration.seconds(30),
          });
    // In the order the alarms have always been created.
    this.functions = {
      ingestApi: s.ingestApi,
      applyEvents: w.applyEvents,
      sweep: w.sweep,
      digest: w.digest,
      notify: w.notify,
      apology: w.apology,
      api: s.api,
      publicLookup: s.publicLookup,
      syncApi: s.syncApi,
      ...(zaloRotation === undefined ? {} : { zaloTokenRotation: zaloRotation }),
    };
    const { events, notify, apology, scheduleDlq } = messaging;

    // ---- Alarms -------------------------------------------------------------------------------
    const alarms = new DunghanAlarms(this, "Alarms", { config, topicKey: data.alarmKey });
    alarms.deadLetters(events.dlq, "events");
    alarms.deadLetters(notify.dlq, "notify");
    alarms.deadLetters(apology.dlq, "apology");
    alarms.deadLetters(scheduleDlq, "schedule");
    for (const each of Object.values(this.functions)) alarms.functionErrors(each);
    alarms.sweep(w.sweep);
    alarms.oldestMessage(events.queue, "events", config.alarms.eventsOldestMessageSeconds);
    alarms.oldestMessage(notify.queue, "notify", config.alarms.notifyOldestMessageSeconds);
    alarms.api5xx(staff.api);

    // ---- Zalo ZNS -----------------------------------------------------------------------------
    this.zalo = undefined;
    if (config.zalo !== undefined && zaloRotation !== undefined) {
      const zalo = new ZaloSecret(this, "Zalo", {
        stage: config.stage,
        key: data.dataKey,
        rotation: zaloRotation.lambda,
        // notify reads the tokens (never renews them: the refresh token is single-use).
        readers: [w.notify.role],
        alarmAction: new SnsAction(alarms.topic),
      });
      w.notify.lambda.addEnvironment("ZALO_SECRET_ARN", zalo.secret.secretArn);
      w.notify.lambda.addEnvironment("CITIZEN_CHANNELS", JSON.stringify(config.zalo.citizenChannels));
      this.zalo = zalo;
    }

    // ---- Outputs ------------------------------------------------------------------------------
    new CfnOutput(this, "ApiUrl", { value: staff.api.apiEndpoint });
    new CfnOutput(this, "UserPoolId", { value: staff.userPool.userPoolId });
    new CfnOutput(this, "DashboardClientId", { value: staff.dashboardClient.userPoolClientId });
    new CfnOutput(this, "DashboardUrl", { value: staff.site.url });
    new CfnOutput(this, "SignInDomain", { value: staff.signInDomain.baseUrl() });
    new CfnOutput(this, "EventsPublisherPolicyArn", { value: staff.publisher.managedPolicyArn });
    new CfnOutput(this, "TableName", { value: data.table.tableName });
    new CfnOutput(this, "LettersBucket", { value: data.letters.bucketName });
    new CfnOutput(this, "SyncPayloadsBucket", { value: staff.sync.payloads.bucketName });
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topic.topicArn });
    new CfnOutput(this, "ScheduleGroupName", { value: workers.scheduleGroup.scheduleGroupName });
    new CfnOutput(this, "EventsDlqUrl", { value: events.dlq.queueUrl });
    new CfnOutput(this, "NotifyDlqUrl", { value: notify.dlq.queueUrl });
    new CfnOutput(this, "ApologyDlqUrl", { value: apology.dlq.queueUrl });
    new CfnOutput(this, "ScheduleDlqUrl", { value: scheduleDlq.queueUrl });
    if (this.zalo !== undefined) new CfnOutput(this, "ZaloSecretArn", { value: this.zalo.secret.secretArn });
  }
}
