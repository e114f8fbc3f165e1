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
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

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
  "sync-api": ["TABLE_NAME", "EVENTS_QUEUE_URL", "SYNC_PAYLOADS_BUCKET"],
} as const satisfies Record<FunctionName, readonly string[]>;

export type EnvName = (typeof FUNCTION_ENV)[FunctionName][number] | (typeof COMMON)[number];

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
  return {
    ...(grades ? { grades } : {}),
    functionName,
    stage: env.STAGE!.trim(),
    serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || `dunghan-${functionName}`,
    env: Object.fromEntries(names.map((name) => [name, env[name]!.trim()])),
    agendaShards: shards,
    alertRetentionDays,
  };
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
