/**
 * Fixed-window counters for the public routes (the applicant's lookup): `hit` counts one attempt
 * under `key` in the window that holds `now` and says whether it is still within `limit`.
 * On AWS the counters are DynamoDB items that expire with the table's TTL
 * (shared/adapters/dynamodb/rate-limiter.dynamodb.ts); locally and in tests, this in-memory one.
 * Keys never hold a phone number: a client is its source IP (or a hash of it), a dossier its code.
 */
export interface RateWindow {
  /** Attempts allowed per window. */
  readonly limit: number;
  /** Window length, ms. */
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Attempts counted in this window, this one included. */
  readonly count: number;
  /** Ms until the window ends (when a refused caller may try again). */
  readonly retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one attempt under `key`. */
  hit(key: string, window: RateWindow, now: number): Promise<RateDecision>;
  /** The count so far in the current window, without counting. */
  peek(key: string, window: RateWindow, now: number): Promise<RateDecision>;
}

export function windowStart(window: RateWindow, now: number): number {
  return Math.floor(now / window.windowMs) * window.windowMs;
}

/** The decision for `count` attempts in the window holding `now`. */
export function rateDecision(count: number, window: RateWindow, now: number): RateDecision {
  return {
    allowed: count <= window.limit,
    count,
    retryAfterMs: windowStart(window, now) + window.windowMs - now,
  };
}

export class InMemoryRateLimiter implements RateLimiter {
  readonly #counts = new Map<string, { start: number; count: number }>();

  async hit(key: string, window: RateWindow, now: number): Promise<RateDecision> {
    const start = windowStart(window, now);
    const entry = this.#counts.get(key);
    const count = entry !== undefined && entry.start === start ? entry.count + 1 : 1;
    this.#counts.set(key, { start, count });
    if (this.#counts.size > 100_000) this.#forgetBefore(start);
    return rateDecision(count, window, now);
  }

  async peek(key: string, window: RateWindow, now: number): Promise<RateDecision> {
    const start = windowStart(window, now);
    const entry = this.#counts.get(key);
    const count = entry !== undefined && entry.start === start ? entry.count : 0;
    return rateDecision(count, window, now);
  }

  #forgetBefore(start: number): void {
    for (const [key, entry] of this.#counts) if (entry.start < start) this.#counts.delete(key);
  }
}
