import { readFileSync } from "node:fs";
import { Duration } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { type CitizenChannelsConfig, parseCitizenChannelsConfig } from "../shared/app/citizen-channels.ts";
import { type GradeScale, parseGradeScale } from "../shared/reports/grades.ts";

/**
 * Everything that differs between stages, in one typed place. The app reads the CDK context
 * (`-c key=value` or cdk.json "context") once, here, and fails synthesis on a bad value rather
 * than deploying a half-configured province.
 */

export const STAGES = ["dev", "prod"] as const;
export type StageName = (typeof STAGES)[number];

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface MessagingConfig {
  /** SNS "AWS.SNS.SMS.SenderID": the registered brandname, 1–11 letters and digits. */
  readonly smsSenderId: string;
  /** The From header of alert e-mails, e.g. `Sở Nội vụ <canhbao@sonoivu.example.gov.vn>`. */
  readonly emailFrom: string;
  /** The bare address inside `emailFrom` (IAM's `ses:FromAddress` compares this). */
  readonly emailFromAddress: string;
  /** The display name of `emailFrom`, if it has one. */
  readonly emailFromName: string | undefined;
  /** A verified SES identity: its name (domain or address) or its ARN. */
  readonly sesIdentity: string;
  /** True when the values above are dev placeholders, not a province's real sender. */
  readonly placeholders: boolean;
}

export interface AlarmThresholds {
  /** Sweep lag (seconds behind the oldest due alert) that pages someone… */
  readonly sweepLagSeconds: number;
  /** …when it holds for this many consecutive one-minute periods. */
  readonly sweepLagPeriods: number;
  /** Oldest message on the events queue (seconds): apply-events is not keeping up. */
  readonly eventsOldestMessageSeconds: number;
  /** Oldest message on the notify queue (seconds): warnings are going out late. */
  readonly notifyOldestMessageSeconds: number;
  /** Function errors in five minutes that raise the function's alarm (≥). */
  readonly functionErrors: number;
  /** HTTP API 5xx responses in five minutes (≥). */
  readonly api5xx: number;
}

export interface StageConfig {
  readonly stage: StageName;
  /**
   * The AWS region the stack is pinned to (default ap-southeast-1, Singapore: the nearest region
   * with SNS SMS to Vietnam, SES, Scheduler and Cognito Plus). The account stays unresolved, so
   * synthesis needs no credentials; `cdk deploy` uses the profile's account.
   */
  readonly region: string;
  /**
   * Keep the data when the stack goes: RETAIN on the table, key, user pool, buckets and log
   * groups, plus deletion protection on the table and user pool. Default: prod only.
   */
  readonly retainData: boolean;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  /** How long replaced or deleted versions of a letter are kept. */
  readonly letterNoncurrentVersionsExpireAfter: Duration;
  /** How long S3 server access logs are kept. */
  readonly accessLogsExpireAfter: Duration;
  readonly alarms: AlarmThresholds;
  /**
   * Maximum concurrency of the SQS event sources: it caps what each consumer can take from the
   * account's Lambda pool and what it throws at SNS/SES rate limits, without reserving any.
   */
  readonly consumerConcurrency: {
    readonly applyEvents: number;
    readonly notify: number;
    readonly apology: number;
  };
  /** HTTP API stage defaults (requests per second; burst). */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly messaging: MessagingConfig;
  /** Cognito sends invitations through the SES identity (Cognito's own mailer: 50 a day). */
  readonly cognitoEmailViaSes: boolean;
  readonly alarmEmail: string | undefined;
  /** AGENDA_SHARDS for the functions; unset = the table design's default. Raise only. */
  readonly agendaShards: number | undefined;
  /** Browser origins allowed to call the API (CORS); empty = no CORS. */
  readonly dashboardOrigins: readonly string[];
  /**
   * REPORT_GRADES for the api function: the province's colour thresholds of the on-time rate
   * (docs/reports.md, "Colour grades"); unset = dunghan's placeholder scale.
   */
  readonly reportGrades: GradeScale | undefined;
  /**
   * The Cognito domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`, managed login).
   * Prefixes are unique per region across all accounts: undefined = `dunghan-<stage>-<account id>`.
   */
  readonly cognitoDomainPrefix: string | undefined;
  /**
   * Also register `http://localhost:3000/dashboard/` as a callback and sign-out URL of the
   * dashboard's client (a developer's machine). Off unless asked for, in every stage.
   */
  readonly dashboardLocalCallbacks: boolean;
  /**
   * Citizens on Zalo first (docs/zalo.md): `-c zalo=true` adds the token secret, its rotation
   * function and alarm, and gives notify the channels. Off by default: nothing Zalo is deployed.
   */
  readonly zalo: ZaloStageConfig | undefined;
}

