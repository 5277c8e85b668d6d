import { HeldLease, type LeaseManager } from '../../domain/ports/lease.ts';

export interface InProcessLeaseHub {
  /** A manager for one "process" of the pool; tests make several to act out several workers. */
  manager(): LeaseManager;
}

/**
 * Leases within one process: the embedded default (PGlite is one process anyway) and specs. Managers made by the
 * same hub compete for the same names; tokens count up per hub from `after`. The read store keeps the fencing
 * tokens across restarts, so a hub serving a store that outlives the process must start above every token an
 * earlier run drew: the engine passes the wall clock in milliseconds, and `floor`, the token the store holds for a
 * name. A clock set back further than the restart took (a hardware clock read as local time, then corrected) put
 * every token below the stored ones, and each lease was refused its fence for the whole run: projections, timers and
 * notifications stood still.
 */
export function createInProcessLeaseHub(options: { after?: number; floor?: (name: string) => Promise<number | null> } = {}): InProcessLeaseHub {
  const holders = new Map<string, HeldLease>();
  const open = new Set<object>();
  let lastToken = options.after ?? 0;

  return {
    manager(): LeaseManager {
      const self = {};
      const mine = new Set<HeldLease>();
      open.add(self);
      let closed = false;
      const letGo = async (lease: HeldLease) => {
        mine.delete(lease);
        if (holders.get(lease.name) === lease) holders.delete(lease.name);
      };
      return {
        kind: 'in-process',
        async members() {
          return open.size;
        },
        async tryAcquire(name) {
          if (closed) throw new Error('lease manager is closed');
          if (holders.has(name)) return null;
          const stored = options.floor ? await options.floor(name) : null;
          // Awaited: another acquisition of this name may have started meanwhile.
          if (holders.has(name)) return null;
          lastToken = Math.max(lastToken, stored ?? 0) + 1;
          const lease = new HeldLease(name, lastToken, letGo);
          holders.set(name, lease);
          mine.add(lease);
          return lease;
        },
        async close() {
          if (closed) return;
          closed = true;
          for (const lease of [...mine]) await lease.release();
          open.delete(self);
        },
      };
    },
  };
}
