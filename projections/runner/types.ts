import type { EventStore } from '../../domain/ports/event-store.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import type { Checkpoint } from '../../domain/events/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { Projector } from '../projector.ts';

/** pino-compatible: fields first, message second. Only names, versions, checkpoints and error messages are logged. */
export interface RunnerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type ProjectionState = 'running' | 'rebuilding' | 'stopped' | 'failed';

export interface ProjectionStatus {
  name: string;
  /** The projector code's version. */
  version: number;
  /** The version whose physical collections readers are served from; null before the first start. */
  activeVersion: number | null;
  /** "commit/prepare" of the last event committed into the active version. */
  checkpoint: string;
  /** Whether this process runs the projection now (under start(), or holding its lease). */
  active: boolean;
  /** Events applied to the active version by this process since start(). */
  eventsProcessed: number;
  /** occurredAt of the last event applied by this process, if any. */
  lastEventAt: string | null;
  /** How long the oldest event not yet applied has been waiting: 0 when caught up, null when unknown. */
  lagMs: number | null;
  state: ProjectionState;
  lastError: string | null;
  rebuild: RebuildStatus | null;
}

export interface RebuildStatus {
  version: number;
  /** 'by-stream' while replaying a cut of the log case by case: the checkpoint stays at the start until the cut. */
  phase: 'by-stream' | 'catching-up' | 'switching';
  /** The cut a by-stream replay is heading for ("commit/prepare"), else null. */
  replayingUntil: string | null;
  checkpoint: string;
  eventsProcessed: number;
  startedAt: string;
}

export interface RebuildProgress {
  name: string;
  version: number;
  /** 'by-stream': replaying a cut of the log stream by stream (stream-scoped projectors), before 'catching-up'. */
  phase: 'by-stream' | 'catching-up' | 'switching' | 'done';
  eventsProcessed: number;
  checkpoint: string;
  /** Best known head of the log, or null when nothing tells us. */
  head: string | null;
  /** Share of the way to `head` by global position, 0..1, or null when the head is unknown. */
  fraction: number | null;
}

export interface RebuildResult {
  name: string;
  version: number;
  previousVersion: number | null;
  eventsProcessed: number;
  checkpoint: string;
}

export interface ProjectionRunnerOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projectors: Projector[];
  logger?: RunnerLogger;
  clock?: Clock;
  /** Events per batch, live (default 1000: it only matters when catching up) and in rebuilds (default 1000). */
  batchSize?: number;
  rebuildBatchSize?: number;
  /** Subscription poll interval once caught up. */
  idleMs?: number;
  /** First pause before restarting a failed projection from its stored checkpoint; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Consecutive failed batches after which a rebuild gives up (the old version keeps serving). Default 5. */
  rebuildAttempts?: number;
  /** Pause between switching versions and dropping the old collections, so readers with a cached version finish. */
  dropDelayMs?: number;
  /**
   * The log as each rebuild reads it, made anew for every rebuild (default: eventStore). The engine gives each one a
   * sealing store whose key cache starts empty, so a rebuild asked for after a shredding never opens a value with a
   * key this process still held from before it.
   */
  rebuildEventStore?: () => EventStore;
  /** Where the log ends, for rebuild progress; defaults to the event store's own head() if it has one. */
  head?: () => Promise<Checkpoint | null>;
  /**
   * Rebuild stream-scoped projectors stream by stream when the event store can read that way (default true); false
   * keeps every rebuild in log order.
   */
  rebuildByStream?: boolean;
}

export interface ProjectionRunner {
  /** Starts one checkpointed subscription per projector; rebuilds in the background those whose code version changed. */
  start(): Promise<void>;
  /** Stops every subscription and rebuild after the batch in hand. */
  stop(): Promise<void>;
  names(): string[];
  /**
   * Runs one projection under a lease: raises the read store's fence to `token` first, then starts it as start()
   * would. Every write it makes carries the token, so the store refuses them once a newer holder raised the fence.
   */
  acquire(name: string, token: number): Promise<void>;
  /** Stops one projection (its lane and any rebuild); resolves once it writes nothing more. */
  release(name: string): Promise<void>;
  status(): Promise<ProjectionStatus[]>;
  /** Builds the next version from the start of the log while the current one serves, then switches to it. */
  rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<RebuildResult>;
}
