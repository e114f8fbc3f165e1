import { readFileSync } from "node:fs";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_NAMES } from "../../cdk/dunghan-function.ts";
import { FUNCTION_ENV, readConfig, ZALO_ENV } from "../../functions/config.ts";
import { parseCitizenChannelsConfig } from "../../shared/app/citizen-channels.ts";
import {
  actionsOf,
  logicalId,
  refId,
  resources,
  roleStatements,
  type Statement,
  type Synthesized,
  synth,
  ZALO_CONTEXT,
} from "./synth.ts";

let zalo: Synthesized;
beforeAll(() => {
  zalo = synth(ZALO_CONTEXT);
});

const secretId = () => logicalId(zalo.stack.zalo!.secret);
const dataKeyArn = () => ({ "Fn::GetAtt": [logicalId(zalo.stack.node.findChild("DataKey")), "Arn"] });
const viaSecretsManager = () => ({
  StringEquals: {
    "kms:ViaService": { "Fn::Join": ["", ["secretsmanager.", { Ref: "AWS::Region" }, ".amazonaws.com"]] },
    "kms:EncryptionContext:SecretARN": { Ref: secretId() },
  },
});
const statementsOf = (fn: { role: Parameters<typeof logicalId>[0] }): Statement[] =>
  roleStatements(zalo.template, logicalId(fn.role));
