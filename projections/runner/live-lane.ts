import type { EventStore, Subscription } from '../../domain/ports/event-store.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { START, compareCheckpoints, formatCheckpoint, isLogRewound, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import type { Projector } from '../projector.ts';
import { activeVersion } from './active-collection.ts';
import { requestRebuild } from './admin.ts';
import { applyBatch } from './apply-batch.ts';
import type { Fence } from './fence.ts';
import { checkpointKey } from './meta.ts';
import { Pause } from './pause.ts';
import type { RunnerLogger } from './types.ts';

export interface LaneDeps {
  eventStore: EventStore;
  readStore: ReadStore;
  logger: RunnerLogger;
  batchSize: number;
  idleMs: number | undefined;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One projector version kept current by a checkpointed subscription. At-least-once: a failed batch is logged, and
 * after a growing pause the subscription is replaced by a new one from the checkpoint stored in the read store, so
 * nothing the failed transaction half-did is trusted.
 */
export class LiveLane {
  checkpoint: Checkpoint = START;
  eventsProcessed = 0;
  lastEventAt: string | null = null;
  lastError: string | null = null;
  failed = false;
  stopped = false;

  private subscription: Subscription | undefined;
  private readonly pause = new Pause();
  private failures = 0;
  private restarting: Promise<void> | undefined;
  private superseded = false;
  /** False from a failure until the replacement subscription starts, so nothing after the failed batch is applied. */
  private accepting = true;

  constructor(
    private readonly deps: LaneDeps,
    readonly projector: Projector,
    readonly version: number,
    /** Called once when the read store says another version now serves (a rebuild elsewhere switched it). */
    private readonly onSuperseded: (lane: LiveLane, active: number) => void,
    private readonly fence: Fence | null = null,
  ) {}

  get key(): string {
    return checkpointKey(this.projector.name, this.version);
  }

  async start(): Promise<void> {
    this.checkpoint = (await this.deps.readStore.getCheckpoint(this.key)) ?? START;
    if (!this.stopped) this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    await this.restarting;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private subscribe(): void {
    this.subscription = this.deps.eventStore.subscribe(this.checkpoint, (batch) => this.handle(batch), {
      batchSize: this.deps.batchSize,
      idleMs: this.deps.idleMs,
      onError: (error) => {
        // The log went back in time under this view: it holds effects of events that are gone and would skip those
        // at their positions now. Rebuilt from the log as it is (once asked, the request stands until it runs).
        if (isLogRewound(error)) {
          void requestRebuild(this.deps.readStore, this.projector.name, `log-rewound-${this.checkpoint.prepare}`, new Date()).catch(() => undefined);
        }
        // Read failures are retried by the subscription itself; batch failures are already logged by handle().
        if (this.accepting) {
          this.lastError = message(error);
          this.deps.logger.warn({ projection: this.projector.name, version: this.version, error: this.lastError }, 'projection subscription error');
        }
      },
    });
  }

  private async handle(batch: RecordedEvent[]): Promise<void> {
    if (!this.accepting || this.stopped || this.superseded) throw new Error('projection lane is restarting or stopped');
    // Redelivery after a restart must not reapply what the stored checkpoint already covers.
    const fresh = batch.filter((event) => compareCheckpoints(event.checkpoint, this.checkpoint) > 0);
    if (fresh.length === 0) return;
    const active = await activeVersion(this.deps.readStore, this.projector.name);
    if (active !== null && active !== this.version) {
      this.superseded = true;
      this.onSuperseded(this, active);
      return;
    }
    try {
      await applyBatch(this.deps.readStore, this.projector, this.version, this.key, fresh, this.fence);
    } catch (error) {
      this.fail(error);
      throw error;
    }
    const last = fresh[fresh.length - 1]!;
    this.checkpoint = last.checkpoint;
    this.eventsProcessed += fresh.length;
    this.lastEventAt = last.metadata.occurredAt;
    this.failed = false;
    this.failures = 0;
  }

  private fail(error: unknown): void {
    this.accepting = false;
    this.failed = true;
    this.failures += 1;
    this.lastError = message(error);
    const delay = Math.min(this.deps.maxRetryDelayMs, this.deps.retryDelayMs * 2 ** (this.failures - 1));
    this.deps.logger.error(
      { projection: this.projector.name, version: this.version, checkpoint: formatCheckpoint(this.checkpoint), retryInMs: delay, error: this.lastError },
      'projection batch failed; restarting from the stored checkpoint',
    );
    // Not awaited here: stop() waits for the handler in flight, and the handler is what is calling us.
    this.restarting = this.restart(delay).catch((restartError: unknown) => {
      this.lastError = message(restartError);
      this.deps.logger.error({ projection: this.projector.name, error: this.lastError }, 'projection restart failed');
    });
  }

  private async restart(delay: number): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
    while (!this.stopped) {
      await this.pause.for(delay);
      if (this.stopped) return;
      try {
        this.checkpoint = (await this.deps.readStore.getCheckpoint(this.key)) ?? START;
        break;
      } catch (error) {
        this.lastError = message(error);
      }
    }
    if (this.stopped) return;
    // Still "failed" until a batch goes through: the stored checkpoint sits before the events that failed.
    this.restarting = undefined;
    this.accepting = true;
    this.subscribe();
  }
}
