import { START, compareCheckpoints, formatCheckpoint, type Checkpoint } from '../../domain/events/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import type { Projector } from '../projector.ts';
import { fencedTransaction, type Fence } from './fence.ts';
import { LiveLane, message, type LaneDeps } from './live-lane.ts';
import { checkpointKey, metaDoc, metaKey, readProjectionMeta, type ProjectionMeta } from './meta.ts';
import { Rebuild, replaysByStream, type RebuildDeps } from './rebuild.ts';
import { readStreamReplayMark } from './stream-replay-mark.ts';
import type { ProjectionRunner, ProjectionRunnerOptions, ProjectionStatus, RebuildProgress, RebuildResult, RunnerLogger } from './types.ts';

interface Entry {
  projector: Projector;
  lane: LiveLane | undefined;
  rebuild: Rebuild | undefined;
  running: Promise<unknown> | undefined;
  /** Counts of lanes already replaced (restart after a switch), so status() totals stay monotonic. */
  processedBefore: number;
  lastEventAt: string | null;
  /** Why nothing runs although the runner is started (e.g. newer code owns the active version). */
  halted: string | null;
  lastError: string | null;
  /** This process runs the projection (start(), or acquire() under a lease) until stop() or release(). */
  active: boolean;
  /** The lease token its writes carry, when it runs under a lease. */
  fence: Fence | null;
}

