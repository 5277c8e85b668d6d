import type { Calendar, DayKind } from '../../../domain/calendar/index.ts';
import type { ServiceStats } from './document.ts';

export interface StatsSummary {
  id: string;
  kind: ServiceStats['kind'];
  serviceId: string | null;
  department: string | null;
  received: number;
  accepted: number;
  notAccepted: number;
  withdrawn: number;
  decided: number;
  approved: number;
  denied: number;
  revoked: number;
  /** Days from acceptance to decision, nearest-rank percentiles; null before any decision. */
  medianDays: number | null;
  p90Days: number | null;
  dayKind: DayKind;
  /** Shares in 0..1, null when the denominator is zero. */
  onTimeRate: number | null;
  statutoryOnTimeRate: number | null;
  /** Fetched / (fetched + uploaded): the trips saved by fetching instead of asking. */
  autoFetchShare: number | null;
  instantApprovalRate: number | null;
  supplementRate: number | null;
  ratings: { count: number; average: number | null; distribution: Record<string, number>; bad: number };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Nearest rank over a histogram of values. */
function percentile(sorted: Array<[number, number]>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted.at(-1)?.[0] ?? null;
}

/** Turns a stored statistics document into the figures a dashboard shows, counting days with the given calendar. */
export function summarise(stats: ServiceStats, calendar: Calendar, dayKind: DayKind = 'working'): StatsSummary {
  const byDays = new Map<number, number>();
  let total = 0;
  for (const [pair, count] of Object.entries(stats.durations)) {
    const [acceptedOn, decidedOn] = pair.split('/') as [string, string];
    const days = calendar.daysBetween(acceptedOn, decidedOn, dayKind);
    byDays.set(days, (byDays.get(days) ?? 0) + count);
    total += count;
  }
  const sorted = [...byDays].sort((a, b) => a[0] - b[0]);
  const distribution: Record<string, number> = {};
  for (const score of ['1', '2', '3', '4', '5']) distribution[score] = stats.ratingDistribution[score] ?? 0;
  return {
    id: stats.id,
    kind: stats.kind,
    serviceId: stats.serviceId,
    department: stats.department,
    received: stats.received,
    accepted: stats.accepted,
    notAccepted: stats.notAccepted,
    withdrawn: stats.withdrawn,
    decided: stats.decided,
    approved: stats.approved,
    denied: stats.denied,
    revoked: stats.revoked,
    medianDays: percentile(sorted, total, 50),
    p90Days: percentile(sorted, total, 90),
    dayKind,
    onTimeRate: share(stats.onTimePromised, stats.decided),
    statutoryOnTimeRate: share(stats.onTimeStatutory, stats.decided),
    autoFetchShare: share(stats.materialsFetched, stats.materialsFetched + stats.materialsUploaded),
    instantApprovalRate: share(stats.instantApprovals, stats.decided),
    supplementRate: share(stats.supplementRequested, stats.received),
    ratings: { count: stats.ratingCount, average: share(stats.ratingSum, stats.ratingCount), distribution, bad: stats.ratingBad },
  };
}
