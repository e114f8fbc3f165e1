/**
 * Maps AWS SDK errors from SNS and SES v2 to the messaging ports' typed errors, once, for both
 * adapters. Provider messages are kept only after redaction: SNS echoes the phone number in some
 * InvalidParameter messages, and recipients stay out of errors and logs (NĐ 13/2023).
 */
import { PermanentDeliveryError, ThrottledError } from "../../app/messaging-ports.ts";

/** Error names the SDKs and services use for rate and quota refusals. */
const THROTTLING_NAMES = new Set([
  "Throttling",
  "ThrottlingException",
  "Throttled",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "KMSThrottlingException",
  // SES v2: sending quota reached; it refills, so a later attempt can succeed.
  "LimitExceededException",
]);

/** Error names that mean this message, as it is, will never be accepted. */
const PERMANENT_NAMES = new Set([
  "InvalidParameter",
  "InvalidParameterException",
  "InvalidParameterValue",
  "InvalidParameterValueException",
  "ValidationError",
  "ValidationException",
  "BadRequestException",
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "NotFoundException",
  "AccountSuspendedException",
  "SendingPausedException",
  "AuthorizationError",
  "AuthorizationErrorException",
]);

/** 429 Too Many Requests and 503 Service Unavailable (SDK retries exhausted). */
const THROTTLING_STATUSES = new Set([429, 503]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly $retryable?: { readonly throttling?: boolean };
}

const PHONE = /\+?\d[\d ().-]{6,}\d/g;
const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;

/** Removes phone numbers and e-mail addresses from a provider message. */
export function redactRecipients(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

/**
 * A ThrottledError or PermanentDeliveryError for a known SDK error; the error itself, unchanged,
 * for anything else (network failures, 5xx after the SDK's own retries): never swallowed.
 */
export function toDeliveryError(error: unknown, provider: "sns" | "sesv2"): unknown {
  if (typeof error !== "object" || error === null) return error;
  const sdk = error as SdkErrorShape;
  const name = typeof sdk.name === "string" ? sdk.name : "Error";
  const status = sdk.$metadata?.httpStatusCode;
  const details = {
    provider,
    providerCode: name,
    httpStatus: status,
    requestId: sdk.$metadata?.requestId,
    providerMessage: typeof sdk.message === "string" ? redactRecipients(sdk.message) : undefined,
  };
  if (
    THROTTLING_NAMES.has(name) ||
    sdk.$retryable?.throttling === true ||
    (status !== undefined && THROTTLING_STATUSES.has(status))
  ) {
    return new ThrottledError(`${provider} throttled the message (${name})`, details, error);
  }
  if (PERMANENT_NAMES.has(name)) {
    return new PermanentDeliveryError(`${provider} refused the message (${name})`, details, error);
  }
  return error;
}