const consoleLogger: RunnerLogger = {
  info: () => {},
  warn: (fields, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (fields, msg) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

/**
 * Keeps every projector's active version current and rebuilds versions side by side. One runner per projection
 * across the deployment: two processes applying the same version concurrently could write an older document last.
 * start() runs every projection (one process); acquire()/release() run one projection under a lease, its writes
 * fenced by the lease's token so a holder that lost the lease cannot write after the next one began.
 */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { eventStore, readStore } = options;
  const logger = options.logger ?? consoleLogger;
  const clock = options.clock ?? systemClock;
  const retry = { retryDelayMs: options.retryDelayMs ?? 1000, maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000 };
  const laneDeps: LaneDeps = { eventStore, readStore, logger, batchSize: options.batchSize ?? 1000, idleMs: options.idleMs, ...retry };
  const rebuildDeps: RebuildDeps = {
    eventStore,
    readStore,
    logger,
    batchSize: options.rebuildBatchSize ?? 1000,
    attempts: options.rebuildAttempts ?? 5,
    dropDelayMs: options.dropDelayMs ?? 2000,
    head: options.head,
    byStream: options.rebuildByStream ?? true,
    ...retry,
  };
  const entries = new Map<string, Entry>();
  for (const projector of options.projectors) {
    if (entries.has(projector.name)) throw new TypeError(`two projectors are named "${projector.name}"`);
    if (!Number.isSafeInteger(projector.version) || projector.version < 1) throw new TypeError(`projector "${projector.name}" needs a positive integer version`);
    entries.set(projector.name, { projector, lane: undefined, rebuild: undefined, running: undefined, processedBefore: 0, lastEventAt: null, halted: null, lastError: null, active: false, fence: null });
  }

  const entry = (name: string): Entry => {
    const found = entries.get(name);
    if (!found) throw new Error(`no projector named "${name}" (known: ${[...entries.keys()].join(', ')})`);
    return found;
  };

  const retireLane = async (e: Entry) => {
    const lane = e.lane;
    if (!lane) return;
    e.lane = undefined;
    await lane.stop();
    e.processedBefore += lane.eventsProcessed;
    e.lastEventAt = lane.lastEventAt ?? e.lastEventAt;
  };

  const startLane = async (e: Entry, version: number, attempt = 0): Promise<void> => {
    const lane = new LiveLane(laneDeps, e.projector, version, (superseded) => void follow(e, superseded), e.fence);
    e.lane = lane;
    e.halted = null;
    try {
      await lane.start();
    } catch (error) {
      // A lane that failed to start (its checkpoint unreadable for a moment, right after a switch or while following
      // one) is started again, with a growing pause, for as long as nothing else took its place: nothing else would,
      // and the serving version would stop following the log while this process keeps the lease.
      if (e.lane === lane) e.lane = undefined;
      e.lastError = message(error);
      const pause = Math.min(retry.maxRetryDelayMs, retry.retryDelayMs * 2 ** Math.min(attempt, 16));
      setTimeout(() => {
        if (e.active && !e.lane && !e.rebuild) void startLane(e, version, attempt + 1).catch(() => undefined);
      }, pause).unref();
      throw error;
    }
  };

  /** Another process switched versions: serve the new one if this code built it, else step aside. */
  const follow = async (e: Entry, superseded: LiveLane) => {
    if (e.lane !== superseded) return;
    try {
      await retireLane(e);
      const meta = await readProjectionMeta(readStore, e.projector.name);
      if (!e.active || !meta) return;
      if (meta.codeVersion === e.projector.version) await startLane(e, meta.activeVersion);
      else halt(e, meta);
    } catch (error) {
      e.lastError = message(error);
      logger.error({ projection: e.projector.name, error: e.lastError }, 'projection could not follow a version switch');
    }
  };

  const halt = (e: Entry, meta: ProjectionMeta) => {
    e.halted = `active version ${meta.activeVersion} was built by projector version ${meta.codeVersion}, this code is version ${e.projector.version}`;
    logger.warn({ projection: e.projector.name, activeVersion: meta.activeVersion, codeVersion: meta.codeVersion }, 'projection left to newer code');
  };

  interface RebuildRequest {
    target: number;
    previous: ProjectionMeta | null;
    fresh: boolean;
    /** Asked for by rebuild(); a rebuild for new code is instead left marked so the next start resumes it. */
    explicit: boolean;
    onProgress?: (p: RebuildProgress) => void;
  }

  const runRebuild = (e: Entry, { target, previous, fresh, explicit, onProgress }: RebuildRequest) => {
    const rebuild = new Rebuild(options.rebuildEventStore ? { ...rebuildDeps, eventStore: options.rebuildEventStore() } : rebuildDeps, {
      projector: e.projector,
      target,
      previous,
      fresh,
      onProgress,
      fence: e.fence,
      beforeSwitch: () => retireLane(e),
      afterSwitch: async () => {
        if (e.active) await startLane(e, target);
      },
    });
    e.rebuild = rebuild;
    e.lastError = null;
    const result = (async (): Promise<RebuildResult> => {
      try {
        const checkpoint = await rebuild.run();
        return {
          name: e.projector.name,
          version: target,
          previousVersion: previous?.activeVersion ?? null,
          eventsProcessed: rebuild.eventsProcessed,
          checkpoint: formatCheckpoint(checkpoint),
        };
      } catch (error) {
        e.lastError = message(error);
        if (explicit && previous && !rebuild.switched) {
          // Unmark it, or status would report a rebuild in progress forever; the half-built version is dropped by the next one.
          // Never once switched: the new version serves, and the old one may be dropped already.
          await fencedTransaction(readStore, e.fence, (tx) => tx.setMeta(metaKey(e.projector.name), metaDoc(previous))).catch(() => undefined);
          // Failed at the switch itself: the serving version's lane was already retired, and it serves on.
          if (e.active && !e.lane) await startLane(e, previous.activeVersion).catch(() => undefined);
        }
        throw error;
      } finally {
        e.rebuild = undefined;
        e.running = undefined;
      }
    })();
    e.running = result.catch(() => undefined);
    return result;
  };

  /**
   * The first fill of a stream-scoped projection over a log that already holds events (a new view added to a running
   * system, or a first start on an imported log) goes through the rebuild's by-stream replay, into the version that
   * already serves, then continues live. An empty log needs none of it. If the fill gives up, the live lane takes
   * over in log order from wherever it got: slower, not wrong, since projectors are idempotent.
   */
  const firstFill = async (e: Entry, version: number) => {
    if (!(await eventStore.head!())) return startLane(e, version);
    logger.info({ projection: e.projector.name, version }, 'filling a new projection case by case');
    runRebuild(e, { target: version, previous: null, fresh: false, explicit: false }).catch(async () => {
      if (e.active && !e.lane) await startLane(e, version).catch((error: unknown) => (e.lastError = message(error)));
    });
  };

  /** A first fill that stopped during its by-stream replay (its place is stored, its checkpoint still at the start). */
  const fillUnfinished = async (projector: Projector, version: number) => {
    const key = checkpointKey(projector.name, version);
    const checkpoint = await readStore.getCheckpoint(key);
    return (checkpoint === null || compareCheckpoints(checkpoint, START) === 0) && (await readStreamReplayMark(readStore, key)).until !== null;
  };

  const startEntry = async (e: Entry) => {
    const { projector } = e;
    let meta = await readProjectionMeta(readStore, projector.name);
    if (!meta) {
      // First run ever: there is nothing to serve meanwhile, so the initial version fills in place.
      const first: ProjectionMeta = { activeVersion: projector.version, codeVersion: projector.version, collections: [...projector.collections], switchedAt: clock.now().toISOString(), rebuilding: null };
      meta = first;
      await fencedTransaction(readStore, e.fence, (tx) => tx.setMeta(metaKey(projector.name), metaDoc(first)));
      if (replaysByStream(rebuildDeps, projector)) return firstFill(e, meta.activeVersion);
    }
    if (meta.codeVersion === projector.version) {
      if (replaysByStream(rebuildDeps, projector) && (await fillUnfinished(projector, meta.activeVersion))) return firstFill(e, meta.activeVersion);
      return startLane(e, meta.activeVersion);
    }
    if (meta.codeVersion > projector.version) return halt(e, meta);
    // The code moved on: the old version keeps serving, frozen, while the new one is built; an interrupted build resumes.
    const resume = meta.rebuilding?.codeVersion === projector.version ? meta.rebuilding.version : undefined;
    const target = resume ?? Math.max(meta.activeVersion + 1, projector.version);
    logger.info({ projection: projector.name, from: meta.activeVersion, to: target, resume: resume !== undefined }, 'projection code changed; rebuilding');
    runRebuild(e, { target, previous: meta, fresh: resume === undefined, explicit: false }).catch(() => undefined);
  };

  const lagOf = async (checkpoint: Checkpoint): Promise<number | null> => {
    try {
      const [next] = await eventStore.readAll(checkpoint, 1);
      if (!next) return 0;
      return Math.max(0, clock.now().getTime() - Date.parse(next.metadata.occurredAt));
    } catch {
      return null;
    }
  };

  const activate = async (e: Entry, fence: Fence | null) => {
    if (e.active) throw new Error(`projection "${e.projector.name}" already runs in this process`);
    if (fence) {
      // Before anything is read: once the fence is up, the previous holder can commit nothing more, so the
      // checkpoint read next is final.
      await readStore.raiseFence(fence.projection, fence.token);
    }
    e.fence = fence;
    e.active = true;
    e.lastError = null;
    try {
      await startEntry(e);
    } catch (error) {
      await deactivate(e);
      throw error;
    }
  };

  /** Returns once nothing of the projection runs in this process any more. */
  const deactivate = async (e: Entry) => {
    e.active = false;
    e.rebuild?.stop();
    await retireLane(e);
    await e.running;
    // A rebuild's afterSwitch may have started a lane while we waited.
    await retireLane(e);
  };

  return {
    async start() {
      for (const e of entries.values()) if (!e.active) await activate(e, null);
    },

    async stop() {
      await Promise.all([...entries.values()].map((e) => deactivate(e)));
    },

    names: () => [...entries.keys()],

    async acquire(name, token) {
      await activate(entry(name), { projection: name, token });
    },

    async release(name) {
      await deactivate(entry(name));
    },

    async status(): Promise<ProjectionStatus[]> {
      return Promise.all(
        [...entries.values()].map(async (e): Promise<ProjectionStatus> => {
          const meta = await readProjectionMeta(readStore, e.projector.name);
          const activeVersion = meta?.activeVersion ?? null;
          // A lane still on the previous version (a switch elsewhere it has yet to notice) says nothing of the active one.
          const lane = e.lane?.version === activeVersion ? e.lane : undefined;
          const stored = activeVersion === null ? null : await readStore.getCheckpoint(checkpointKey(e.projector.name, activeVersion));
          const checkpoint = lane?.checkpoint ?? stored ?? START;
          const state = e.rebuild ? 'rebuilding' : e.lane ? (e.lane.failed ? 'failed' : 'running') : e.lastError && !e.halted ? 'failed' : 'stopped';
          return {
            name: e.projector.name,
            version: e.projector.version,
            active: e.active,
            activeVersion,
            checkpoint: formatCheckpoint(checkpoint),
            eventsProcessed: e.processedBefore + (e.lane?.eventsProcessed ?? 0),
            lastEventAt: e.lane?.lastEventAt ?? e.lastEventAt,
            lagMs: await lagOf(checkpoint),
            state,
            lastError: e.lane?.lastError ?? e.rebuild?.lastError ?? e.lastError ?? e.halted,
            rebuild: e.rebuild?.status ?? null,
          };
        }),
      );
    },

    async rebuild(name, onProgress) {
      const e = entry(name);
      if (e.rebuild) throw new Error(`projection "${name}" is already rebuilding (version ${e.rebuild.status.version})`);
      const meta = await readProjectionMeta(readStore, name);
      if (meta && meta.codeVersion > e.projector.version) throw new Error(`projection "${name}" is owned by newer code (version ${meta.codeVersion})`);
      const target = Math.max((meta?.activeVersion ?? 0) + 1, e.projector.version);
      return runRebuild(e, { target, previous: meta, fresh: true, explicit: true, onProgress });
    },
  };
}
