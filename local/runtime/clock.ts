/**
 * Clocks for the local runtime. `shared/` never reads the wall clock (docs/architecture.md); the
 * composition root passes one of these. A sped-up clock lets a week of deadlines, warnings and
 * sweeps play out in minutes: at ×600 a clock minute lasts 100 ms.
 */
import { parseInstant as parseIsoInstant } from "../../shared/calendar/local-date.ts";
import { InvalidInputError } from "../../shared/errors.ts";

/** Epoch milliseconds. Structurally the same as the application's clock port. */
export interface Clock {
  now(): number;
}

export interface ScaledClock extends Clock {
  /** Clock milliseconds per real millisecond (1 = real time). */
  readonly speed: number;
  /** Real milliseconds that `clockMs` of this clock take. */
  toRealMs(clockMs: number): number;
}

export interface ClockOptions {
  /** Where the clock starts: epoch ms or ISO 8601 with an offset ("2026-11-23T07:00:00+07:00"). Default: now. */
  readonly startAt?: number | string;
  /** Default 1. */
  readonly speed?: number;
  /** The real time source; tests replace it. */
  readonly realNow?: () => number;
  /**
   * Hold the clock at its start until `start()` is called: the local stack starts it once it is
   * ready, so a sped-up run does not lose clock hours to Java's start-up (at ×4000, 10 s ≈ 11 h).
   */
  readonly held?: boolean;
}

/** A clock that may be held at its start (see `ClockOptions.held`). */
export interface StartableClock extends ScaledClock {
  /** Lets a held clock run from its start instant; no effect when it runs already. */
  start(): void;
}

export const systemClock: StartableClock = {
  now: () => Date.now(),
  speed: 1,
  toRealMs: (clockMs) => clockMs,
  start: () => {},
};

/**
 * A clock's start: epoch milliseconds, or an ISO-8601 instant with its offset (the one instant
 * grammar; without an offset the start of a run would depend on a guess).
 */
export function parseInstant(value: number | string): number {
  if (typeof value === "string") return parseIsoInstant(value.trim(), { offset: "required" });
  if (!Number.isFinite(value)) throw new InvalidInputError(`Not an instant: ${String(value)}`);
  return value;
}

/** Real time by default; with `startAt` and/or `speed`, a clock that starts there and runs faster. */
export function createClock(options: ClockOptions = {}): StartableClock {
  const speed = options.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0))
    throw new InvalidInputError(`Clock speed must be > 0: ${speed}`);
  const realNow = options.realNow ?? Date.now;
  if (options.startAt === undefined && speed === 1 && options.realNow === undefined) return systemClock;
  const clockStart = options.startAt === undefined ? realNow() : parseInstant(options.startAt);
  let realStart: number | undefined = options.held ? undefined : realNow();
  return {
    now: () =>
      realStart === undefined ? clockStart : Math.floor(clockStart + (realNow() - realStart) * speed),
    speed,
    toRealMs: (clockMs) => clockMs / speed,
    start: () => {
      realStart ??= realNow();
    },
  };
}

/** A clock that moves only when told: for tests. */
export class ManualClock implements ScaledClock {
  readonly speed = 1;
  #now: number;

  constructor(startAt: number | string = 0) {
    this.#now = parseInstant(startAt);
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new InvalidInputError(`A clock does not go back: ${ms}`);
    this.#now += ms;
    return this.#now;
  }

  set(ms: number | string): number {
    this.#now = parseInstant(ms);
    return this.#now;
  }

  toRealMs(clockMs: number): number {
    return clockMs;
  }
}

export interface TickerOptions {
  readonly clock: ScaledClock;
  /** Clock milliseconds between runs, e.g. 60_000 for "every minute of clock time". */
  readonly everyMs: number;
  /** Receives the clock's time at the tick. */
  readonly run: (now: number) => unknown;
  /** A failed run is reported here and the ticker keeps going. Default: rethrown asynchronously. */
  readonly onError?: (error: unknown) => void;
  /** Floor for the real interval, so ×10 000 does not spin the CPU. Default 10 ms. */
  readonly minRealIntervalMs?: number;
}

export interface Ticker {
  /** Runs started so far. */
  readonly runs: number;
  /** Ticks skipped because the previous run was still going. */
  readonly skipped: number;
  /** Stops ticking; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Calls `run` every `everyMs` of clock time (real interval `clock.toRealMs(everyMs)`). A tick that
 * comes while the previous run is still going is skipped, never queued: sweeps must not overlap.
 */
export function startTicker(options: TickerOptions): Ticker {
  if (!(options.everyMs > 0)) throw new InvalidInputError(`Ticker interval must be > 0: ${options.everyMs}`);
  const realInterval = Math.max(options.minRealIntervalMs ?? 10, options.clock.toRealMs(options.everyMs));
  const onError =
    options.onError ??
    ((error: unknown) => {
      queueMicrotask(() => {
        throw error;
      });
    });
  let running: Promise<void> | undefined;
  let runs = 0;
  let skipped = 0;
  let stopped = false;

  const tick = (): void => {
    if (stopped) return;
    if (running) {
      skipped++;
      return;
    }
    runs++;
    const current = (async () => {
      try {
        await options.run(options.clock.now());
      } catch (error) {
        onError(error);
      }
    })();
    running = current;
    // Cleared only after the assignment above, even when `run` finishes synchronously.
    void current.then(() => {
      if (running === current) running = undefined;
    });
  };

  const timer = setInterval(tick, realInterval);
  return {
    get runs() {
      return runs;
    },
    get skipped() {
      return skipped;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
