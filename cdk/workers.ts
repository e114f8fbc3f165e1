import { Aws, type CfnElement, Duration, type RemovalPolicy, Stack, TimeZone } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type { Construct } from "constructs";
import { INDEX, keys } from "../shared/adapters/dynamodb/table-design.ts";
import type { StageConfig } from "./config.ts";
import type { DunghanData } from "./data.ts";
import { DunghanFunction, pascal, QueueFailureDestination, READ_WRITE } from "./dunghan-function.ts";
import type { DunghanMessaging } from "./messaging.ts";
import { acknowledge } from "./nag.ts";

/** The schedules of functions/README.md, in Asia/Ho_Chi_Minh. */
export const SCHEDULES = {
  /** Every minute, on the minute (a cron, so the time zone is real and runs align with hh:mm:00). */
  sweep: "cron(* * * * ? *)",
  /** 07:30 Monday to Saturday; the digest itself skips days off and keeps làm bù Saturdays. */
  digest: "cron(30 7 ? * MON-SAT *)",
} as const;
export const SCHEDULE_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;

export type WorkerKey = "applyEvents" | "sweep" | "digest" | "notify" | "apology";

/** The functions no person calls: queue consumers and scheduled runs. */
export const WORKERS: Readonly<
  Record<
    WorkerKey,
    { name: DunghanFunction["name"]; description: string; timeout: Duration; memorySize?: number }
  >
> = {
  applyEvents: {
    name: "apply-events",
    description: "Apply dossier events (SQS FIFO, grouped by dossier code)",
    timeout: Duration.seconds(30),
  },
  // Must finish before the next minute's run starts.
  sweep: {
    name: "sweep",
    description: "Every minute: send due alerts from the agenda",
    timeout: Duration.seconds(50),
    memorySize: 1024,
  },
  digest: {
    name: "digest",
    description: "07:30 working days: leaders' digest",
    timeout: Duration.minutes(5),
    memorySize: 1024,
  },
  notify: { name: "notify", description: "Deliver alerts by SMS and e-mail", timeout: Duration.seconds(30) },
  apology: {
    name: "apology",
    description: "Draft apology letters into the letters bucket",
    timeout: Duration.seconds(60),
    memorySize: 1024,
  },
};

export interface DunghanWorkersProps {
  readonly config: StageConfig;
  readonly removalPolicy: RemovalPolicy;
  readonly data: DunghanData;
  readonly messaging: DunghanMessaging;
}

/**
 * apply-events, sweep, digest, notify and apology: their grants (functions/README.md, one call
 * per env var), their queue triggers and the two schedules. A group of resources created in the
 * given scope (the stack) with their old ids, not a construct level: see DunghanData for why.
 */
export class DunghanWorkers {
  readonly functions: Readonly<Record<WorkerKey, DunghanFunction>>;
  readonly scheduleGroup: ScheduleGroup;

  constructor(scope: Construct, props: DunghanWorkersProps) {
    const { config, removalPolicy, data, messaging } = props;
    const { table, letters } = data;
    const { events, notify, apology, scheduleDlq } = messaging;
    const fn = (key: WorkerKey): DunghanFunction => {
      const { name, ...spec } = WORKERS[key];
      return new DunghanFunction(scope, pascal(name), { name, config, logKey: data.dataKey, ...spec });
    };
    const f = {
      applyEvents: fn("applyEvents"),
      sweep: fn("sweep"),
      digest: fn("digest"),
      notify: fn("notify"),
      apology: fn("apology"),
    };
    this.functions = f;

    // ---- Grants: functions/README.md, one call per env var -------------------------------------
    // Alert records are the only items the digest writes (partition ALERT#<dedupe key>); notify
    // also updates agenda entries (DOSSIER#<code>) to hold an SMS for the quiet hours.
    const alertRecords = [keys.alertRecord("*").pk];
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
      .sendsEmail(
        config.messaging.emailFrom,
        config.messaging.emailFromAddress,
        sesIdentityArn(scope, config),
      );
    f.apology.useTable(table, READ_WRITE).usesBucket(letters, "LETTERS_BUCKET", "write");

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

    // ---- Schedules ----------------------------------------------------------------------------
    const scheduleGroup = new ScheduleGroup(scope, "Schedules", { removalPolicy });
    this.scheduleGroup = scheduleGroup;
    const schedulerRole = new Role(scope, "SchedulerRole", {
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
      new Schedule(scope, `${pascal(name)}Schedule`, {
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
        `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(target.lambda.node.defaultChild as CfnElement)}.Arn>:*]`,
        `LambdaInvoke grants lambda:InvokeFunction on the ${target.name} function and its versions/aliases (ARN:*); no other function.`,
      );
    }
  }
}

/** The SES identity ARN: given as an ARN, or as a domain/address in this account and region. */
function sesIdentityArn(scope: Construct, config: StageConfig): string {
  const identity = config.messaging.sesIdentity;
  if (identity.startsWith("arn:")) return identity;
  return Stack.of(scope).formatArn({ service: "ses", resource: "identity", resourceName: identity });
}