const envOf = (fn: { lambda: Parameters<typeof logicalId>[0] }) =>
  (
    resources(zalo.template)[logicalId(fn.lambda)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

describe("a stage with Zalo (-c zalo=true)", () => {
  it("deploys every function of FUNCTION_NAMES, the stage-optional rotation included", () => {
    expect(
      Object.values(zalo.stack.functions)
        .map((fn) => fn.name)
        .sort(),
    ).toEqual([...FUNCTION_NAMES].sort());
    const rotation = zalo.stack.functions.zaloTokenRotation!;
    // The secret is named by each rotation event: the function has no variable of its own.
    expect(Object.keys(envOf(rotation)).sort()).toEqual(
      [
        "NODE_OPTIONS",
        "POWERTOOLS_LOG_LEVEL",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_SERVICE_NAME",
        "STAGE",
        ...FUNCTION_ENV["zalo-token-rotation"],
      ].sort(),
    );
  });

  it("rotates the token secret every 12 hours with that function, invoked only by Secrets Manager for it", () => {
    const [schedule, ...others] = Object.values(
      resources(zalo.template, "AWS::SecretsManager::RotationSchedule"),
    );
    expect(others).toEqual([]);
    expect(schedule?.Properties).toEqual({
      SecretId: { Ref: secretId() },
      RotationLambdaARN: { "Fn::GetAtt": [logicalId(zalo.stack.functions.zaloTokenRotation!.lambda), "Arn"] },
      RotationRules: { ScheduleExpression: "rate(12 hours)" },
      RotateImmediatelyOnUpdate: false,
    });
    const permissions = Object.values(resources(zalo.template, "AWS::Lambda::Permission")).filter(
      (p) => refId(p.Properties?.FunctionName) === logicalId(zalo.stack.functions.zaloTokenRotation!.lambda),
    );
    expect(permissions.map((p) => p.Properties)).toEqual([
      {
        Action: "lambda:InvokeFunction",
        FunctionName: expect.anything(),
        Principal: "secretsmanager.amazonaws.com",
        SourceAccount: { Ref: "AWS::AccountId" },
        SourceArn: { Ref: secretId() },
      },
    ]);
    // Secrets Manager checks that permission when it creates the schedule.
    const [scheduleId] = Object.keys(resources(zalo.template, "AWS::SecretsManager::RotationSchedule"));
    const permissionId = Object.entries(resources(zalo.template, "AWS::Lambda::Permission")).find(
      ([, p]) => p.Properties?.SourceArn !== undefined && refId(p.Properties.SourceArn) === secretId(),
    )?.[0];
    expect(resources(zalo.template)[scheduleId!]!.DependsOn).toContain(permissionId);
  });

  it("gives notify the secret's ARN and the channels, which its cold start reads back unchanged", () => {
    const notify = envOf(zalo.stack.functions.notify);
    expect(
      Object.keys(notify)
        .filter((name) => !["NODE_OPTIONS", "STAGE"].includes(name) && !name.startsWith("POWERTOOLS_"))
        .sort(),
    ).toEqual([...FUNCTION_ENV.notify, ...ZALO_ENV].sort());
    expect(notify.ZALO_SECRET_ARN).toEqual({ Ref: secretId() });
    const example = parseCitizenChannelsConfig(
      JSON.parse(readFileSync(new URL("../../examples/citizen-channels.json", import.meta.url), "utf8")),
    );
    const config = readConfig("notify", {
      STAGE: "prod",
      TABLE_NAME: "t",
      SMS_SENDER_ID: "SONOIVU",
      EMAIL_FROM: "a@b.vn",
      ZALO_SECRET_ARN: "arn:aws:secretsmanager:ap-southeast-1:111122223333:secret:ZaloTokens-AbCdEf",
      CITIZEN_CHANNELS: notify.CITIZEN_CHANNELS as string,
    });
    expect(config.zalo?.channels).toEqual(example);
    // No other function learns of Zalo.
    for (const fn of Object.values(zalo.stack.functions).filter((f) => f.name !== "notify"))
      for (const name of ZALO_ENV) expect(envOf(fn)[name], `${fn.name} ${name}`).toBeUndefined();
  });

  it("lets notify only read the secret (GetSecretValue), decrypting through Secrets Manager for it alone", () => {
    const notify = statementsOf(zalo.stack.functions.notify);
    const secretStatements = notify.filter(
      (s) =>
        actionsOf(s).some((a) => a.startsWith("secretsmanager:")) ||
        JSON.stringify(s.Condition ?? {}).includes("secretsmanager."),
    );
    expect(secretStatements).toEqual([
      { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: { Ref: secretId() } },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: dataKeyArn(), Condition: viaSecretsManager() },
    ]);
  });

  it("lets the rotation read and write that secret and nothing else", () => {
    const rotation = statementsOf(zalo.stack.functions.zaloTokenRotation!);
    const own = logicalId(zalo.stack.functions.zaloTokenRotation!.logGroup);
    expect(rotation).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: { "Fn::GetAtt": [own, "Arn"] },
      },
      { Effect: "Allow", Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: "*" },
      {
        Effect: "Allow",
        Action: [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
          "secretsmanager:PutSecretValue",
          "secretsmanager:UpdateSecretVersionStage",
        ],
        Resource: { Ref: secretId() },
      },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: dataKeyArn(),
        Condition: viaSecretsManager(),
      },
    ]);
  });

  it("gives no other role any secretsmanager action", () => {
    const allowed = [zalo.stack.functions.notify, zalo.stack.functions.zaloTokenRotation!].map((fn) =>
      logicalId(fn.role),
    );
    for (const [id, policy] of Object.entries(resources(zalo.template))) {
      if (policy.Type !== "AWS::IAM::Policy" && policy.Type !== "AWS::IAM::ManagedPolicy") continue;
      const roles = ((policy.Properties?.Roles ?? []) as unknown[]).map(refId);
      if (roles.some((role) => role !== undefined && allowed.includes(role))) continue;
      const document = policy.Properties?.PolicyDocument as { Statement: Statement[] };
      expect(
        document.Statement.flatMap(actionsOf).filter((a) => a.startsWith("secretsmanager:")),
        id,
      ).toEqual([]);
    }
  });

  it("outputs the secret's ARN, for the operator who fills it (docs/deploy.md)", () => {
    expect(zalo.template.toJSON().Outputs.ZaloSecretArn).toEqual({ Value: { Ref: secretId() } });
  });

  it("alarms into the stack's alarm topic on one failed token refresh", () => {
    const alarm = Object.values(resources(zalo.template, "AWS::CloudWatch::Alarm")).find(
      (a) => a.Properties?.MetricName === "ZaloTokenRefreshFailed",
    );
    expect(alarm?.Properties).toMatchObject({
      AlarmName: "dunghan-prod-zalo-token-refresh-failed",
      Namespace: "Dunghan",
      Dimensions: [{ Name: "Stage", Value: "prod" }],
      Threshold: 1,
      AlarmActions: [{ Ref: logicalId(zalo.stack.node.findChild("Alarms").node.findChild("Topic")) }],
    });
  });

  it("keeps cdk-nag AwsSolutions clean (errors and warnings)", () => {
    const { violations } = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(zalo.app);
    expect(
      violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
  });
});
