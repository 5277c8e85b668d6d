import { createSecretKey } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import { ERASED, personalPaths, setAll, type FieldPath, type PersonalDataMarks, type ServiceRef } from '../../domain/privacy/personal-data.ts';
import { SUBJECT_KEYS_SHREDDED } from '../../domain/privacy/events.ts';
import { caseOfEvidenceScope, evidenceScope, isCaseRecordsScope } from '../../domain/privacy/retention.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { validateAppend, vouchFor } from '../event-store/index.ts';
import { MissingSubjectKeyError, SubjectKeyTakenError, type DraftedKey, type KeyStore, type NewSubjectKey } from '../../domain/ports/key-store.ts';
import { openEvent, sealEvent, sealedKeyId, type SubjectKey } from './envelope.ts';
import { subjectRef } from './subject-ref.ts';
import { boundedMap } from '../bounded-map.ts';

export interface SealingOptions {
  keys: KeyStore;
  marks: PersonalDataMarks;
  /** Keys the hash of ID numbers by which a subject's keys are found (subject refs). */
  lookupSecret: Buffer;
  /**
   * How long a live key stays in this process's cache (default 60 s). A key shredded by another process may still
   * open values here for this long; the process that shreds, and every reader of the shredding event, forget it at once.
   */
  cacheMs?: number;
  /**
   * The key store and the event store are one database (the same PostgreSQL, or the embedded PGlite): the keys of a
   * new case are then written by the case's first append, in its transaction (EventStore.appendWithKeys).
   */
  keysShareEventsDatabase?: boolean;
  /** Entries each of the process's caches keeps (keys, scopes, services of streams); default 50,000. */
  cacheEntries?: number;
  /** Encrypt nothing (the bench's baseline); reading sealed events still works. */
  disabled?: boolean;
}

/**
 * A cached key, one object for its scope and its id. Every new case adds two (its records and evidence keys) that
 * live until evicted, so they are kept small: a case's entries outlived every young-generation collection and made
 * the sealed side's collections the costliest part of its extra CPU (docs/benchmarks.md).
 */
interface Cached {
  /** Null: destroyed. */
  key: SubjectKey | null;
  /** When cached, in ticks of `clock`. */
  at: number;
  /** The subject tag the scope's key was asked for with (null when none, or when cached by key id alone). */
  tag: string | null;
}

/**
 * Ticks of 16 ms since the process started: a small integer that V8 keeps inside the entry (for over a year of
 * uptime), where Date.now() (past 2^31) would be a separate number object per entry. Monotonic, not the wall clock:
 * a clock stepped back (NTP, a resumed VM) would otherwise keep a destroyed key readable for as long as the step.
 */
const TICK_MS = 16;
const clock = () => Math.floor(performance.now() / TICK_MS);

const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/** One object per service version, shared by every stream of it (a cache entry per case otherwise). */
const serviceRefs = new Map<string, ServiceRef>();
function serviceRef(serviceId: string, serviceVersion: number): ServiceRef {
  const name = `${serviceId}@${serviceVersion}`;
  let known = serviceRefs.get(name);
  if (!known) {
    known = Object.freeze({ serviceId, serviceVersion });
    if (serviceRefs.size < 10_000) serviceRefs.set(name, known);
  }
  return known;
}

interface Drafts {
  keys: Map<string, { key: SubjectKey; subjectTag: string | null }>;
  rows: NewSubjectKey[];
}

export interface SealingEventStore extends EventStore {
  /** The keyed hash of a subject's ID number. */
  subjectRef(id: string): string;
  /** Forget cached keys (after shredding them). */
  forget(keyIds: readonly string[]): void;
  /** The store underneath (ciphertext as stored): for hash-link checks and tests. */
  readonly inner: EventStore;
  /**
   * The same store with caches of its own, empty: every key it opens with is read from the key store now. For a reader
   * that must not see what a key opened before it was destroyed (a rebuild after a shredding), where this process's
   * cache may still hold it for up to `cacheMs`.
   */
  afresh(): SealingEventStore;
}

/**
 * Encryption at the edge of the event store. Before append, the personal values of each event (domain/privacy) are
 * sealed under the key of the event's scope (its case, or the subject's access log) and the key id goes with them;
 * after every read they are opened again, so the pure core and the projectors see clear values and the log's hash
 * links (taken by the store over what it stores) cover ciphertext. A destroyed key opens as ERASED in every value
 * it sealed, and values appended into a scope whose key is destroyed are stored as ERASED.
 */
