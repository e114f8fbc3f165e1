import { readFileSync } from "node:fs";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { ConfigError, EXAMPLE_CITIZEN_CHANNELS, stageConfig } from "../../cdk/config.ts";

const reader = (context: Record<string, unknown>) => (key: string) => context[key];
const PROD = {
  stage: "prod",
  smsSenderId: "SONOIVU",
  emailFrom: "Sở Nội vụ <canhbao@sonoivu.example.gov.vn>",
  sesIdentity: "sonoivu.example.gov.vn",
};

describe("stage config", () => {
  it("defaults to dev with placeholder messaging, a month of logs and nothing retained", () => {
    const config = stageConfig(reader({}));
    expect(config).toMatchObject({
      stage: "dev",
      region: "ap-southeast-1",
      retainData: false,
      logRetention: RetentionDays.ONE_MONTH,
      cognitoEmailViaSes: false,
      messaging: { placeholders: true },
    });
  });

  it("keeps a year of logs and the data in prod, and sends Cognito mail through SES", () => {
    const config = stageConfig(reader(PROD));
    expect(config).toMatchObject({
      stage: "prod",
      retainData: true,
      logRetention: RetentionDays.ONE_YEAR,
      cognitoEmailViaSes: true,
      messaging: {
        emailFromAddress: "canhbao@sonoivu.example.gov.vn",
        emailFromName: "Sở Nội vụ",
        placeholders: false,
      },
    });
    expect(config.alarms.sweepLagSeconds).toBe(300);
  });

  it("refuses prod without a real sender", () => {
    expect(() => stageConfig(reader({ stage: "prod" }))).toThrow(/smsSenderId, emailFrom, sesIdentity/);
    expect(() => stageConfig(reader({ ...PROD, sesIdentity: undefined }))).toThrow(ConfigError);
  });

  it.each([
    [{ stage: "staging" }, /stage must be one of/],
    [{ ...PROD, smsSenderId: "TOO-LONG-BRANDNAME" }, /smsSenderId/],
    [{ ...PROD, emailFrom: "nobody" }, /emailFrom/],
    [{ ...PROD, sesIdentity: "arn:aws:s3:::bucket" }, /sesIdentity/],
    [{ alarmEmail: "ops" }, /alarmEmail/],
    [{ retainData: "yes" }, /retainData must be true or false/],
    [{ agendaShards: "0" }, /agendaShards/],
    [{ dashboardOrigins: "http://dashboard.example.gov.vn" }, /https/],
    [{ region: "Singapore" }, /region/],
    [{ reportGrades: "xanh 0.98" }, /reportGrades must be JSON/],
    [{ reportGrades: '{"green":1.5,"yellow":0.9,"orange":0.8}' }, /reportGrades is not a grade scale.*green/],
    [{ reportGrades: '{"green":0.9,"yellow":0.95,"orange":0.8}' }, /green ≥ yellow ≥ orange/],
    [
      { reportGrades: { green: 0.98, yellow: 0.9, orange: 0.8, red: 0 } },
      /reportGrades is not a grade scale/,
    ],
    [{ cognitoDomainPrefix: "Dunghan" }, /cognitoDomainPrefix/],
    [{ cognitoDomainPrefix: "dunghan_prod" }, /cognitoDomainPrefix/],
    [{ cognitoDomainPrefix: "-dunghan" }, /cognitoDomainPrefix/],
    [{ cognitoDomainPrefix: "dunghan-cognito" }, /cognitoDomainPrefix/],
    [{ cognitoDomainPrefix: "x".repeat(64) }, /cognitoDomainPrefix/],
    [{ dashboardLocalCallbacks: "yes" }, /dashboardLocalCallbacks must be true or false/],
  ])("rejects %j", (context, message) => {
    expect(() => stageConfig(reader(context))).toThrow(message);
  });

  it("reads the report grades as JSON text (-c) or an object (cdk.json); none by default", () => {
    const scale = { green: 0.98, yellow: 0.9, orange: 0.8, source: "QĐ 1234/QĐ-UBND" };

    expect(stageConfig(reader({ reportGrades: JSON.stringify(scale) })).reportGrades).toEqual(scale);
    expect(stageConfig(reader({ ...PROD, reportGrades: scale })).reportGrades).toEqual(scale);
    expect(stageConfig(reader({})).reportGrades).toBeUndefined();
  });

  it("signs in on a per-stage, per-account Cognito domain and never calls back to localhost, unless told", () => {
    expect(stageConfig(reader(PROD))).toMatchObject({
      cognitoDomainPrefix: undefined,
      dashboardLocalCallbacks: false,
    });
    expect(
      stageConfig(reader({ cognitoDomainPrefix: "dunghan-sonoivu", dashboardLocalCallbacks: "true" })),
    ).toMatchObject({ cognitoDomainPrefix: "dunghan-sonoivu", dashboardLocalCallbacks: true });
  });

  it("lets context override the stage's defaults (strings from -c, values from cdk.json)", () => {
    expect(stageConfig(reader({ ...PROD, retainData: "false" })).retainData).toBe(false);
    expect(stageConfig(reader({ retainData: true })).retainData).toBe(true);
    expect(stageConfig(reader({ agendaShards: 32 })).agendaShards).toBe(32);
    expect(
      stageConfig(reader({ dashboardOrigins: "https://a.gov.vn, http://localhost:5173" })).dashboardOrigins,
    ).toEqual(["https://a.gov.vn", "http://localhost:5173"]);
    expect(
      stageConfig(
        reader({
          ...PROD,
          sesIdentity: "arn:aws:ses:ap-southeast-1:123456789012:identity/sonoivu.example.gov.vn",
        }),
      ).messaging.sesIdentity,
    ).toMatch(/^arn:aws:ses:/);
  });
});

