export { createMetrics } from './registry.ts';
export type { GaugeSource, GaugeSourceName, Metrics, MetricsOptions } from './registry.ts';
export { httpMetrics } from './http-metrics.ts';
export { metricsHandler } from './handler.ts';
