import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClock, ManualClock, startTicker, systemClock } from "../../../local/runtime/clock.ts";
import { InvalidInputError } from "../../../shared/errors.ts";

const START = "2026-11-23T07:00:00+07:00";
const START_MS = Date.parse("2026-11-23T00:00:00Z");

describe("createClock", () => {
  it("is the system clock by default", () => {
    expect(createClock()).toBe(systemClock);
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(50);
  });

  it("starts at startAt and runs at speed ×600: 100 real ms are one clock minute", () => {
    let real = 1_000_000;
    const clock = createClock({ startAt: START, speed: 600, realNow: () => real });

    expect(clock.now()).toBe(START_MS);
    real += 100;
    expect(clock.now()).toBe(START_MS + 60_000);
    real += 1_008_000; // 16.8 real minutes
    expect(clock.now()).toBe(START_MS + 60_000 + 7 * 24 * 3600_000);
    expect(clock.toRealMs(60_000)).toBe(100);
  });

  it("held, stays at its start until started, then runs from there (start-up time is not clock time)", () => {
    let real = 1_000_000;
    const clock = createClock({ startAt: START, speed: 600, realNow: () => real, held: true });
    real += 10_000; // Java starting
    expect(clock.now()).toBe(Date.parse(START));
    clock.start();
    real += 100;
    expect(clock.now()).toBe(Date.parse(START) + 60_000);
    clock.start(); // a second start changes nothing
    expect(clock.now()).toBe(Date.parse(START) + 60_000);
  });

  it("refuses a start without an offset (it would depend on the host's zone) and a bad speed", () => {
    expect(() => createClock({ startAt: "2026-11-23T07:00:00" })).toThrow(InvalidInputError);
    expect(() => createClock({ speed: 0 })).toThrow(InvalidInputError);
  });
});

describe("ManualClock", () => {
  it("moves only when told", () => {
    const clock = new ManualClock(START);
    expect(clock.now()).toBe(START_MS);
    expect(clock.advance(90_000)).toBe(START_MS + 90_000);
    expect(clock.set("2026-11-24T00:00:00Z")).toBe(Date.parse("2026-11-24T00:00:00Z"));
    expect(() => clock.advance(-1)).toThrow(InvalidInputError);
  });
});

describe("startTicker", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs every clock minute at ×600 (every 100 real ms) with the clock's time", async () => {
    const clock = createClock({ startAt: START, speed: 600 });
    const seen: number[] = [];
    const ticker = startTicker({ clock, everyMs: 60_000, run: (now) => void seen.push(now) });

    await vi.advanceTimersByTimeAsync(350);
    await ticker.stop();

    expect(seen).toEqual([START_MS + 60_000, START_MS + 120_000, START_MS + 180_000]);
  });

  it("skips ticks while a run is still going and never overlaps", async () => {
    const clock = createClock({ speed: 600 });
    let running = 0;
    let maxRunning = 0;
    let finished = 0;
    const ticker = startTicker({
      clock,
      everyMs: 60_000,
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 250)); // 2.5 ticks long
        running--;
        finished++;
      },
    });

    await vi.advanceTimersByTimeAsync(1000);
    const stopping = ticker.stop();
    await vi.advanceTimersByTimeAsync(300);
    await stopping;

    expect(maxRunning).toBe(1);
    expect(ticker.runs).toBeGreaterThanOrEqual(3);
    expect(ticker.skipped).toBeGreaterThanOrEqual(4);
    expect(ticker.runs + ticker.skipped).toBe(10);
    expect(finished).toBe(ticker.runs);

    const runsAtStop = ticker.runs;
    await vi.advanceTimersByTimeAsync(1000);
    expect(ticker.runs).toBe(runsAtStop);
  });

  it("reports a failed run and keeps ticking", async () => {
    const errors: unknown[] = [];
    const ticker = startTicker({
      clock: new ManualClock(0),
      everyMs: 50,
      run: () => {
        throw new Error("sweep failed");
      },
      onError: (error) => errors.push(error),
    });

    await vi.advanceTimersByTimeAsync(160);
    await ticker.stop();

    expect(errors).toHaveLength(3);
    expect(ticker.runs).toBe(3);
  });
});