export interface ZaloStageConfig {
  /**
   * The channel order, the province's approved templates and prices (context `citizenChannels`:
   * JSON text, an object in cdk.json, or a JSON file's path). dev without it: the example file.
   */
  readonly citizenChannels: CitizenChannelsConfig;
}

/** The demo province's invented template ids: dev only (docs/zalo.md). */
export const EXAMPLE_CITIZEN_CHANNELS = new URL("../examples/citizen-channels.json", import.meta.url);

/**
 * CITIZEN_CHANNELS travels in notify's environment, and Lambda allows 4 KB for all of a
 * function's variables together; the rest of notify's take well under 1 KB.
 */
export const CITIZEN_CHANNELS_MAX_CHARS = 3000;

/** Reads one context value; `app.node.tryGetContext` in the app, a map in tests. */
export type ContextReader = (key: string) => unknown;

const DEV_MESSAGING = {
  smsSenderId: "DUNGHAN",
  emailFrom: "dunghan <no-reply@example.com>",
  sesIdentity: "example.com",
} as const;

type StageDefaults = Omit<
  StageConfig,
  | "stage"
  | "region"
  | "messaging"
  | "alarmEmail"
  | "agendaShards"
  | "dashboardOrigins"
  | "cognitoEmailViaSes"
  | "reportGrades"
  | "cognitoDomainPrefix"
  | "dashboardLocalCallbacks"
  | "zalo"
>;

export const DEFAULT_REGION = "ap-southeast-1";

const BASE: Record<StageName, StageDefaults> = {
  dev: {
    retainData: false,
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: "DEBUG",
    letterNoncurrentVersionsExpireAfter: Duration.days(7),
    accessLogsExpireAfter: Duration.days(30),
    alarms: {
      sweepLagSeconds: 600,
      sweepLagPeriods: 3,
      eventsOldestMessageSeconds: 1800,
      notifyOldestMessageSeconds: 1800,
      functionErrors: 5,
      api5xx: 20,
    },
    consumerConcurrency: { applyEvents: 5, notify: 2, apology: 2 },
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
  },
  prod: {
    retainData: true,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: "INFO",
    letterNoncurrentVersionsExpireAfter: Duration.days(365),
    accessLogsExpireAfter: Duration.days(365),
    alarms: {
      sweepLagSeconds: 300,
      sweepLagPeriods: 3,
      // The province's system may send a morning burst; 5 minutes behind is already news.
      eventsOldestMessageSeconds: 300,
      notifyOldestMessageSeconds: 600,
      functionErrors: 1,
      api5xx: 5,
    },
    // apply-events: each batch is one TransactWriteItems per dossier; 50 in flight is far below
    // on-demand's limits yet keeps the rest of the account's concurrency for the API.
    // notify: SNS SMS and SES start at low per-second quotas (SES sandbox exit: 14/s).
    consumerConcurrency: { applyEvents: 50, notify: 5, apology: 5 },
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
  },
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(`dunghan CDK context: ${message}`);
    this.name = "ConfigError";
  }
}

