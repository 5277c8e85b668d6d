export interface LeasePlanInput {
  /** Every leased job, in the order this process should try them (shuffled, so workers start on different ones). */
  order: readonly string[];
  held: ReadonlySet<string>;
  /** Live processes in the pool, this one included. */
  members: number;
}

export interface LeasePlan {
  /** How many leases this process should hold: ceil(jobs / processes). */
  quota: number;
  /** Held leases to give up, so the others can take their share. */
  release: string[];
  /** Free leases to try, in order, until the quota is met (some may be held by others). */
  candidates: string[];
}

/**
 * Each process holds at most ceil(jobs / processes) leases. Since the quotas add up to at least the number of jobs,
 * every job finds a taker; a process over its quota (one joined) gives up the extras, one under it (one died) takes
 * free ones. The last-acquired leases are given up first, so long-held ones stay put.
 */
export function planLeases({ order, held, members }: LeasePlanInput): LeasePlan {
  const quota = Math.ceil(order.length / Math.max(1, members));
  const excess = Math.max(0, held.size - quota);
  const release = excess > 0 ? [...held].slice(-excess) : [];
  const candidates = held.size < quota ? order.filter((name) => !held.has(name)) : [];
  return { quota, release, candidates };
}
