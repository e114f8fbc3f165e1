import { Aws, Duration } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  Stats,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { StageConfig } from "./config.ts";
import { type DunghanFunction, METRICS_NAMESPACE } from "./dunghan-function.ts";

/**
 * The metric the sweep publishes every run: how far behind the oldest due, unsent alert is.
 * Powertools Metrics: `new Metrics({ namespace: "Dunghan" })`, `clearDefaultDimensions()`,
 * `addDimension("Stage", STAGE)`, `addMetric("SweepLagSeconds", MetricUnit.Seconds, lag)` —
 * the alarm matches the dimension set exactly, so publish with `Stage` only.
 */
export const SWEEP_LAG_METRIC = {
  namespace: METRICS_NAMESPACE,
  metricName: "SweepLagSeconds",
  dimension: "Stage",
} as const;

const RUNBOOK = "docs/deploy.md, section Alarms";

export interface DunghanAlarmsProps {
  readonly config: StageConfig;
  /** The key the alarm topic is encrypted with (CloudWatch may use it; see cdk/data.ts). */
  readonly topicKey: IKey;
}

/** CloudWatch alarms into one encrypted SNS topic; each alarm says what it means and where to look. */
export class DunghanAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly #config: StageConfig;
  readonly #action: SnsAction;

  constructor(scope: Construct, id: string, props: DunghanAlarmsProps) {
    super(scope, id);
    this.#config = props.config;
    this.topic = new Topic(this, "Topic", {
      displayName: `dunghan ${props.config.stage} alarms`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one: let this account's CloudWatch alarms publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
          ArnLike: {
            "aws:SourceArn": `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    if (props.config.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.config.alarmEmail));
    this.#action = new SnsAction(this.topic);
  }

  /** Any message in a dead-letter queue is work that will not happen by itself. */
  deadLetters(queue: IQueue, what: string): Alarm {
    return this.#add(`${what}-dlq-not-empty`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      description: `Messages in the ${what} dead-letter queue: they failed 5 times (or a schedule could not invoke its function). Read one, fix the cause, redrive. ${RUNBOOK}.`,
    });
  }

  functionErrors(fn: DunghanFunction): Alarm {
    return this.#add(`${fn.name}-errors`, {
      metric: fn.lambda.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: this.#config.alarms.functionErrors,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      description: `${fn.name} failed (uncaught errors or timeouts; failed batch items are not counted here). Logs: ${fn.logGroupName}. ${RUNBOOK}.`,
    });
  }

  /** The oldest message waiting: the consumer is down, throttled or too slow. */
  oldestMessage(queue: IQueue, what: string, seconds: number): Alarm {
    return this.#add(`${what}-queue-behind`, {
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: seconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      description: `The oldest message on the ${what} queue has waited more than ${seconds} s for 5 minutes. ${RUNBOOK}.`,
    });
  }

  /** Two signals: the lag the sweep reports, and the sweep not running at all. */
  sweep(sweep: DunghanFunction): Alarm[] {
    const { sweepLagSeconds, sweepLagPeriods } = this.#config.alarms;
    const lag = this.#add("sweep-lag", {
      metric: new Metric({
        namespace: SWEEP_LAG_METRIC.namespace,
        metricName: SWEEP_LAG_METRIC.metricName,
        dimensionsMap: { [SWEEP_LAG_METRIC.dimension]: this.#config.stage },
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: sweepLagSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: sweepLagPeriods,
      // No data is the other alarm's business.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `Due alerts are more than ${sweepLagSeconds} s late (${SWEEP_LAG_METRIC.namespace}/${SWEEP_LAG_METRIC.metricName}). ${RUNBOOK}.`,
    });
    const silent = this.#add("sweep-not-running", {
      metric: sweep.lambda.metricInvocations({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      // The schedule fires every minute: ten minutes without a single invocation is an outage.
      treatMissingData: TreatMissingData.BREACHING,
      description: `The sweep has not run for 10 minutes: check the schedule (EventBridge Scheduler) and the schedule DLQ. ${RUNBOOK}.`,
    });
    return [lag, silent];
  }

  api5xx(api: IHttpApi): Alarm {
    return this.#add("api-5xx", {
      metric: api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: this.#config.alarms.api5xx,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      description: `The HTTP API answered 5xx (function errors, timeouts or throttling). ${RUNBOOK}.`,
    });
  }

  #add(
    name: string,
    props: {
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
      treatMissingData?: TreatMissingData;
      description: string;
    },
  ): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `dunghan-${this.#config.stage}-${name}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: props.evaluationPeriods,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    this.alarms.push(alarm);
    return alarm;
  }
}
