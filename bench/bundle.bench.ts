/**
 * Lambda bundles as they ship: each functions/<name>.ts bundled with the CDK construct's own
 * esbuild options (cdk/bundling.ts), its size, and its module init time (importing the bundle in
 * a fresh `node --enable-source-maps`, as Lambda loads it; median of N processes).
 * Baselines, same run: the same entry unminified with the AWS SDK bundled in, and minified with the
 * SDK bundled in (which isolates what leaving the SDK to the runtime costs or saves).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { LAMBDA_ESBUILD } from "../cdk/bundling.ts";
import { FUNCTION_NAMES, type FunctionName, functionEntry, REPO_ROOT } from "../cdk/dunghan-function.ts";
import type { Benchmark, Figure } from "./harness.ts";

/** Inside node_modules, so the external `@aws-sdk/*` imports resolve as the runtime's would. */
const OUT_DIR = join(REPO_ROOT, "node_modules", ".cache", "dunghan-bench", "bundle");
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 11);
const TARGET_KB = 300;

type Variant = "shipped" | "unminified+sdk" | "minified+sdk";
const VARIANTS: Record<Variant, BuildOptions> = {
  shipped: LAMBDA_ESBUILD,
  // The baseline the figure is judged against: no minification, the SDK bundled in.
  "unminified+sdk": { ...LAMBDA_ESBUILD, minify: false, external: [] },
  // Isolates the SDK: the shipped options with the SDK bundled instead of taken from the runtime.
  "minified+sdk": { ...LAMBDA_ESBUILD, external: [] },
};
const BASELINES = ["unminified+sdk", "minified+sdk"] as const;

async function bundle(name: FunctionName, variant: Variant): Promise<string> {
  const outfile = join(OUT_DIR, variant, name, "index.mjs");
  await build({ ...VARIANTS[variant], entryPoints: [functionEntry(name)], outfile, logLevel: "silent" });
  return outfile;
}

function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", TZ: "UTC" },
  });
  return Number(out);
}

/**
 * Milliseconds from `import()` to the module graph evaluated, each in a fresh process; median of
 * RUNS. The variants take turns (after one discarded warm-up each) so that drift in the machine's
 * load or file cache hits them alike.
 */
function initMs(files: Record<Variant, string>): Record<Variant, number> {
  const samples = Object.fromEntries(Object.keys(files).map((v) => [v, [] as number[]])) as Record<
    Variant,
    number[]
  >;
  for (const file of Object.values(files)) importMs(file);
  for (let i = 0; i < RUNS; i++) {
    for (const [variant, file] of Object.entries(files) as [Variant, string][])
      samples[variant].push(importMs(file));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([v, values]) => [v, median(values)])) as Record<
    Variant,
    number
  >;
}

const kb = (file: string): number => statSync(file).size / 1024;

export const bundleBenchmark: Benchmark = {
  name: "bundle",
  async run(): Promise<Figure[]> {
    rmSync(OUT_DIR, { recursive: true, force: true });
    mkdirSync(OUT_DIR, { recursive: true });
    const figures: Figure[] = [];
    for (const name of FUNCTION_NAMES) {
      const files = {} as Record<Variant, string>;
      for (const variant of Object.keys(VARIANTS) as Variant[]) files[variant] = await bundle(name, variant);
      const size = kb(files.shipped);
      figures.push({
        figure: `bundle.${name}.size`,
        value: size,
        unit: "KB",
        baselines: Object.fromEntries(BASELINES.map((b) => [b, kb(files[b])])),
        target: `≤ ${TARGET_KB} KB`,
        ...(size > TARGET_KB ? { note: `over the ${TARGET_KB} KB target` } : {}),
      });
      const init = initMs(files);
      figures.push({
        figure: `bundle.${name}.init`,
        value: init.shipped,
        unit: "ms",
        baselines: Object.fromEntries(BASELINES.map((b) => [b, init[b]])),
        note: `median of ${RUNS} fresh node ${process.version} processes, --enable-source-maps (Lambda: Node 22, arm64)`,
      });
    }
    return figures;
  },
};