export function stageConfig(context: ContextReader): StageConfig {
  const stage = text(context, "stage") ?? "dev";
  if (!isStage(stage)) throw new ConfigError(`stage must be one of ${STAGES.join(", ")}; got "${stage}"`);
  const base = BASE[stage];
  const region = text(context, "region") ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new ConfigError(`region is not an AWS region: "${region}"`);
  const retainData = flag(context, "retainData") ?? base.retainData;
  const logLevel = text(context, "logLevel") ?? base.logLevel;
  if (!["DEBUG", "INFO", "WARN", "ERROR"].includes(logLevel)) {
    throw new ConfigError(`logLevel must be DEBUG, INFO, WARN or ERROR; got "${logLevel}"`);
  }
  const messaging = messagingConfig(context, stage);
  const alarmEmail = text(context, "alarmEmail");
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new ConfigError(`alarmEmail is not an e-mail address: "${alarmEmail}"`);
  }
  const agendaShards = integer(context, "agendaShards");
  if (agendaShards !== undefined && (agendaShards < 1 || agendaShards > 100)) {
    throw new ConfigError("agendaShards must be from 1 to 100 (and may only be raised once data is stored)");
  }
  const dashboardOrigins = (text(context, "dashboardOrigins") ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  for (const origin of dashboardOrigins) {
    // A host name, no wildcard: "https://*.example" would let any subdomain (anyone's upload
    // bucket, say) call the API with a leader's token in the browser (docs/security.md).
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin) && !/^http:\/\/localhost(:\d+)?$/.test(origin)) {
      throw new ConfigError(`dashboardOrigins: "${origin}" must be https://host (or http://localhost:port)`);
    }
  }
  const reportGrades = gradeScale(context, "reportGrades");
  const cognitoDomainPrefix = text(context, "cognitoDomainPrefix");
  // Cognito: lower-case letters, digits and hyphens, at most 63, and none of its reserved words.
  if (
    cognitoDomainPrefix !== undefined &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(cognitoDomainPrefix) ||
      /aws|amazon|cognito/.test(cognitoDomainPrefix))
  ) {
    throw new ConfigError(
      `cognitoDomainPrefix must be lower-case letters, digits and hyphens without "aws", "amazon" or "cognito"; got "${cognitoDomainPrefix}"`,
    );
  }
  return {
    ...base,
    stage,
    region,
    retainData,
    logLevel: logLevel as LogLevel,
    messaging,
    cognitoEmailViaSes: flag(context, "cognitoEmailViaSes") ?? !messaging.placeholders,
    alarmEmail,
    agendaShards,
    dashboardOrigins,
    reportGrades,
    cognitoDomainPrefix,
    dashboardLocalCallbacks: flag(context, "dashboardLocalCallbacks") ?? false,
    zalo: zaloConfig(context, stage),
  };
}

/** `zalo` (default false) and `citizenChannels`, checked with the parser notify runs at cold start. */
function zaloConfig(context: ContextReader, stage: StageName): ZaloStageConfig | undefined {
  const on = flag(context, "zalo") ?? false;
  const value = context("citizenChannels");
  const given = value !== undefined && value !== null && value !== "";
  if (!on) {
    if (given)
      throw new ConfigError("citizenChannels is set but zalo is not true: set -c zalo=true or drop it");
    return undefined;
  }
  if (!given && stage === "prod") {
    throw new ConfigError(
      "stage prod with zalo=true needs citizenChannels: the province's approved ZNS templates (docs/zalo.md)",
    );
  }
  let document: unknown = value;
  try {
    if (!given) document = JSON.parse(readFileSync(EXAMPLE_CITIZEN_CHANNELS, "utf8"));
    else if (typeof value === "string")
      document = JSON.parse(value.trim().startsWith("{") ? value : readFileSync(value.trim(), "utf8"));
  } catch (error) {
    throw new ConfigError(
      `citizenChannels must be JSON, or the path of a JSON file (${(error as Error).message})`,
    );
  }
  let citizenChannels: CitizenChannelsConfig;
  try {
    citizenChannels = parseCitizenChannelsConfig(document);
  } catch (error) {
    throw new ConfigError(`citizenChannels: ${(error as Error).message}`);
  }
  const size = JSON.stringify(citizenChannels).length;
  if (size > CITIZEN_CHANNELS_MAX_CHARS) {
    throw new ConfigError(
      `citizenChannels is ${size} characters as JSON; at most ${CITIZEN_CHANNELS_MAX_CHARS} fit in notify's environment (4 KB for all its variables)`,
    );
  }
  return { citizenChannels };
}

