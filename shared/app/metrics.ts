/** Operational metrics (CloudWatch EMF in AWS: shared/adapters/logging/emf-metrics.ts). */
export type MetricUnit = "Seconds" | "Milliseconds" | "Count";

export interface Metrics {
  publish(name: string, value: number, unit: MetricUnit): void;
}

export const noMetrics: Metrics = { publish: () => {} };
