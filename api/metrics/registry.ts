/**
 * Prometheus metrics of one process. Each app gets its own registry rather than prom-client's global one, so tests
 * and several apps in a process never count into each other.
 *
 * Queue depth and projection lag are read when scraped, from sources the queue and projection code registers later
 * (registerGaugeSource), so the numbers are current without anyone pushing updates.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type GaugeSourceName = 'errand_queue_depth' | 'errand_projection_lag_seconds';
/** Label value (queue or projection name) -> current value. */
export type GaugeSource = () => Record<string, number> | Promise<Record<string, number>>;

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  /** Incremented by whoever records a case's state change: `{ service, from, to }`. */
  caseTransitions: Counter<'service' | 'from' | 'to'>;
  /** Adds a source of values for a gauge; returns a function that removes it again. */
  registerGaugeSource(name: GaugeSourceName, source: GaugeSource): () => void;
}

export interface MetricsOptions {
  /** Node process metrics (memory, event loop lag, handles); default true. */
  processMetrics?: boolean;
  /** Called when a gauge source throws; the scrape still succeeds without that source's values. */
  onSourceError?: (name: GaugeSourceName, error: unknown) => void;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const sources = new Map<GaugeSourceName, Set<GaugeSource>>([
    ['errand_queue_depth', new Set()],
    ['errand_projection_lag_seconds', new Set()],
  ]);

  const sourcedGauge = (name: GaugeSourceName, help: string, label: string) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        this.reset();
        for (const source of sources.get(name) ?? []) {
          try {
            for (const [labelValue, value] of Object.entries(await source())) this.set({ [label]: labelValue }, value);
          } catch (error) {
            options.onSourceError?.(name, error);
          }
        }
      },
    });

  sourcedGauge('errand_queue_depth', 'Jobs waiting per queue.', 'queue');
  sourcedGauge('errand_projection_lag_seconds', 'Seconds between the newest event and the newest one a projection has applied.', 'projection');

  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    caseTransitions: new Counter({
      name: 'errand_case_transitions_total',
      help: 'Case state transitions by service, from state and to state.',
      labelNames: ['service', 'from', 'to'],
      registers: [registry],
    }),
    registerGaugeSource(name, source) {
      const set = sources.get(name);
      if (!set) throw new Error(`no gauge named ${String(name)}`);
      set.add(source);
      return () => {
        set.delete(source);
      };
    },
  };
}
