import type { Metrics, MetricUnit } from "../../app/metrics.ts";

export interface EmfMetricsOptions {
  readonly namespace?: string;
  /** The `Stage` dimension (dev, staging, prod). */
  readonly stage: string;
  /** Where the EMF line goes: stdout in Lambda, read by CloudWatch Logs (no PutMetricData permission needed). */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * Metrics as CloudWatch Embedded Metric Format log lines (CloudWatch User Guide, "Specification:
 * Embedded metric format"): one JSON object per metric with an `_aws` block naming the namespace,
 * the dimension set [Stage] and the metric; CloudWatch extracts the metric from the log.
 */
export class EmfMetrics implements Metrics {
  readonly #namespace: string;
  readonly #stage: string;
  readonly #write: (line: string) => void;
  readonly #now: () => number;

  constructor(options: EmfMetricsOptions) {
    this.#namespace = options.namespace ?? "Dunghan";
    this.#stage = options.stage;
    // Straight to stdout, not console.log: with Lambda's JSON log format, console.log lines are
    // wrapped in JSON and CloudWatch no longer reads them as embedded metrics.
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#now = options.now ?? Date.now;
  }

  publish(name: string, value: number, unit: MetricUnit): void {
    this.#write(
      JSON.stringify({
        _aws: {
          Timestamp: this.#now(),
          CloudWatchMetrics: [
            { Namespace: this.#namespace, Dimensions: [["Stage"]], Metrics: [{ Name: name, Unit: unit }] },
          ],
        },
        Stage: this.#stage,
        [name]: value,
      }),
    );
  }
}
