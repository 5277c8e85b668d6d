import { InvalidAppendError } from '../../domain/events/index.ts';
import type { ActorKind, EventMetadata, NewEvent } from '../../domain/events/index.ts';
import type { AppendOptions, ExpectedRevision, ReadByStreamQuery, ReadStreamOptions } from '../../domain/ports/event-store.ts';
import type { NewSubjectKey } from '../../domain/ports/key-store.ts';

/**
 * One gate for every adapter, so PostgreSQL, PGlite and EventStoreDB refuse exactly the same input and the refusal
 * always happens before anything reaches a server (nothing written).
 */

export const MAX_STREAM_NAME_LENGTH = 200;
export const MAX_EVENT_TYPE_LENGTH = 200;
const MAX_REVISION = (1n << 63n) - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ISO-8601 instant with an explicit offset: a local time without one is ambiguous in an audit trail.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const ACTOR_KINDS: ReadonlySet<ActorKind> = new Set(['citizen', 'clerk', 'department', 'system', 'auditor', 'admin']);

export interface ValidatedAppend {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
  /** New subject keys written in the same transaction (EventStore.appendWithKeys). */
  keys?: readonly NewSubjectKey[];
}

export function validateStreamName(stream: unknown): string {
  if (typeof stream !== 'string' || stream.length === 0) throw new InvalidAppendError('stream name must be a non-empty string');
  const length = [...stream].length;
  if (length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidAppendError(`stream name must be at most ${MAX_STREAM_NAME_LENGTH} characters, got ${length}`);
  }
  // EventStoreDB reserves "$" for system streams; refusing it everywhere keeps the adapters interchangeable.
  if (stream.startsWith('$')) throw new InvalidAppendError('stream names starting with "$" are reserved for system streams');
  if (CONTROL.test(stream) || LONE_SURROGATE.test(stream)) {
    throw new InvalidAppendError('stream name must not contain control characters or unpaired surrogates');
  }
  return stream;
}

export function validateExpectedRevision(value: unknown): ExpectedRevision {
  if (value === 'no_stream' || value === 'stream_exists' || value === 'any') return value;
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_REVISION) return value;
  throw new InvalidAppendError(
    `expectedRevision must be 'no_stream', 'stream_exists', 'any' or a bigint revision >= 0n, got ${describe(value)}`,
  );
}

/**
 * An event list built by a store wrapper from input this gate already passed (the sealing store's sealed copies), handed
 * to the store underneath so it does not walk every value a second time. Only code holding the array can vouch for it,
 * and a vouch covers the one append it is made for: the wrapper vouches in the very call that hands the list on, and the
 * store's gate, which runs first in that call, takes it. One slot rather than a set: a WeakSet entry per append cost
 * more than half a microsecond, and a list vouched for but never handed on is simply walked if it ever comes back.
 */
let handedOn: readonly NewEvent[] | null = null;

/** Marks `events` as already validated, for the append call it is passed to right now. */
export function vouchFor(events: NewEvent[]): NewEvent[] {
  handedOn = events;
  return events;
}

export function validateAppend(stream: unknown, events: unknown, options: unknown): ValidatedAppend {
  // Taken first, whatever follows: a vouch is for this one validation, passed or refused.
  const vouched = events === handedOn;
  handedOn = null;
  const name = validateStreamName(stream);
  if (typeof options !== 'object' || options === null) throw new InvalidAppendError('append options with expectedRevision are required');
  const expectedRevision = validateExpectedRevision((options as Partial<AppendOptions>).expectedRevision);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError('append needs at least one event');
  if (vouched) return { stream: name, events: events as NewEvent[], expectedRevision };
  const seen = new Set<string>();
  events.forEach((event, index) => {
    validateEvent(event, `events[${index}]`);
    const id = (event as NewEvent).metadata.eventId.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendError(`events[${index}].metadata.eventId ${id} appears twice in one append`);
    seen.add(id);
  });
  return { stream: name, events: events as NewEvent[], expectedRevision };
}

export function validateReadStreamOptions(options: ReadStreamOptions | undefined): Required<Pick<ReadStreamOptions, 'direction'>> &
  ReadStreamOptions {
  const { fromRevision, maxCount, direction = 'forwards' } = options ?? {};
  if (direction !== 'forwards' && direction !== 'backwards') {
    throw new InvalidAppendError(`direction must be 'forwards' or 'backwards', got ${describe(direction)}`);
  }
  if (fromRevision !== undefined && (typeof fromRevision !== 'bigint' || fromRevision < 0n || fromRevision > MAX_REVISION)) {
    throw new InvalidAppendError(`fromRevision must be a bigint >= 0n, got ${describe(fromRevision)}`);
  }
  if (maxCount !== undefined && (!Number.isSafeInteger(maxCount) || maxCount < 1)) {
    throw new InvalidAppendError(`maxCount must be a positive integer, got ${describe(maxCount)}`);
  }
  return { fromRevision, maxCount, direction };
}

export function validateBatchSize(batchSize: unknown): number {
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidAppendError(`batchSize must be a positive integer, got ${describe(batchSize)}`);
  }
  return batchSize;
}

