/**
 * Typed domain errors with a stable `code` (docs/architecture.md) and a stable `name`: each class
 * states its name, because the Lambda bundles are minified without keeping names (cdk/bundling.ts;
 * test/infra/bundled-names.test.ts). HTTP statuses are mapped once, in the function layer; the CLI maps every DomainError to exit code 2 with its message on stderr.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Extra, non-personal details safe to return to a caller or to log. */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Input that does not make sense: a malformed date, an unknown unit, a negative amount. */
export class InvalidInputError extends DomainError {
  override readonly name: string = "InvalidInputError";
  readonly code = "INVALID_INPUT";
}

/** A date outside the range the calendar supports. */
export class UnsupportedDateError extends DomainError {
  override readonly name: string = "UnsupportedDateError";
  readonly code = "UNSUPPORTED_DATE";
}

/** An operation the current state forbids (a second apology, a transition from a final state). */
export class ConflictError extends DomainError {
  override readonly name: string = "ConflictError";
  readonly code = "CONFLICT";
}

/** A thing that should exist and does not. */
export class NotFoundError extends DomainError {
  override readonly name: string = "NotFoundError";
  readonly code = "NOT_FOUND";
}

/** Too many attempts from one caller or on one thing (the public lookup's limits); try again later. */
export class RateLimitedError extends DomainError {
  override readonly name: string = "RateLimitedError";
  readonly code = "RATE_LIMITED";
}
