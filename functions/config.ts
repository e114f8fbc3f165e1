import { type CitizenChannelsConfig, parseCitizenChannelsConfig } from "../shared/app/citizen-channels.ts";
import { type GradeScale, parseGradeScale } from "../shared/reports/index.ts";

/**
 * Environment variables, read once per container and checked at start: a missing one fails the
 * cold start with every missing name listed (Powertools' envUtils idea), never a request later.
 * The names per function are the contract in functions/README.md, which the CDK stack implements.
 */

export const FUNCTION_NAMES = [
  "ingest-api",
  "apply-events",
  "sweep",
  "digest",
  "notify",
  "apology",
  "api",
  "public-lookup",
  "sync-api",
  "zalo-token-rotation",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Functions a stage deploys only when it turns their feature on (cdk/config.ts): the Zalo token
 * secret's rotation exists only with `-c zalo=true`. Every other function is in every stack.
 */
export const STAGE_OPTIONAL_FUNCTIONS = ["zalo-token-rotation"] as const satisfies readonly FunctionName[];

/** Required by every function. POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL are read by Powertools. */
const COMMON = ["STAGE"] as const;

export const FUNCTION_ENV = {
  "ingest-api": ["TABLE_NAME", "EVENTS_QUEUE_URL"],
  "apply-events": ["TABLE_NAME", "EVENTS_QUEUE_URL", "EVENTS_DLQ_URL"],
  sweep: ["TABLE_NAME", "NOTIFY_QUEUE_URL", "APOLOGY_QUEUE_URL"],
  digest: ["TABLE_NAME", "NOTIFY_QUEUE_URL"],
  notify: ["TABLE_NAME", "SMS_SENDER_ID", "EMAIL_FROM"],
  apology: ["TABLE_NAME", "LETTERS_BUCKET"],
  api: ["TABLE_NAME", "LETTERS_BUCKET", "EVENTS_QUEUE_URL"],
  "public-lookup": ["TABLE_NAME"],
  // LETTERS_BUCKET: only its catalogue/ objects are readable (the procedure catalogue).
  "sync-api": ["TABLE_NAME", "EVENTS_QUEUE_URL", "SYNC_PAYLOADS_BUCKET", "LETTERS_BUCKET"],
  // Secrets Manager names the secret in each rotation event: no variable of its own.
  "zalo-token-rotation": [],
} as const satisfies Record<FunctionName, readonly string[]>;

export type EnvName = (typeof FUNCTION_ENV)[FunctionName][number] | (typeof COMMON)[number];

/**
 * Citizens on Zalo first (docs/zalo.md): the notify function's two optional variables, set
 * together or not at all (the stack sets both when the stage enables Zalo).
 */
export const ZALO_ENV = ["ZALO_SECRET_ARN", "CITIZEN_CHANNELS"] as const;

/** The notify function's Zalo channel: the token secret and the channels' configuration. */
export interface ZaloConfig {
  /** The secret `{ appId, secretKey, accessToken, refreshToken, expiresAt }` (ZALO_SECRET_ARN). */
  readonly secretArn: string;
  /** Order, templates per province, timeout, prices (CITIZEN_CHANNELS, JSON). */
  readonly channels: CitizenChannelsConfig;
}

export interface FunctionConfig {
  readonly functionName: FunctionName;
  readonly stage: string;
  readonly serviceName: string;
  /** The function's own variables, every one present. */
  readonly env: Readonly<Partial<Record<EnvName, string>>>;
  /** Agenda shards per day bucket (AGENDA_SHARDS, optional; raise only). */
  readonly agendaShards: number | undefined;
  /** Days an alert record is kept after its claim (ALERT_RETENTION_DAYS, optional; default 400). */
  readonly alertRetentionDays: number | undefined;
  /**
   * The on-time rate's colour thresholds (REPORT_GRADES, optional JSON
   * `{"green":0.98,"yellow":0.9,"orange":0.8,"source":"QĐ …/UBND"}`; docs/reports.md).
   */
  readonly grades?: GradeScale | undefined;
  /** notify only: ZALO_SECRET_ARN + CITIZEN_CHANNELS when both are set; absent, SMS and e-mail as planned. */
  readonly zalo?: ZaloConfig | undefined;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly missing: readonly string[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

export function readConfig(functionName: FunctionName, env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const names = [...COMMON, ...FUNCTION_ENV[functionName]] as EnvName[];
  const missing = names.filter((name) => (env[name] ?? "").trim() === "");
  if (missing.length > 0) {
    throw new ConfigError(`${functionName}: missing environment variable(s): ${missing.join(", ")}`, missing);
  }
  const shards = wholeNumber(functionName, env, "AGENDA_SHARDS");
  const alertRetentionDays = wholeNumber(functionName, env, "ALERT_RETENTION_DAYS");
  const gradesText = env.REPORT_GRADES?.trim();
  let grades: GradeScale | undefined;
  if (gradesText) {
    try {
      grades = parseGradeScale(JSON.parse(gradesText));
    } catch (error) {
      throw new ConfigError(
        `${functionName}: REPORT_GRADES is not a grade scale: ${(error as Error).message}`,
        ["REPORT_GRADES"],
      );
    }
  }
  const zalo = functionName === "notify" ? zaloConfig(env) : undefined;
  return {
    ...(grades ? { grades } : {}),
    ...(zalo ? { zalo } : {}),
    functionName,
    stage: env.STAGE!.trim(),
    serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || `dunghan-${functionName}`,
    env: Object.fromEntries(names.map((name) => [name, env[name]!.trim()])),
    agendaShards: shards,
    alertRetentionDays,
  };
}

/** ZALO_SECRET_ARN and CITIZEN_CHANNELS: both or neither; a malformed configuration fails the cold start. */
function zaloConfig(env: NodeJS.ProcessEnv): ZaloConfig | undefined {
  const [secretArn, channelsText] = ZALO_ENV.map((name) => env[name]?.trim() || undefined);
  if (secretArn === undefined && channelsText === undefined) return undefined;
  if (secretArn === undefined || channelsText === undefined) {
    const missing = ZALO_ENV.filter((name) => !env[name]?.trim());
    throw new ConfigError(
      `notify: ${ZALO_ENV.join(" and ")} go together (Zalo ZNS); missing: ${missing.join(", ")}`,
      missing,
    );
  }
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(secretArn)) {
    throw new ConfigError("notify: ZALO_SECRET_ARN is not a Secrets Manager secret ARN", ["ZALO_SECRET_ARN"]);
  }
  try {
    return { secretArn, channels: parseCitizenChannelsConfig(JSON.parse(channelsText)) };
  } catch (error) {
    throw new ConfigError(
      `notify: CITIZEN_CHANNELS is not a citizen channels configuration (examples/citizen-channels.json): ${(error as Error).message}`,
      ["CITIZEN_CHANNELS"],
    );
  }
}

/** An optional whole-number variable; unset or empty: undefined. */
function wholeNumber(functionName: FunctionName, env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text) || Number(text) === 0) {
    throw new ConfigError(`${functionName}: ${name} must be a whole number, got "${text}"`, [name]);
  }
  return Number(text);
}

/** A variable of the function's contract (readConfig has checked it is there). */
export function envOf(config: FunctionConfig, name: EnvName): string {
  const value = config.env[name];
  if (value === undefined) {
    throw new ConfigError(`${config.functionName} does not declare ${name} in functions/README.md`, [name]);
  }
  return value;
}