export function validateReadByStream(query: unknown): ReadByStreamQuery {
  if (!isPlainObject(query)) throw new InvalidAppendError('readByStream needs a query object');
  const { prefix, until, after, batchSize } = query as Partial<ReadByStreamQuery>;
  if (typeof prefix !== 'string' || prefix.length === 0) throw new InvalidAppendError(`prefix must be a non-empty string, got ${describe(prefix)}`);
  if (!isPlainObject(until) || typeof until.commit !== 'bigint' || typeof until.prepare !== 'bigint') {
    throw new InvalidAppendError('until must be a checkpoint with bigint commit and prepare');
  }
  if (after !== null) {
    if (!isPlainObject(after) || typeof after.revision !== 'bigint' || after.revision < 0n) {
      throw new InvalidAppendError('after must be null or a cursor with a stream name and a bigint revision >= 0n');
    }
    validateStreamName(after.stream);
  }
  return { prefix, until, after: after ?? null, batchSize: validateBatchSize(batchSize) };
}

function validateEvent(event: unknown, at: string): void {
  if (!isPlainObject(event)) throw new InvalidAppendError(`${at} must be an object with type, data and metadata`);
  const { type, data, metadata } = event as Partial<NewEvent>;
  requireText(type, `${at}.type`, MAX_EVENT_TYPE_LENGTH);
  if ((type as string).startsWith('$')) throw new InvalidAppendError(`${at}.type must not start with "$" (reserved)`);
  if (!isPlainObject(data)) throw new InvalidAppendError(`${at}.data must be a plain JSON object`);
  requireJson(data, `${at}.data`, new Set());
  validateMetadata(metadata, `${at}.metadata`);
}

function validateMetadata(metadata: unknown, at: string): void {
  if (!isPlainObject(metadata)) throw new InvalidAppendError(`${at} is required`);
  const m = metadata as Partial<EventMetadata>;
  if (typeof m.eventId !== 'string' || !UUID.test(m.eventId)) throw new InvalidAppendError(`${at}.eventId must be a UUID string`);
  if (!Number.isSafeInteger(m.schemaVersion) || (m.schemaVersion as number) < 1) {
    throw new InvalidAppendError(`${at}.schemaVersion must be a positive integer`);
  }
  if (typeof m.occurredAt !== 'string' || !ISO_INSTANT.test(m.occurredAt) || Number.isNaN(Date.parse(m.occurredAt))) {
    throw new InvalidAppendError(`${at}.occurredAt must be an ISO-8601 instant with a time zone, e.g. 2026-01-05T08:30:00Z`);
  }
  requireText(m.correlationId, `${at}.correlationId`, 200);
  if (m.causationId !== null) requireText(m.causationId, `${at}.causationId (or null)`, 200);
  requireText(m.commandId, `${at}.commandId`, 200);
  const actor = m.actor;
  if (!isPlainObject(actor)) throw new InvalidAppendError(`${at}.actor is required`);
  if (!ACTOR_KINDS.has(actor.kind as ActorKind)) {
    throw new InvalidAppendError(`${at}.actor.kind must be one of ${[...ACTOR_KINDS].join(', ')}`);
  }
  requireText(actor.id, `${at}.actor.id`, 200);
  requireJson(metadata, at, new Set());
}

function requireText(value: unknown, at: string, max: number): void {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidAppendError(`${at} must be a non-empty string`);
  if (value.length > max) throw new InvalidAppendError(`${at} must be at most ${max} characters`);
}

/**
 * Accepts exactly what survives JSON and PostgreSQL jsonb unchanged: JSON.stringify silently drops functions and
 * undefined, turns Dates into strings and NaN into null, and jsonb refuses NUL characters and unpaired surrogates.
 */
function requireJson(value: unknown, at: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      return requireJsonString(value, at);
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppendError(`${at} is ${value}, which JSON cannot represent`);
      return;
    case 'bigint':
      throw new InvalidAppendError(`${at} is a BigInt, which JSON cannot represent: store it as a decimal string`);
    case 'object':
      break;
    default:
      throw new InvalidAppendError(`${at} is a ${typeof value}, which is not JSON`);
  }
  if (value === null) return;
  if (ancestors.has(value as object)) throw new InvalidAppendError(`${at} refers back to itself (cycle), which is not JSON`);
  ancestors.add(value as object);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      // forEach would skip it: RFC 8785 leaves a hole out where JSON and jsonb write null, so the digest taken before
      // the append would never match the stored event again.
      if (!(index in value)) throw new InvalidAppendError(`${at}[${index}] is a hole in a sparse array, which JSON cannot carry as it is: write null`);
      requireJson(value[index], `${at}[${index}]`, ancestors);
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      requireJsonString(key, `${at} key "${key}"`);
      requireJson(item, `${at}.${key}`, ancestors);
    }
  } else {
    const kind = (value as object).constructor?.name ?? 'object';
    throw new InvalidAppendError(`${at} is a ${kind}, not a plain JSON value (convert Dates to ISO strings)`);
  }
  ancestors.delete(value as object);
}

function requireJsonString(value: string, at: string): void {
  if (value.includes('\u0000')) throw new InvalidAppendError(`${at} contains a NUL character, which jsonb cannot store`);
  if (LONE_SURROGATE.test(value)) throw new InvalidAppendError(`${at} contains an unpaired surrogate, which is not valid Unicode`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
