import type { Checkpoint, NewEvent, RecordedEvent } from '../events/index.ts';
import type { NewSubjectKey } from './key-store.ts';

/** A point of the log someone vouched for earlier: the link at `position` (an exported, signed head). */
export interface TrustedHead {
  position: bigint;
  link: string;
}

export interface LogFault {
  /** The first position found wrong (for a truncated log: the first position missing). */
  position: bigint;
  reason: string;
}

export interface LogVerdict {
  ok: boolean;
  checked: number;
  /** The last position read and the link recomputed there (hex); null for an empty log. */
  last: { position: bigint; link: string } | null;
  fault: LogFault | null;
}

/**
 * The configured event store did not answer at start: the process stops with this one line (its message names the
 * server, credentials masked). Declared here so the entry point can recognise it without loading any adapter.
 */
export class EventStoreUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreUnreachableError';
  }
}

export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
  /**
   * True when every event id was already stored, so nothing was written and this is the original result. Set by the
   * SQL stores; EventStoreDB acknowledges such a retry like a fresh write and leaves this out.
   */
  replayed?: boolean;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface SubscribeOptions {
  batchSize?: number;
  /** How long to wait before polling again once caught up. */
  idleMs?: number;
  onError?: (error: unknown) => void;
  /**
   * The log no longer holds the event the subscription's checkpoint was taken at (LogRewoundError): answers where to
   * go on from, once the reader has made its state fit (an idempotent reader: START). Without it, that failure is
   * reported and retried like any other, and the reader stands still rather than skip.
   */
  onRewound?: (from: Checkpoint) => Promise<Checkpoint>;
}

export interface Subscription {
  /** Stops after the batch in hand; resolves when the handler will not be called again. */
  stop(): Promise<void>;
  /** The last checkpoint whose batch the handler finished. */
  readonly checkpoint: Checkpoint;
}

/** A place in the by-stream order: the last event handed out. */
export interface StreamCursor {
  stream: string;
  revision: bigint;
}

export interface ReadByStreamQuery {
  /** Only streams whose id starts with this (non-empty). */
  prefix: string;
  /** Only events at or before this checkpoint: a fixed cut of the log, taken with head(). */
  until: Checkpoint;
  /** Events after this one; null to start with the first stream. */
  after: StreamCursor | null;
  batchSize: number;
}

/** A signed head as kept beside the log: the link at `position`, `size` events from the first. */
export interface StoredLogHead {
  position: bigint;
  size: bigint;
  link: string;
  signedAt: string;
  jws: string;
}

export interface LogHeadStore {
  latest(): Promise<StoredLogHead | null>;
  list(): Promise<StoredLogHead[]>;
  /**
   * Adds `head` after `after` (null: the first) only while `after` is still the latest head and `head` lies above
   * it; false when not (another publisher signed first), so the heads stay one chain in position order.
   */
  append(head: StoredLogHead, after: StoredLogHead | null): Promise<boolean>;
}

export type BatchHandler = (batch: RecordedEvent[]) => Promise<void>;

export interface EventStore {
  readonly kind: 'postgres' | 'pglite' | 'eventstoredb';
  append(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Optional (the SQL stores): `append`, and the new subject keys (KeyStore.draft) its sealed events need written to
   * the key table of the same database in the same transaction: both or neither. Throws SubjectKeyTakenError, having
   * written nothing, when a scope already has a key; an append already stored (a retried command) answers as `append`.
   */
  appendWithKeys?(stream: string, events: NewEvent[], options: AppendOptions, keys: readonly NewSubjectKey[]): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events strictly after `after`, in delivery order, at most `batchSize`. Never returns an event that could still be preceded by one committing late. */
  readAll(after: Checkpoint, batchSize: number): Promise<RecordedEvent[]>;
  /**
   * The checkpoint of the last event readAll() can deliver now (null for an empty log). Every event at or before it
   * is settled: none can still commit there later. Optional: EventStoreDB leaves it out.
   */
  head?(): Promise<Checkpoint | null>;
  /**
   * Optional: the log up to `until`, one stream after another (each stream in revision order, streams in an order of
   * the store's own that is stable between calls). A rebuild of a projection whose documents each follow one stream
   * reads this way to write each document once per stream instead of once per batch that touches it.
   */
  readByStream?(query: ReadByStreamQuery): Promise<RecordedEvent[]>;
  /**
   * Optional (the SQL stores): recomputes every event's hash link from the stored rows and checks the chain against
   * heads exported earlier. EventStoreDB leaves it out (README: tamper evidence).
   */
  verifyLog?(heads?: readonly TrustedHead[], from?: TrustedHead): Promise<LogVerdict>;
  /** Optional (the SQL stores): signed heads kept beside the log, append-only (adapters/log-heads). */
  readonly logHeads?: LogHeadStore;
  /** Catch-up then live; the handler sees each event once per checkpoint advance, in delivery order. */
  subscribe(after: Checkpoint, handler: BatchHandler, options?: SubscribeOptions): Subscription;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