describe("stage config: citizens on Zalo", () => {
  const example = JSON.parse(readFileSync(EXAMPLE_CITIZEN_CHANNELS, "utf8")) as Record<string, unknown>;

  it("is off unless zalo=true, in every stage", () => {
    expect(stageConfig(reader({})).zalo).toBeUndefined();
    expect(stageConfig(reader(PROD)).zalo).toBeUndefined();
    expect(stageConfig(reader({ zalo: "false" })).zalo).toBeUndefined();
  });

  it("reads citizenChannels as JSON text, an object (cdk.json) or a file's path; dev falls back to the example", () => {
    const order = (context: Record<string, unknown>) =>
      stageConfig(reader(context)).zalo?.citizenChannels.order;
    const text = JSON.stringify({ ...example, order: ["sms", "zalo"] });

    expect(order({ ...PROD, zalo: "true", citizenChannels: text })).toEqual(["sms", "zalo"]);
    expect(order({ ...PROD, zalo: true, citizenChannels: { ...example, order: ["zalo", "email"] } })).toEqual(
      ["zalo", "email"],
    );
    expect(order({ ...PROD, zalo: "true", citizenChannels: "examples/citizen-channels.json" })).toEqual(
      example.order,
    );
    expect(order({ zalo: "true" })).toEqual(example.order);
  });

  it("refuses prod without the province's channels, channels without zalo=true, and a malformed document", () => {
    expect(() => stageConfig(reader({ ...PROD, zalo: "true" }))).toThrow(
      /stage prod with zalo=true needs citizenChannels/,
    );
    expect(() => stageConfig(reader({ ...PROD, citizenChannels: JSON.stringify(example) }))).toThrow(
      /citizenChannels is set but zalo is not true/,
    );
    expect(() => stageConfig(reader({ zalo: "true", citizenChannels: '{"order":["fax"]}' }))).toThrow(
      /citizenChannels: invalid citizen channels configuration/,
    );
    expect(() => stageConfig(reader({ zalo: "true", citizenChannels: "no-such-file.json" }))).toThrow(
      ConfigError,
    );
    expect(() => stageConfig(reader({ zalo: "yes" }))).toThrow(/zalo must be true or false/);
  });

  it("refuses channels too large for notify's environment (Lambda: 4 KB for all variables)", () => {
    const big = {
      ...example,
      provinces: { ...(example.provinces as object), other: { source: "x".repeat(3000), templates: {} } },
    };

    expect(() => stageConfig(reader({ zalo: "true", citizenChannels: big }))).toThrow(/at most 3000 fit/);
  });
});