const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function messagingConfig(context: ContextReader, stage: StageName): MessagingConfig {
  const given = {
    smsSenderId: text(context, "smsSenderId"),
    emailFrom: text(context, "emailFrom"),
    sesIdentity: text(context, "sesIdentity"),
  };
  const missing = Object.entries(given)
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);
  // A province must not go live sending from a placeholder; dev may.
  if (stage === "prod" && missing.length > 0) {
    throw new ConfigError(`stage prod needs ${missing.join(", ")} (see docs/deploy.md)`);
  }
  const smsSenderId = given.smsSenderId ?? DEV_MESSAGING.smsSenderId;
  const emailFrom = given.emailFrom ?? DEV_MESSAGING.emailFrom;
  const sesIdentity = given.sesIdentity ?? DEV_MESSAGING.sesIdentity;
  if (!SENDER_ID.test(smsSenderId)) {
    throw new ConfigError(`smsSenderId must be 1–11 letters and digits with a letter; got "${smsSenderId}"`);
  }
  const named = /^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/.exec(emailFrom);
  const emailFromAddress = named?.[2] ?? emailFrom;
  const emailFromName = named?.[1] || undefined;
  if (!EMAIL.test(emailFromAddress)) throw new ConfigError(`emailFrom has no e-mail address: "${emailFrom}"`);
  const identityOk = sesIdentity.startsWith("arn:")
    ? /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/\S+$/.test(sesIdentity)
    : /^([^\s@/:]+@)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(sesIdentity);
  if (!identityOk) {
    throw new ConfigError(
      `sesIdentity must be a domain, an address or an SES identity ARN; got "${sesIdentity}"`,
    );
  }
  return {
    smsSenderId,
    emailFrom,
    emailFromAddress,
    emailFromName,
    sesIdentity,
    placeholders: missing.length > 0,
  };
}

/**
 * A grade scale: JSON text from `-c reportGrades='{…}'`, or an object in cdk.json. Checked with
 * the parser the api function runs at cold start, so a scale that synthesises also starts.
 */
function gradeScale(context: ContextReader, key: string): GradeScale | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === "") return undefined;
  const example = '{"green":0.98,"yellow":0.9,"orange":0.8,"source":"QĐ …/UBND"}';
  let scale: unknown = value;
  if (typeof value === "string") {
    try {
      scale = JSON.parse(value);
    } catch {
      throw new ConfigError(`${key} must be JSON like ${example}; got "${value}"`);
    }
  }
  try {
    return parseGradeScale(scale);
  } catch (error) {
    throw new ConfigError(
      `${key} is not a grade scale (${(error as Error).message}); expected e.g. ${example}`,
    );
  }
}

function isStage(value: string): value is StageName {
  return (STAGES as readonly string[]).includes(value);
}

/** Context from `-c` is always a string; from cdk.json it may be a boolean or a number. */
function text(context: ContextReader, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw new ConfigError(`${key} must be a string`);
  }
  return String(value).trim();
}

function flag(context: ContextReader, key: string): boolean | undefined {
  const value = text(context, key);
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new ConfigError(`${key} must be true or false; got "${value}"`);
}

function integer(context: ContextReader, key: string): number | undefined {
  const value = text(context, key);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${key} must be a whole number; got "${value}"`);
  return Number(value);
}
