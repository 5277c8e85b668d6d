import { COUNTERS, type Counter, type ServiceStats } from './document.ts';
import type { Delta } from './delta.ts';

export function emptyStats(id: string, kind: ServiceStats['kind'], key: string): ServiceStats {
  const counters = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>;
  return {
    ...counters,
    id,
    kind,
    serviceId: kind === 'service' ? key : null,
    department: kind === 'department' ? key : null,
    durations: {},
    ratingDistribution: {},
    updatedAt: '',
  };
}

export function applyDelta(stats: ServiceStats, delta: Delta, at: string): ServiceStats {
  const next: ServiceStats = { ...stats, updatedAt: at };
  for (const [counter, by] of Object.entries(delta.counters) as Array<[Counter, number]>) next[counter] = (stats[counter] ?? 0) + by;
  if (delta.duration !== undefined) next.durations = { ...stats.durations, [delta.duration]: (stats.durations[delta.duration] ?? 0) + 1 };
  if (delta.rating !== undefined) {
    const score = String(delta.rating);
    next.ratingDistribution = { ...stats.ratingDistribution, [score]: (stats.ratingDistribution[score] ?? 0) + 1 };
  }
  return next;
}
