import type { EventStore } from '../../adapters/event-store/port.ts';
import type { ReadStore } from '../../adapters/read-store/port.ts';
import { START, formatCheckpoint, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import { physicalCollection, type Projector } from '../projector.ts';
import { forgetActiveVersions } from './active-collection.ts';
import { projectBatch } from './apply-batch.ts';
import { message } from './live-lane.ts';
import { checkpointKey, metaDoc, metaKey, type ProjectionMeta } from './meta.ts';
import { Pause } from './pause.ts';
import type { RebuildProgress, RebuildStatus, RunnerLogger } from './types.ts';
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
}

export interface RebuildPlan {
  projector: Projector;
  target: number;
  /** The version serving now, if any; it keeps serving until the switch. */
  previous: ProjectionMeta | null;
  /** From zero (drop target collections, checkpoint back to START) rather than resuming an interrupted rebuild. */
  fresh: boolean;
  onProgress?: (progress: RebuildProgress) => void;
  /** Runs once caught up, before the final drain: the runner stops the old version's subscription here. */
  beforeSwitch(): Promise<void>;
  /** Runs right after the switch commits, with the checkpoint the new version has reached. */
  afterSwitch(checkpoint: Checkpoint): Promise<void>;
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
  lastError: string | null = null;
  readonly startedAt = new Date().toISOString();
  private stopping = false;
  private readonly pause = new Pause();
  private head: Checkpoint | null = null;
  private headReadAt = 0;

  constructor(
    private readonly deps: RebuildDeps,
    private readonly plan: RebuildPlan,
  ) {}

  get status(): RebuildStatus {
    return { version: this.plan.target, checkpoint: formatCheckpoint(this.checkpoint), eventsProcessed: this.eventsProcessed, startedAt: this.startedAt };
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
      await readStore.transaction((tx) => tx.setCheckpoint(key, START));
    }
    if (previous) {
      const rebuilding = { version: target, codeVersion: projector.version, startedAt: this.startedAt };
      await readStore.setMeta(metaKey(projector.name), metaDoc({ ...previous, rebuilding }));
    }
    this.checkpoint = (await readStore.getCheckpoint(key)) ?? START;
    await this.catchUp(key);
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
    await readStore.transaction((tx) => tx.setMeta(metaKey(projector.name), metaDoc(next)));
    forgetActiveVersions(readStore, projector.name);
    this.deps.logger.info({ projection: projector.name, version: target, previousVersion: previous?.activeVersion ?? null }, 'projection version switched');
    await this.plan.afterSwitch(this.checkpoint);
    this.report('done');
    if (previous && previous.activeVersion !== target) await this.dropOld(previous);
    return this.checkpoint;
  }

  private async catchUp(key: string): Promise<void> {
    const { eventStore, readStore, logger } = this.deps;
    let failures = 0;
    const pipeline = new WritePipeline({
      readStore,
      version: this.plan.target,
      checkpointKey: key,
      depth: REBUILD_WRITE_DEPTH,
      onCommitted: (checkpoint, events) => {
        this.checkpoint = checkpoint;
        this.eventsProcessed += events;
        failures = 0;
      },
    });
    // The read position runs ahead of this.checkpoint (what has committed) by the batches still being written.
    let cursor = this.checkpoint;
    let prefetched: Promise<RecordedEvent[]> | undefined;
    for (;;) {
      if (this.stopping) {
        await pipeline.reset();
        throw new RebuildStopped(this.plan.projector.name);
      }
      try {
        const events = await (prefetched ?? eventStore.readAll(cursor, this.deps.batchSize));
        prefetched = undefined;
        if (events.length === 0) {
          await pipeline.drain();
          return;
        }
        const last = events[events.length - 1]!.checkpoint;
        // Read the next batch while this one is projected and written.
        if (events.length === this.deps.batchSize) {
          prefetched = eventStore.readAll(last, this.deps.batchSize);
          prefetched.catch(() => undefined);
        }
        const changes = await projectBatch(pipeline.load, this.plan.projector, events);
        await pipeline.submit(changes, last, events.length);
        cursor = last;
        await this.progress();
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
        this.checkpoint = (await readStore.getCheckpoint(key)) ?? START;
        cursor = this.checkpoint;
      }
    }
  }

  private async progress(): Promise<void> {
    if (!this.plan.onProgress) return;
    if (Date.now() - this.headReadAt > HEAD_REFRESH_MS) {
      this.headReadAt = Date.now();
      this.head = await this.readHead().catch(() => this.head);
    }
    this.report('catching-up');
  }

  /** The log's end if anyone can tell; else the serving version's checkpoint, which is close to it while live. */
  private async readHead(): Promise<Checkpoint | null> {
    const fromStore = (this.deps.eventStore as { head?: () => Promise<Checkpoint | null> }).head;
    const head = this.deps.head ?? (fromStore ? () => fromStore.call(this.deps.eventStore) : undefined);
    if (head) return head();
    const previous = this.plan.previous;
    if (!previous) return null;
    return this.deps.readStore.getCheckpoint(checkpointKey(this.plan.projector.name, previous.activeVersion));
  }

  private report(phase: RebuildProgress['phase']): void {
    const head = this.head && this.head.prepare >= this.checkpoint.prepare ? this.head : null;
    const fraction = phase === 'done' ? 1 : head && head.prepare > 0n ? Number(this.checkpoint.prepare) / Number(head.prepare) : null;
    this.plan.onProgress?.({
      name: this.plan.projector.name,
      version: this.plan.target,
      phase,
      eventsProcessed: this.eventsProcessed,
      checkpoint: formatCheckpoint(this.checkpoint),
      head: head ? formatCheckpoint(head) : null,
      fraction,
    });
  }

  private async dropOld(previous: ProjectionMeta): Promise<void> {
    // Readers in other processes may hold the old version for one cache period; let them finish first.
    await this.pause.for(this.deps.dropDelayMs);
    for (const collection of previous.collections) {
      await this.deps.readStore.dropCollection(physicalCollection(collection, previous.activeVersion));
    }
  }
}
