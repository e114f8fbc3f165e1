import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Code, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { ZaloSecret } from "../../cdk/zalo-secret.ts";

function synthZalo() {
  const app = new App();
  const stack = new Stack(app, "ZaloTest", { env: { account: "111111111111", region: "ap-southeast-1" } });
  const key = new Key(stack, "Key", { enableKeyRotation: true });
  const rotation = new LambdaFunction(stack, "Rotation", {
    runtime: Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: Code.fromInline("exports.handler = async () => {};"),
  });
  const notify = new Role(stack, "NotifyRole", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
  new ZaloSecret(stack, "Zalo", { stage: "test", key, rotation, readers: [notify] });
  return { app, stack, template: Template.fromStack(stack) };
}

describe("ZaloSecret", () => {
  const { app, stack, template } = synthZalo();

  it("keeps the tokens in a secret encrypted with the stack's key, rotated every 12 hours", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", { KmsKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", {
      RotationRules: { ScheduleExpression: "rate(12 hours)" },
      RotateImmediatelyOnUpdate: false,
    });
  });

  it("lets the notify role read the secret (and decrypt it through Secrets Manager) and nothing more", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    const notify = Object.values(policies).find((p) =>
      JSON.stringify(p.Properties.Roles).includes("NotifyRole"),
    );
    const statements = (notify?.Properties.PolicyDocument.Statement ?? []) as { Action: string | string[] }[];
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.sort()).toEqual(["kms:Decrypt", "secretsmanager:GetSecretValue"]);
  });

  it("alarms on one failed token refresh", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ZaloTokenRefreshFailed",
      Namespace: "Dunghan",
      Dimensions: [{ Name: "Stage", Value: "test" }],
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
  });

  it("cdk-nag AwsSolutions finds nothing in the construct", () => {
    const { violations } = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const own = violations.flatMap((v) =>
      v.violatingResources
        .filter((r) => (r.constructPath ?? "").startsWith(`${stack.stackName}/Zalo/`))
        .map((r) => `${v.ruleName}: ${r.constructPath}`),
    );
    expect(own).toEqual([]);
  });
});
