/**
 * The benchmark harness behind `npm run bench`. Each figure is measured beside its baselines in
 * the same run, on the same inputs (DEVELOPERS.md: speed is measured, not assumed).
 * With `--json`, the last lines are one JSON object per figure:
 *   {"figure":"deadline.working-days","value":…,"unit":"ops/s","baselines":{"day-loop":…}}
 */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  baselines: Record<string, number>;
  /** A target the figure should meet, printed beside it (e.g. "≥ 1,000,000 ops/s"). */
  target?: string;
  note?: string;
}

export interface Benchmark {
  name: string;
  run: () => Promise<Figure[]>;
}

/** Runs `fn` over `inputs` repeatedly for at least `minMs`, returning operations per second. */
export function opsPerSecond<T>(inputs: readonly T[], fn: (input: T) => unknown, minMs = 1000): number {
  let sink = 0;
  // Warm-up so the JIT has compiled the hot path before timing.
  for (let i = 0; i < Math.min(inputs.length, 20_000); i++) sink ^= Number(Boolean(fn(inputs[i]!)));
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const input of inputs) sink ^= Number(Boolean(fn(input)));
    ops += inputs.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (sink === 42) console.log("");
  return (ops / elapsed) * 1000;
}

/** A small deterministic PRNG (mulberry32) so every run uses the same inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
}
