/**
 * Ports for sending SMS and e-mail. Use cases depend on these; the SNS and SES v2 adapters in
 * `shared/adapters/messaging/` implement them in production and, pointed at the fake endpoints in
 * `local/runtime/fake-aws/`, locally too.
 *
 * Recipients are personal data (Nghị định 13/2023/NĐ-CP): no phone number or e-mail address goes
 * into an error message, its details or a log line.
 */
import { DomainError } from "../errors.ts";

export interface SmsMessage {
  /** E.164, e.g. "+84912345678". */
  readonly to: string;
  readonly text: string;
  /** Registered brandname; SMS to Vietnamese numbers is dropped without one. Overrides the adapter's default. */
  readonly senderId?: string;
  /**
   * The caller's idempotency key (e.g. `<dossier>#<notice>#<attempt>`). SNS has no deduplication
   * for SMS, so adapters do not send it; callers record it to avoid a second send.
   */
  readonly dedupeId?: string;
}

export interface EmailMessage {
  readonly to: string;
  /** "Name <address>" or a bare address; the domain must be verified with the provider. */
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  /** Plain-text alternative, shown by clients that do not render HTML. */
  readonly text: string;
}

export interface SentMessage {
  /** The provider's id (SNS MessageId, SES MessageId), for tracing a delivery. */
  readonly providerMessageId: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SentMessage>;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<SentMessage>;
}

/** Whether a delivery error is worth another attempt later. */
export abstract class DeliveryError extends DomainError {
  abstract readonly retryable: boolean;

  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, details);
    if (cause !== undefined) this.cause = cause;
  }
}

/** The provider refused for now (rate or quota); the same message may succeed later. */
export class ThrottledError extends DeliveryError {
  override readonly name: string = "ThrottledError";
  readonly code = "THROTTLED";
  readonly retryable = true;
}

/** The message can never be delivered as it is (bad number, unverified sender, rejected content). */
export class PermanentDeliveryError extends DeliveryError {
  override readonly name: string = "PermanentDeliveryError";
  readonly code = "PERMANENT_DELIVERY_FAILURE";
  readonly retryable = false;
}