export function sealingEventStore(inner: EventStore, options: SealingOptions): SealingEventStore {
  const ttl = options.cacheMs ?? 60_000;
  // A worker runs for months over millions of cases: every cache keeps only the most recently stored entries.
  const limit = options.cacheEntries ?? 50_000;
  /** By key id: what opens the events it sealed (null: destroyed). */
  const keyCache = boundedMap<string, Cached>(limit);
  /** By scope: the key that seals its new events, the same entry as under the key's id. */
  const scopeCache = boundedMap<string, Cached>(limit);
  const services = boundedMap<string, ServiceRef>(limit);
  // A key object made once: every new case hashes its applicant's number, and a raw secret is converted per call.
  const lookupKey = createSecretKey(options.lookupSecret);
  const ref = (id: string) => subjectRef(lookupKey, { type: 'subject', id });

  const fresh = (entry: Cached | undefined): entry is Cached => entry !== undefined && (entry.key === null || (clock() - entry.at) * TICK_MS < ttl);

  function forget(keyIds: readonly string[]): void {
    const gone = new Set(keyIds);
    for (const id of gone) keyCache.set(id, { key: null, at: clock(), tag: null });
    for (const [scope, entry] of scopeCache) if (entry.key && gone.has(entry.key.id)) scopeCache.set(scope, { key: null, at: clock(), tag: entry.tag });
  }

  async function keyOfScope(scope: string, subject: string | null): Promise<SubjectKey | null> {
    const cached = scopeCache.get(scope);
    if (fresh(cached)) return cached.key;
    // A case's evidence key is tagged with the case's subject, so erasure on request finds it too.
    const base = caseOfEvidenceScope(scope);
    const baseTag = async (name: string) => {
      const known = scopeCache.get(name);
      return known !== undefined ? known.tag : ((await options.keys.scope(name))?.subjectRef ?? null);
    };
    const subjectTag = subject !== null ? ref(subject) : base !== null ? await baseTag(base) : null;
    // A case's evidence key is made alongside its records key (in parallel), so fetched evidence finds it cached.
    const companion = isCaseRecordsScope(scope) && !scopeCache.has(evidenceScope(scope)) ? evidenceScope(scope) : null;
    const [key, evidenceKey] = await Promise.all([
      options.keys.keyFor(scope, subjectTag),
      companion ? options.keys.keyFor(companion, subjectTag) : Promise.resolve(undefined),
    ]);
    if (companion && evidenceKey !== undefined) remember(companion, evidenceKey, subjectTag);
    remember(scope, key, subjectTag);
    return key;
  }

  function remember(scope: string, key: SubjectKey | null, tag: string | null): void {
    const entry: Cached = { key, at: clock(), tag };
    scopeCache.set(scope, entry);
    if (key) keyCache.set(key.id, entry);
  }

  /**
   * Keys for a scope this append opens (its own stream, appended with 'no_stream'), made here and written by the
   * store underneath in the append's own transaction (appendWithKeys): a new case costs no key round trip. A case's
   * evidence key comes with its records key, in the same row, as keyOfScope makes them together.
   */
  function draftKeys(scope: string, subject: string | null, drafts: Drafts): SubjectKey | Promise<SubjectKey> {
    const subjectTag = subject !== null ? ref(subject) : null;
    const take = ({ key, row, evidence }: DraftedKey) => {
      drafts.keys.set(scope, { key, subjectTag });
      // A case's evidence key comes in the same row (one row per new case).
      if (evidence) drafts.keys.set(evidenceScope(scope), { key: evidence, subjectTag });
      drafts.rows.push(row);
      return key;
    };
    const drafted = options.keys.draft(scope, subjectTag);
    // Any promise-like answer (a KMS adapter's library may have its own) is waited for, never taken as a draft.
    return isThenable(drafted) ? Promise.resolve(drafted).then(take) : take(drafted);
  }

  async function serviceOf(stream: string): Promise<ServiceRef | null> {
    const known = services.get(stream);
    if (known) return known;
    const [first] = await inner.readStream(stream, { maxCount: 1 });
    return first ? rememberService(stream, first) : null;
  }

  function rememberService(stream: string, event: Pick<NewEvent, 'type' | 'data'>): ServiceRef | null {
    if (event.type !== 'ApplicationDrafted') return services.get(stream) ?? null;
    const service = serviceRef(String(event.data.serviceId), Number(event.data.serviceVersion));
    services.set(stream, service);
    return service;
  }

  /**
   * The event as it is to be stored. Answers at once (no promise, no await) when its service and key are already at
   * hand, as they are for every event of a case after its first: most appends seal without a turn of the event loop.
   */
  function seal(stream: string, event: NewEvent, drafts: Drafts | null): NewEvent | Promise<NewEvent> {
    const service = event.type === 'DraftUpdated' ? services.get(stream) : rememberService(stream, event);
    if (service === undefined) return serviceOf(stream).then((found) => sealFor(stream, event, drafts, found));
    return sealFor(stream, event, drafts, service);
  }

  function sealFor(stream: string, event: NewEvent, drafts: Drafts | null, service: ServiceRef | null): NewEvent | Promise<NewEvent> {
    const paths = personalPaths(event, options.marks, service);
    if (paths.length === 0) return event;
    const scope = scopeOf(stream, event);
    const cached = scopeCache.get(scope);
    const opens = drafts !== null && (drafts.keys.has(scope) || (scope === stream && !fresh(cached)));
    if (opens) {
      const drafted = drafts.keys.get(scope);
      if (drafted) return sealWith(stream, event, paths, drafted.key);
      const key = draftKeys(scope, subjectOf(event), drafts);
      return key instanceof Promise ? key.then((made) => sealWith(stream, event, paths, made)) : sealWith(stream, event, paths, key);
    }
    return fresh(cached) ? sealWith(stream, event, paths, cached.key) : keyOfScope(scope, subjectOf(event)).then((key) => sealWith(stream, event, paths, key));
  }

  async function open<E extends RecordedEvent>(events: E[]): Promise<E[]> {
    const shredded: string[] = [];
    for (const event of events) if (event.type === SUBJECT_KEYS_SHREDDED && Array.isArray(event.data.keyIds)) shredded.push(...(event.data.keyIds as string[]));
    if (shredded.length > 0) forget(shredded);
    const kids = events.map(sealedKeyId);
    const missing = new Set<string>();
    // The batch's own keys, taken now: the bounded cache may drop a cached one before the batch is opened (this
    // batch's new keys, or another caller's, push it out while the missing ones are fetched).
    const batchKeys = new Map<string, Buffer | null>();
    for (const kid of kids) {
      if (kid === null || batchKeys.has(kid) || missing.has(kid)) continue;
      const cached = keyCache.get(kid);
      if (fresh(cached)) batchKeys.set(kid, cached.key === null ? null : cached.key.bytes);
      else missing.add(kid);
    }
    const found = missing.size > 0 ? await options.keys.unwrap([...missing]) : new Map<string, Buffer | null>();
    // A key no row holds was never destroyed: reading its values as "erased" would hide a broken store for good.
    const unknown = [...missing].filter((id) => !found.has(id));
    if (unknown.length > 0) throw new MissingSubjectKeyError(unknown);
    for (const id of missing) {
      const bytes = found.get(id)!;
      batchKeys.set(id, bytes);
      keyCache.set(id, { key: bytes === null ? null : { id, bytes }, at: clock(), tag: null });
    }
    // Events read from the store are fresh objects no one else holds: opened in place, the batch answered as it came.
    for (let index = 0; index < events.length; index += 1) {
      const kid = kids[index]!;
      if (kid !== null) openEvent(events[index]!.streamId, events[index]!, batchKeys.get(kid) ?? null, true);
    }
    return events;
  }

  /** The events as stored: at once (an array, not a promise) when every key and service was at hand. */
  function sealAll(stream: string, events: NewEvent[], drafts: Drafts | null): NewEvent[] | Promise<NewEvent[]> {
    const sealed: NewEvent[] = [];
    for (let index = 0; index < events.length; index += 1) {
      const next = seal(stream, events[index]!, drafts);
      if (next instanceof Promise) return sealRest(stream, events, drafts, sealed, next);
      sealed.push(next);
    }
    return sealed;
  }

  async function sealRest(stream: string, events: NewEvent[], drafts: Drafts | null, sealed: NewEvent[], pending: Promise<NewEvent>): Promise<NewEvent[]> {
    sealed.push(await pending);
    for (let index = sealed.length; index < events.length; index += 1) {
      const next = seal(stream, events[index]!, drafts);
      sealed.push(next instanceof Promise ? await next : next);
    }
    return sealed;
  }

  const store: SealingEventStore = {
    kind: inner.kind,
    inner,
    subjectRef: ref,
    forget,
    afresh: () => sealingEventStore(inner, options),
    async append(stream, events, appendOptions) {
      if (options.disabled) return inner.append(stream, events, appendOptions);
      // Refused input is refused exactly as the store would, before any key is made.
      validateAppend(stream, events, appendOptions);
      const drafts: Drafts | null = options.keysShareEventsDatabase && inner.appendWithKeys && appendOptions.expectedRevision === 'no_stream' ? { keys: new Map(), rows: [] } : null;
      const sealing = sealAll(stream, events, drafts);
      // Sealing swaps valid values for strings and nulls: the store underneath need not walk them all again, when they
      // were sealed in this very turn. Across an await the caller could have changed what the gate passed (the sealed
      // copies share every part not sealed), so those go through the gate again.
      const sealed = sealing instanceof Promise ? await sealing : vouchFor(sealing);
      if (drafts === null || drafts.rows.length === 0) return inner.append(stream, sealed, appendOptions);
      try {
        const result = await inner.appendWithKeys!(stream, sealed, appendOptions, drafts.rows);
        // A replayed append stored nothing: the keys of the first attempt are the scope's, not these drafts.
        if (!result.replayed) for (const [scope, { key, subjectTag }] of drafts.keys) remember(scope, key, subjectTag);
        return result;
      } catch (error) {
        if (!(error instanceof SubjectKeyTakenError)) throw error;
        // The scope has a key already (a concurrent writer's, or a destroyed one): seal again with it.
        return inner.append(stream, await sealAll(stream, events, null), appendOptions);
      }
    },
    async readStream(stream, readOptions) {
      return open(await inner.readStream(stream, readOptions));
    },
    async readAll(after, batchSize) {
      return open(await inner.readAll(after, batchSize));
    },
    subscribe(after, handler, subscribeOptions) {
      return inner.subscribe(after, async (batch) => handler(await open(batch)), subscribeOptions);
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  if (inner.head) store.head = () => inner.head!();
  if (inner.readByStream) store.readByStream = async (query) => open(await inner.readByStream!(query));
  if (inner.verifyLog) store.verifyLog = (heads, from) => inner.verifyLog!(heads, from);
  if (inner.logHeads) (store as { logHeads?: EventStore['logHeads'] }).logHeads = inner.logHeads;
  return store;
}

/** Sealed under `key`; with no key (the scope's was destroyed) the values are stored as erased. */
function sealWith(stream: string, event: NewEvent, paths: readonly FieldPath[], key: SubjectKey | null): NewEvent {
  return key ? sealEvent(stream, event, paths, key) : setAll(event, paths, () => ERASED);
}

/**
 * Which key seals an event: its case's for everything about a case (the case stream, the idempotency record of a
 * command on it, a data access for it), so erasing a case erases all of it, fetched evidence under the case's
 * evidence key; otherwise the stream's own.
 */
export function scopeOf(stream: string, event: Pick<NewEvent, 'type' | 'data'>): string {
  const caseId = event.data.caseId;
  const caseScope = stream.startsWith('case-') ? stream : typeof caseId === 'string' && caseId !== '' ? `case-${caseId}` : null;
  if (caseScope === null) return stream;
  // Fetched evidence has its own key, so retention can shred it when the case no longer needs it.
  return EVIDENCE_EVENTS.has(event.type) ? evidenceScope(caseScope) : caseScope;
}

const EVIDENCE_EVENTS: ReadonlySet<string> = new Set(['EvidenceReceived', 'EvidenceConflictFlagged']);

/** The data subject whose key a new scope gets: the applicant, the accessed subject, the holder, or a citizen actor. */
function subjectOf(event: NewEvent): string | null {
  const data = event.data as Record<string, { id?: unknown } | undefined>;
  for (const field of ['applicant', 'subject', 'holder']) {
    const id = data[field]?.id;
    if (typeof id === 'string') return id;
  }
  return event.metadata.actor.kind === 'citizen' ? event.metadata.actor.id : null;
}
