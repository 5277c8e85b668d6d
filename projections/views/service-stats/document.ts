export const SERVICE_STATS = 'service_stats';
/** Per-case bookkeeping, so each case counts once however often its events are delivered. */
export const SERVICE_STATS_CASES = 'service_stats_case';

export const COUNTERS = [
  'received', 'accepted', 'deemedAccepted', 'notAccepted', 'withdrawn', 'decided', 'approved', 'denied', 'revoked',
  'instantApprovals', 'commitmentApprovals', 'supplementRequested', 'onTimePromised', 'onTimeStatutory',
  'materialsFetched', 'materialsUploaded', 'ratingCount', 'ratingSum', 'ratingBad',
] as const;

export type Counter = (typeof COUNTERS)[number];

/**
 * Counters per service (id = serviceId) and per lead department (id = `dept-${code}`). Counters are flat numbers,
 * so they filter and sort. Durations are kept as a histogram of "acceptedOn/decidedOn" date pairs rather than
 * working-day counts: counting needs the calendar, which may still change for a year not yet published; summarise()
 * counts with the calendar at read time.
 */
export type ServiceStats = Record<Counter, number> & {
  id: string;
  kind: 'service' | 'department';
  serviceId: string | null;
  department: string | null;
  durations: Record<string, number>;
  /** "1".."5" -> count. */
  ratingDistribution: Record<string, number>;
  updatedAt: string;
};

export interface StatsCase {
  serviceId: string;
  department: string | null;
  submitted: boolean;
  acceptedOn: string | null;
  due: { statutory: string; promised: string } | null;
  supplement: boolean;
  /** Materials fetched (not refused) and uploaded, each counted once per case. */
  fetched: string[];
  uploaded: string[];
  revision: string;
}

export const departmentStatsId = (code: string) => `dept-${code}`;
