export { COUNTERS, SERVICE_STATS, SERVICE_STATS_CASES, departmentStatsId } from './document.ts';
export type { Counter, ServiceStats, StatsCase } from './document.ts';
export { SERVICE_STATS_PROJECTION, SERVICE_STATS_VERSION, createServiceStatsProjector } from './projector.ts';
export { summarise } from './summarise.ts';
export type { StatsSummary } from './summarise.ts';
