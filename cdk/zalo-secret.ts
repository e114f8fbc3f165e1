import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { IAlarmAction } from "aws-cdk-lib/aws-cloudwatch";
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { IGrantable } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { ZALO_TOKEN_REFRESH_FAILED } from "../shared/adapters/zalo/zns-client.ts";
import { METRICS_NAMESPACE } from "./dunghan-function.ts";

export interface ZaloSecretProps {
  readonly stage: string;
  /** The key the secret is encrypted with (the stack's data key). */
  readonly key: IKey;
  /** The rotation function: an entry of functions/zalo-token-rotation.ts. */
  readonly rotation: IFunction;
  /** Who reads the tokens (the notify function). */
  readonly readers: readonly IGrantable[];
  /** Where the alarm goes (the stack's alarm topic). */
  readonly alarmAction?: IAlarmAction;
}

/**
 * The Zalo OA's tokens (docs/zalo.md): one Secrets Manager secret `{ appId, secretKey,
 * accessToken, refreshToken, expiresAt }`, filled once by an operator; rotated by the system every
 * 12 hours — the access token lives about 25 hours, so one failed rotation is retried before it
 * expires; and an alarm on ZaloTokenRefreshFailed, published by the rotation and by the ZNS client
 * when it finds no valid token: citizens then get SMS until someone re-authorises the OA.
 */
export class ZaloSecret extends Construct {
  readonly secret: Secret;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: ZaloSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, "Tokens", {
      description: `dunghan ${props.stage}: Zalo OA app id, secret key and OA tokens (rotated)`,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.secret.addRotationSchedule("Rotation", {
      rotationLambda: props.rotation,
      automaticallyAfter: Duration.hours(12),
      rotateImmediatelyOnUpdate: false,
    });
    for (const reader of props.readers) this.secret.grantRead(reader);
    this.alarm = new Alarm(this, "RefreshFailed", {
      alarmName: `dunghan-${props.stage}-zalo-token-refresh-failed`,
      alarmDescription:
        "The Zalo OA token could not be renewed: citizens get SMS instead of Zalo (dearer) until the OA is " +
        "authorised again and the secret updated. Runbook: docs/zalo.md, section Tokens.",
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: ZALO_TOKEN_REFRESH_FAILED,
        dimensionsMap: { Stage: props.stage },
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmAction) this.alarm.addAlarmAction(props.alarmAction);
  }
}
