import type { Engine } from '../runtime/engine.ts';
import type { ProjectionRunner } from '../projections/index.ts';
import type { CommandResult } from '../workflows/index.ts';
import type { createMetrics } from './metrics/index.ts';

type Metrics = ReturnType<typeof createMetrics>;

/** Counts each case transition a command caused; the engine calls it after every successful append. */
export function countTransitions(metrics: Metrics) {
  return (result: CommandResult, previousStatus: string) => {
    if (result.status !== previousStatus) {
      metrics.caseTransitions.inc({ service: result.state.definition.id, from: previousStatus, to: result.status });
    }
  };
}

const QUEUES = ['timers', 'evidence'];

/** Queue depth and projection lag, read when Prometheus scrapes rather than pushed on every change. */
export function observeEngine(metrics: Metrics, engine: Engine, projections: () => ProjectionRunner | null): void {
  metrics.registerGaugeSource('errand_queue_depth', async () => {
    const queues = [...QUEUES, ...engine.dataCatalogue.departments().map((d) => `evidence-${d.code}`)];
    const depths: Record<string, number> = {};
    for (const queue of queues) depths[queue] = await engine.queue.depth(queue);
    return depths;
  });
  metrics.registerGaugeSource('errand_projection_lag_seconds', async () => {
    const runner = projections();
    if (!runner) return {};
    const lag: Record<string, number> = {};
    for (const status of await runner.status()) if (status.lagMs !== null) lag[status.name] = status.lagMs / 1000;
    return lag;
  });
}
