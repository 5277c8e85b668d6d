import type { EventStore, StreamCursor } from '../../domain/ports/event-store.ts';
import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import { START, compareCheckpoints, formatCheckpoint, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import { physicalCollection, type Projector } from '../projector.ts';
import { forgetActiveVersions } from './active-collection.ts';
import { projectBatch } from './apply-batch.ts';
import { fencedTransaction, type Fence } from './fence.ts';
import { message } from './live-lane.ts';
import { checkpointKey, metaDoc, metaKey, type ProjectionMeta } from './meta.ts';
import { Pause } from './pause.ts';
import type { RebuildProgress, RebuildStatus, RunnerLogger } from './types.ts';
import { NO_REPLAY, readStreamReplayMark, writeStreamReplayMark } from './stream-replay-mark.ts';
import { WritePipeline } from './write-pipeline.ts';

export interface RebuildDeps {
  eventStore: EventStore;
  readStore: ReadStore;
  logger: RunnerLogger;
  batchSize: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  attempts: number;
  dropDelayMs: number;
  head: (() => Promise<Checkpoint | null>) | undefined;
  /** Whether stream-scoped projectors may be rebuilt stream by stream when the event store can read that way. */
  byStream: boolean;
}

export interface RebuildPlan {
  projector: Projector;
  target: number;
  /** The version serving now, if any; it keeps serving until the switch. */
  previous: ProjectionMeta | null;
  /** From zero (drop target collections, checkpoint back to START) rather than resuming an interrupted rebuild. */
  fresh: boolean;
  onProgress?: (progress: RebuildProgress) => void;
  /** The lease token the rebuild's writes carry. */
  fence: Fence | null;
  /** Runs once caught up, before the final drain: the runner stops the old version's subscription here. */
  beforeSwitch(): Promise<void>;
  /** Runs right after the switch commits, with the checkpoint the new version has reached. */
  afterSwitch(checkpoint: Checkpoint): Promise<void>;
}

/** Whether a rebuild (or first fill) of this projector replays the log case by case before following it in log order. */
export function replaysByStream(deps: Pick<RebuildDeps, 'eventStore' | 'byStream'>, projector: Projector): boolean {
  return deps.byStream && projector.streamScoped !== undefined && deps.eventStore.readByStream !== undefined && deps.eventStore.head !== undefined;
}

export class RebuildStopped extends Error {
  constructor(name: string) {
    super(`rebuild of "${name}" stopped before it finished; the previous version still serves`);
    this.name = 'RebuildStopped';
  }
}

const HEAD_REFRESH_MS = 1000;
/**
 * Batches a rebuild keeps being written at once. Two let the database write one batch while the runner reads and
 * projects the next and a second transaction uses the other core; measured in bench/projection-views.
 */
const REBUILD_WRITE_DEPTH = 2;

/** Fills version N+1 from the start of the log into its own physical collections, then switches readers to it. */
export class Rebuild {
  checkpoint: Checkpoint = START;
  eventsProcessed = 0;
  /** The new version serves: from here on a failure must not switch back (the old one may be dropped already). */
  switched = false;
  lastError: string | null = null;
  readonly startedAt = new Date().toISOString();
  private stopping = false;
  private readonly pause = new Pause();
  private head: Checkpoint | null = null;
  /** The cut a by-stream replay is heading for, while it runs. */
  private replayUntil: Checkpoint | null = null;
  private phase: RebuildStatus['phase'] = 'catching-up';
  private headReadAt = 0;

  constructor(
    private readonly deps: RebuildDeps,
    private readonly plan: RebuildPlan,
  ) {}

  get status(): RebuildStatus {
    return {
      version: this.plan.target,
      phase: this.phase,
      replayingUntil: this.replayUntil ? formatCheckpoint(this.replayUntil) : null,
      checkpoint: formatCheckpoint(this.checkpoint),
      eventsProcessed: this.eventsProcessed,
      startedAt: this.startedAt,
    };
  }

  stop(): void {
    this.stopping = true;
    this.pause.wake();
  }

  async run(): Promise<Checkpoint> {
    const { projector, target, previous } = this.plan;
    const { readStore } = this.deps;
    const key = checkpointKey(projector.name, target);
    if (this.plan.fresh) {
      for (const collection of projector.collections) await readStore.dropCollection(physicalCollection(collection, target));
      await fencedTransaction(readStore, this.plan.fence, async (tx) => {
        await tx.setCheckpoint(key, START);
        await writeStreamReplayMark(tx, key, NO_REPLAY);
      });
    }
    if (previous) {
      const rebuilding = { version: target, codeVersion: projector.version, startedAt: this.startedAt };
      await fencedTransaction(readStore, this.plan.fence, (tx) => tx.setMeta(metaKey(projector.name), metaDoc({ ...previous, rebuilding })));
    }
    this.checkpoint = (await readStore.getCheckpoint(key)) ?? START;
    await this.replayByStream(key);
    await this.catchUp(key);
    this.phase = 'switching';
    this.report('switching');
    await this.plan.beforeSwitch();
    // Events that arrived while the old subscription wound down; nothing else writes this projection now.
    await this.catchUp(key);
    const next: ProjectionMeta = {
      activeVersion: target,
      codeVersion: projector.version,
      collections: [...projector.collections],
      switchedAt: new Date().toISOString(),
      rebuilding: null,
    };
    await fencedTransaction(readStore, this.plan.fence, (tx) => tx.setMeta(metaKey(projector.name), metaDoc(next)));
    this.switched = true;
    forgetActiveVersions(readStore, projector.name);
    this.deps.logger.info({ projection: projector.name, version: target, previousVersion: previous?.activeVersion ?? null }, 'projection version switched');
    await this.plan.afterSwitch(this.checkpoint);
    this.report('done');
    if (previous && previous.activeVersion !== target) await this.dropOld(previous);
    return this.checkpoint;
  }

  /** Follows the log in delivery order from the stored checkpoint until nothing is left to read. */
  private async catchUp(key: string): Promise<void> {
    const { eventStore, readStore } = this.deps;
    await this.pump<Checkpoint>({
      start: this.checkpoint,
      read: (after) => eventStore.readAll(after, this.deps.batchSize),
      positionAfter: (last) => last.checkpoint,
      record: (tx, checkpoint) => tx.setCheckpoint(key, checkpoint),
      committed: (checkpoint) => (this.checkpoint = checkpoint),
      stored: async () => (this.checkpoint = (await readStore.getCheckpoint(key)) ?? START),
      phase: 'catching-up',
    });
  }

  /**
   * For a stream-scoped projector on a store that reads by stream, a rebuild that has not started in log order first
   * replays a cut of the log one stream after another: each document is then loaded and written about once per
   * stream instead of once per batch touching it. catchUp() goes on from the cut in log order.
   */
  private async replayByStream(key: string): Promise<void> {
    const { eventStore, readStore } = this.deps;
    const prefix = this.plan.projector.streamScoped?.prefix;
    const { readByStream, head } = eventStore;
    if (!prefix || !readByStream || !head || !replaysByStream(this.deps, this.plan.projector) || compareCheckpoints(this.checkpoint, START) !== 0) return;
    const mark = await readStreamReplayMark(readStore, key);
    const until = mark.until ?? (await head.call(eventStore));
    if (!until) return;
    this.replayUntil = until;
    const batchSize = this.deps.batchSize;
    await this.pump<StreamCursor | null>({
      start: mark.after,
      read: (after) => readByStream.call(eventStore, { prefix, until, after, batchSize }),
      positionAfter: (last) => ({ stream: last.streamId, revision: last.revision }),
      record: (tx, after) => writeStreamReplayMark(tx, key, { until, after }),
      committed: () => undefined,
      stored: async () => (await readStreamReplayMark(readStore, key)).after,
      phase: 'by-stream',
    });
    await fencedTransaction(readStore, this.plan.fence, async (tx) => {
      await tx.setCheckpoint(key, until);
      await writeStreamReplayMark(tx, key, NO_REPLAY);
    });
    this.checkpoint = until;
    this.replayUntil = null;
  }

  /**
   * Reads, projects and writes batches until a read comes back empty: the next batch is read while one is projected,
   * and up to REBUILD_WRITE_DEPTH batches are being written. A failed batch abandons everything not committed and
   * goes on from the stored position, giving up after `attempts` failures in a row.
   */
  private async pump<C>(lane: {
    start: C;
    read(after: C): Promise<RecordedEvent[]>;
    positionAfter(last: RecordedEvent): C;
    record(tx: ReadStoreTransaction, position: C): Promise<void>;
    committed(position: C): void;
    stored(): Promise<C>;
    phase: 'by-stream' | 'catching-up';
  }): Promise<void> {
    const { logger } = this.deps;
    // The last catch-up runs while switching; status keeps saying so.
    if (this.phase !== 'switching') this.phase = lane.phase;
    let failures = 0;
    const pipeline = new WritePipeline<C>({
      readStore: this.deps.readStore,
      version: this.plan.target,
      fence: this.plan.fence,
      depth: REBUILD_WRITE_DEPTH,
      record: lane.record,
      onCommitted: (position, events) => {
        lane.committed(position);
        this.eventsProcessed += events;
        failures = 0;
      },
    });
    // The read position runs ahead of what has committed by the batches still being written.
    let cursor = lane.start;
    let prefetched: Promise<RecordedEvent[]> | undefined;
    for (;;) {
      if (this.stopping) {
        await pipeline.reset();
        throw new RebuildStopped(this.plan.projector.name);
      }
      try {
        const events = await (prefetched ?? lane.read(cursor));
        prefetched = undefined;
        if (events.length === 0) {
          await pipeline.drain();
          return;
        }
        const next = lane.positionAfter(events[events.length - 1]!);
        if (events.length === this.deps.batchSize) {
          prefetched = lane.read(next);
          prefetched.catch(() => undefined);
        }
        const changes = await projectBatch(pipeline.load, this.plan.projector, events);
        await pipeline.submit(changes, next, events.length);
        cursor = next;
        await this.progress(lane.phase);
      } catch (error) {
        prefetched = undefined;
        await pipeline.reset();
        failures += 1;
        this.lastError = message(error);
        logger.error(
          { projection: this.plan.projector.name, version: this.plan.target, attempt: failures, error: this.lastError },
          'projection rebuild batch failed; resuming from the stored checkpoint',
        );
        if (failures >= this.deps.attempts) throw error;
        await this.pause.for(Math.min(this.deps.maxRetryDelayMs, this.deps.retryDelayMs * 2 ** (failures - 1)));
        // Reading the stored position can fail for the same reason the batch did (the store is restarting): that
        // counts as one more failed try, not as the end of the rebuild.
        try {
          cursor = await lane.stored();
        } catch (storedError) {
          this.lastError = message(storedError);
          failures += 1;
          if (failures >= this.deps.attempts) throw storedError;
          cursor = await this.storedAfterPause(lane, failures);
        }
      }
    }
  }

  /** Retries reading the stored position with the same growing pause until it answers or the tries run out. */
  private async storedAfterPause<C>(lane: { stored(): Promise<C> }, failuresSoFar: number): Promise<C> {
    let failures = failuresSoFar;
    for (;;) {
      if (this.stopping) throw new RebuildStopped(this.plan.projector.name);
      await this.pause.for(Math.min(this.deps.maxRetryDelayMs, this.deps.retryDelayMs * 2 ** (failures - 1)));
      try {
        return await lane.stored();
      } catch (error) {
        this.lastError = message(error);
        failures += 1;
        if (failures >= this.deps.attempts) throw error;
      }
    }
  }

  private async progress(phase: RebuildProgress['phase']): Promise<void> {
    if (!this.plan.onProgress) return;
    if (phase === 'catching-up' && Date.now() - this.headReadAt > HEAD_REFRESH_MS) {
      this.headReadAt = Date.now();
      this.head = await this.readHead().catch(() => this.head);
    }
    this.report(phase);
  }

  /** The log's end if anyone can tell; else the serving version's checkpoint, which is close to it while live. */
  private async readHead(): Promise<Checkpoint | null> {
    const { eventStore } = this.deps;
    const head = this.deps.head ?? (eventStore.head ? () => eventStore.head!() : undefined);
    if (head) return head();
    const previous = this.plan.previous;
    if (!previous) return null;
    return this.deps.readStore.getCheckpoint(checkpointKey(this.plan.projector.name, previous.activeVersion));
  }

  private report(phase: RebuildProgress['phase']): void {
    if (phase === 'by-stream' && this.replayUntil) {
      // Events replayed against the cut's global position: an estimate (other streams' events count in the position).
      const until = this.replayUntil;
      const fraction = until.prepare > 0n ? Math.min(0.99, this.eventsProcessed / Number(until.prepare)) : null;
      this.plan.onProgress?.({ ...this.progressBase(phase), head: formatCheckpoint(until), fraction });
      return;
    }
    const head = this.head && this.head.prepare >= this.checkpoint.prepare ? this.head : null;
    const fraction = phase === 'done' ? 1 : head && head.prepare > 0n ? Number(this.checkpoint.prepare) / Number(head.prepare) : null;
    this.plan.onProgress?.({ ...this.progressBase(phase), head: head ? formatCheckpoint(head) : null, fraction });
  }

  private progressBase(phase: RebuildProgress['phase']) {
    return { name: this.plan.projector.name, version: this.plan.target, phase, eventsProcessed: this.eventsProcessed, checkpoint: formatCheckpoint(this.checkpoint) };
  }

  private async dropOld(previous: ProjectionMeta): Promise<void> {
    // Readers in other processes may hold the old version for one cache period; let them finish first.
    await this.pause.for(this.deps.dropDelayMs);
    for (const collection of previous.collections) {
      const physical = physicalCollection(collection, previous.activeVersion);
      try {
        await this.deps.readStore.dropCollection(physical);
      } catch (error) {
        // The new version serves and is whole: a leftover of the old one only takes room. Failing the rebuild here
        // would switch back to a version this loop has already half dropped.
        this.deps.logger.warn({ projection: this.plan.projector.name, collection: physical, err: error instanceof Error ? error.message : String(error) }, 'old projection version not dropped; drop it by hand');
      }
    }
  }
}
