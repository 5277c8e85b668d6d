import { planLeases } from './plan.ts';
import type { Lease, LeaseManager } from '../../domain/ports/lease.ts';

/** A job only one process may run at a time: started with its lease's fencing token, stopped when the lease goes. */
export interface LeasedWork {
  name: string;
  start(token: number): Promise<void>;
  /** Must return only once the job writes nothing more. */
  stop(): Promise<void>;
}

export interface LeaseKeeperLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LeaseKeeperOptions {
  leases: LeaseManager;
  work: LeasedWork[];
  /** How often free leases are looked for and the share rebalanced (default 1000 ms): the takeover time after a crash. */
  intervalMs?: number;
  logger: LeaseKeeperLogger;
  /** The order this process tries jobs in; shuffled by default so processes starting together spread out. */
  order?: (names: string[]) => string[];
}

export interface LeaseKeeper {
  /** Jobs this process runs now. */
  held(): string[];
  /** One round: rebalance, take free leases. Runs by itself every intervalMs; exposed for tests and the first start. */
  tick(): Promise<void>;
  /** Stops every job, then releases its lease. */
  stop(): Promise<void>;
}

function shuffle(names: string[]): string[] {
  const copy = [...names];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs this process's share of the leased jobs. A lost lease stops its job at once (its writes are fenced anyway, so
 * noticing late is safe); free leases are taken on the next round, which is what bounds the takeover time.
 */
export function startLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const { leases, logger } = options;
  const byName = new Map(options.work.map((work) => [work.name, work]));
  if (byName.size !== options.work.length) throw new TypeError('two leased jobs share a name');
  const intervalMs = options.intervalMs ?? 1000;
  const running = new Map<string, Lease>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const stopWork = async (name: string, why: string) => {
    const lease = running.get(name);
    if (!lease) return;
    running.delete(name);
    await byName.get(name)!.stop().catch((error: unknown) => logger.warn({ lease: name, error: message(error) }, 'leased job did not stop cleanly'));
    await lease.release().catch(() => undefined);
    logger.info({ lease: name, token: lease.token, why }, 'lease released');
  };

  const take = async (name: string): Promise<boolean> => {
    const lease = await leases.tryAcquire(name);
    if (!lease) return false;
    running.set(name, lease);
    logger.info({ lease: name, token: lease.token }, 'lease acquired');
    void lease.lost.then(() => {
      if (running.get(name) !== lease) return;
      logger.warn({ lease: name, token: lease.token }, 'lease lost; stopping its job');
      void stopWork(name, 'lost');
    });
    try {
      await byName.get(name)!.start(lease.token);
    } catch (error) {
      logger.warn({ lease: name, error: message(error) }, 'leased job failed to start; giving the lease up');
      await stopWork(name, 'start failed');
    }
    return true;
  };

  const once = async () => {
    if (stopped) return;
    try {
      const members = await leases.members();
      const plan = planLeases({ order: (options.order ?? shuffle)([...byName.keys()]), held: new Set(running.keys()), members });
      for (const name of plan.release) await stopWork(name, 'rebalance');
      for (const name of plan.candidates) {
        if (stopped || running.size >= plan.quota) break;
        await take(name);
      }
    } catch (error) {
      logger.warn({ error: message(error) }, 'lease round failed; retrying');
    }
  };

  const tick = () => (round = round.then(once));
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(schedule), intervalMs);
  };
  schedule();

  return {
    held: () => [...running.keys()],
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
      await Promise.all([...running.keys()].map((name) => stopWork(name, 'shutdown')));
    },
  };
}
