import { LogFormatter, Logger, LogItem } from "@aws-lambda-powertools/logger";
import type { LogAttributes, LogLevel, UnformattedAttributes } from "@aws-lambda-powertools/logger/types";
import { maskEmail, maskPhone } from "../../letters/notices/index.ts";

/**
 * Phone numbers and e-mail addresses never reach a log (Nghị định 13/2023/NĐ-CP). Every log line
 * of the functions goes through `redactLogData`: values under contact-like keys are replaced, and
 * phone numbers and e-mail addresses found in any string (a message, an error, a provider's echo)
 * are masked the way the letters module masks them ("09******78", "n***@e***.vn").
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/**
 * Vietnamese numbers: +84, 84 or 0, then 9–10 digits, optionally grouped by spaces, dots or
 * dashes. Not inside a longer token: a dossier code ("000.00.12.H42-261120-0001"), an ISO instant
 * or an epoch number is left alone.
 */
const PHONE = /(?<![\w.+\-:/])(?:\+84|84|0)(?:[ .-]?\d){9,10}(?!\d)/g;

/** Keys whose values are contacts whatever they look like. */
const CONTACT_KEYS = /^(phone|phoneNumber|email|emailAddress|e-mail|to|address|toAddresses|destination)$/i;

const MAX_DEPTH = 12;

export function redactText(text: string): string {
  return text.replace(EMAIL, (match) => maskEmail(match)).replace(PHONE, (match) => maskPhone(match));
}

/** A copy of `value` with contacts masked; Errors become plain objects (name, message, stack, code, details). */
export function redactLogData(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (depth > MAX_DEPTH) return "[deep]";
  seen.add(value);
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown; details?: unknown };
    return {
      name: error.name,
      message: redactText(error.message),
      ...(error.stack === undefined ? {} : { stack: redactText(error.stack) }),
      ...(error.code === undefined ? {} : { code: walk(error.code, depth + 1, seen) }),
      ...(error.details === undefined ? {} : { details: walk(error.details, depth + 1, seen) }),
      ...(error.cause === undefined ? {} : { cause: walk(error.cause, depth + 1, seen) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      CONTACT_KEYS.test(key) && item !== undefined && item !== null
        ? "[redacted]"
        : walk(item, depth + 1, seen);
  }
  return out;
}

/** The Powertools JSON layout, with every attribute passed through `redactLogData`. */
export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: redactText(attributes.message ?? ""),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redactLogData(additional) as LogAttributes);
  }
}

export interface CreateLoggerOptions {
  readonly serviceName?: string;
  /** Default: POWERTOOLS_LOG_LEVEL, else INFO. */
  readonly level?: LogLevel;
  readonly persistentKeys?: LogAttributes;
}

/** The functions' logger: Powertools JSON lines, contacts redacted. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return new Logger({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    ...(options.level === undefined ? {} : { logLevel: options.level }),
    ...(options.persistentKeys === undefined ? {} : { persistentKeys: options.persistentKeys }),
    logFormatter: new RedactingLogFormatter(),
  });
}
