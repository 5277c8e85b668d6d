/** Who caused an event. Department systems and the platform itself are actors too, so the audit trail has no gaps. */
export type ActorKind = 'citizen' | 'clerk' | 'department' | 'system' | 'auditor' | 'admin';

export interface Actor {
  kind: ActorKind;
  /** Citizen ID / credit code for citizens, staff id for clerks, department code for department systems. */
  id: string;
  department?: string;
  roles?: string[];
}

export interface EventMetadata {
  eventId: string;
  schemaVersion: number;
  /** ISO-8601 instant; time enters the domain through events, never through a clock read in a guard. */
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  commandId: string;
  /**
   * The case revision the actor was looking at when it issued the command (its If-Match), as a decimal string:
   * a decision can be replayed against exactly what the clerk saw. Absent when the command named no revision.
   */
  seenRevision?: string;
}

export type EventData = Record<string, unknown>;

export interface NewEvent<D extends EventData = EventData> {
  type: string;
  data: D;
  metadata: EventMetadata;
}

/**
 * Where a reader stands in the global log. For PostgreSQL/PGlite `commit` is the log's epoch (above every transaction
 * id a checkpoint held before commit-ordered positions, which the store still maps) and `prepare` the position; for
 * EventStoreDB they are its commit and prepare positions. Readers order and compare by the pair.
 */
export interface Checkpoint {
  commit: bigint;
  prepare: bigint;
  /**
   * The log's hash link (hex) at the event this checkpoint was taken at, on stores that keep one: resuming from it is
   * refused when that position now holds another event (the log went back in time under its reader).
   */
  link?: string;
}

export interface RecordedEvent<D extends EventData = EventData> extends NewEvent<D> {
  streamId: string;
  revision: bigint;
  /** Global position; unique, but only the checkpoint pair is monotonic in delivery order. */
  position: bigint;
  checkpoint: Checkpoint;
  /** The log's hash link at this event (hex), on stores that keep a hash-linked log (PostgreSQL, PGlite). */
  hash?: string;
}
