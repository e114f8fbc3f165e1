import { Aws, Duration, RemovalPolicy } from "aws-cdk-lib";
import type { IAlarmAction } from "aws-cdk-lib/aws-cloudwatch";
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { type IGrantable, PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { type IFunction, Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { RotationSchedule, Secret } from "aws-cdk-lib/aws-secretsmanager";
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
    // The rotation reads and writes this secret and nothing else. RotationSchedule would grant a
    // function it owns `secretsmanager:GetRandomPassword` on "*" as well (for generated passwords,
    // which Zalo tokens are not) and let any secret invoke it: it gets a reference instead, and
    // the grants are made here, the invocation held to this secret and account.
    const rotation = props.rotation;
    rotation.addPermission("SecretsManagerRotates", {
      principal: new ServicePrincipal("secretsmanager.amazonaws.com"),
      action: "lambda:InvokeFunction",
      sourceArn: this.secret.secretArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    rotation.addToRolePolicy(
      new PolicyStatement({
        actions: [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
          "secretsmanager:PutSecretValue",
          "secretsmanager:UpdateSecretVersionStage",
        ],
        resources: [this.secret.secretArn],
      }),
    );
    // The key only as Secrets Manager uses it for this secret: Decrypt to read, GenerateDataKey to
    // store a new version (no wildcard actions, unlike grantEncryptDecrypt).
    rotation.addToRolePolicy(
      new PolicyStatement({
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.key.keyArn],
        conditions: { StringEquals: this.#viaSecretsManager() },
      }),
    );
    const schedule = new RotationSchedule(this, "Rotation", {
      secret: this.secret,
      rotationLambda: LambdaFunction.fromFunctionArn(this, "RotationFunction", rotation.functionArn),
      automaticallyAfter: Duration.hours(12),
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks it may invoke the function when the schedule is created.
    const invoke = rotation.node.tryFindChild("SecretsManagerRotates");
    if (invoke !== undefined) schedule.node.addDependency(invoke);
    // Readers get GetSecretValue on this secret and the key only through Secrets Manager for it:
    // Secret.grantRead would add DescribeSecret and a kms:Decrypt on the whole key.
    for (const reader of props.readers) {
      reader.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [this.secret.secretArn],
        }),
      );
      reader.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ["kms:Decrypt"],
          resources: [props.key.keyArn],
          conditions: { StringEquals: this.#viaSecretsManager() },
        }),
      );
    }
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

  /** The key used by Secrets Manager, for this secret only. */
  #viaSecretsManager(): Record<string, string> {
    return {
      "kms:ViaService": `secretsmanager.${Aws.REGION}.amazonaws.com`,
      "kms:EncryptionContext:SecretARN": this.secret.secretArn,
    };
  }
}
