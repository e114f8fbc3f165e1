import { bundleBenchmark } from "./bundle.bench.ts";
import { calendarBenchmark } from "./calendar.bench.ts";
import { dashboardBenchmark } from "./dashboard.bench.ts";
import { dossierBenchmark } from "./dossier.bench.ts";
import { faultsBenchmark } from "./faults.bench.ts";
import { fuzzBenchmark } from "./fuzz.bench.ts";
import { type Benchmark, type Figure, formatNumber } from "./harness.ts";
import { localStackBenchmark } from "./local-stack.bench.ts";
import { reportsBenchmark } from "./reports.bench.ts";
import { sweepBenchmark } from "./sweep.bench.ts";
import { syncBenchmark } from "./sync.bench.ts";

/** Every benchmark, in the order printed. Add new ones here. */
const BENCHMARKS: Benchmark[] = [
  calendarBenchmark,
  dossierBenchmark,
  bundleBenchmark,
  reportsBenchmark,
  sweepBenchmark,
  localStackBenchmark,
  syncBenchmark,
  dashboardBenchmark,
  fuzzBenchmark,
  faultsBenchmark,
];

const args = process.argv.slice(2);
const json = args.includes("--json");
const only = args.find((arg) => !arg.startsWith("--"));

const figures: Figure[] = [];
for (const benchmark of BENCHMARKS) {
  if (only && !benchmark.name.includes(only)) continue;
  console.log(`\n# ${benchmark.name}`);
  for (const figure of await benchmark.run()) {
    figures.push(figure);
    const baselines = Object.entries(figure.baselines)
      // Counts (events lost, 5xx answers, alerts sent twice) are often 0: no ratio then.
      .map(([name, value]) => {
        const ratio = figure.value / value;
        return `${name}: ${formatNumber(value)}${value !== 0 && Number.isFinite(ratio) ? ` (×${formatNumber(ratio)})` : ""}`;
      })
      .join(", ");
    const target = figure.target ? `  target ${figure.target}` : "";
    console.log(`${figure.figure}: ${formatNumber(figure.value)} ${figure.unit}${target}`);
    if (baselines) console.log(`    vs ${baselines}`);
    if (figure.note) console.log(`    ${figure.note}`);
  }
}
if (json) {
  for (const figure of figures) {
    console.log(
      JSON.stringify({
        figure: figure.figure,
        value: Math.round(figure.value * 100) / 100,
        unit: figure.unit,
        baselines: figure.baselines,
      }),
    );
  }
}
