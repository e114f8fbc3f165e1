import type { Sleep } from "./clock.ts";
import { ThrottledError } from "./messaging-ports.ts";

export interface ThrottleRetryOptions {
  /** Attempts in this process, the first included (default 3). */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep: Sleep;
  /** [0, 1); Math.random in production, fixed in tests. */
  readonly random: () => number;
}

/**
 * Retries a send the provider throttled, a few times with exponential backoff and full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"), then gives up with the last
 * ThrottledError so the caller can hand the message back to SQS for a later try. Any other error
 * is thrown at once.
 */
export async function retryOnThrottle<T>(send: () => Promise<T>, options: ThrottleRetryOptions): Promise<T> {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ThrottledError) || attempt >= attempts) throw error;
      await options.sleep(Math.floor(options.random() * Math.min(max, base * 2 ** (attempt - 1))));
    }
  }
}
