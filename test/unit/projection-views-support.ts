import { DATA_ACCESSED, accessStream, type DataAccessedData } from '../../domain/access/events.ts';
import type { Actor, NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import type { DocKey, ProjectionContext, Projector, ViewDoc } from '../../projections/index.ts';
import { eventIdFor } from '../../workflows/index.ts';
import { playCase, type Append, type ScenarioName } from './projection-views-scenarios.ts';

/**
 * Envelopes and a read store in memory for the view specs. The store keeps documents as JSON text, as a jsonb
 * column would, and batches follow the runner's rules: only documents named by keys() may be read, only the
 * projector's own collections written, and nothing is stored until the batch ends.
 */

/** One command's events as the command handler appends them: ids derived from the command id, as uuids. */
export function newEventsOf(append: Append): NewEvent[] {
  return append.events.map((event, index) => ({
    type: event.type,
    data: event.data,
    metadata: {
      eventId: eventIdFor(append.commandId, index),
      schemaVersion: 1,
      occurredAt: append.at,
      correlationId: append.streamId,
      causationId: null,
      actor: append.actor,
      commandId: append.commandId,
    },
  }));
}

/** Turns appends into the global log: appends ordered by time (stable), one commit per append, revisions per stream. */
export function toLog(appends: Append[], firstCommit = 1n): RecordedEvent[] {
  const ordered = appends.map((a, i) => ({ a, i })).sort((x, y) => (x.a.at < y.a.at ? -1 : x.a.at > y.a.at ? 1 : x.i - y.i));
  const revisions = new Map<string, bigint>();
  const log: RecordedEvent[] = [];
  let commit = firstCommit;
  for (const { a } of ordered) {
    for (const event of newEventsOf(a)) {
      const revision = (revisions.get(a.streamId) ?? -1n) + 1n;
      revisions.set(a.streamId, revision);
      const position = BigInt(log.length + 1);
      log.push({ ...event, streamId: a.streamId, revision, position, checkpoint: { commit, prepare: position } });
    }
    commit += 1n;
  }
  return log;
}

/** A clerk (or auditor) opening a subject's data outside the evidence flow. */
export function accessAppend(subjectId: string, at: string, options: Partial<DataAccessedData> & { commandId: string }): Append {
  const { commandId, ...overrides } = options;
  const data: DataAccessedData = {
    subject: { type: 'person', id: subjectId },
    accessor: { kind: 'clerk', id: 'clerk-PSB', department: 'PSB' },
    caseId: null,
    serviceId: null,
    purpose: 'handling the application',
    fields: ['applicant.name', 'applicant.address'],
    channel: 'case-view',
    result: 'granted',
    ...overrides,
  };
  const actor: Actor = data.accessor.kind === 'system' ? { kind: 'system', id: data.accessor.id } : { kind: data.accessor.kind, id: data.accessor.id, department: data.accessor.department ?? undefined };
  return { streamId: accessStream(subjectId), events: [{ type: DATA_ACCESSED, data: data as unknown as Record<string, unknown> }], actor, at, commandId };
}

export interface CaseSpec {
  name: ScenarioName;
  caseId: string;
  startOn?: string;
  applicantId?: string;
  stopAfter?: number;
}

export function logOf(cases: CaseSpec[], extra: Append[] = []): RecordedEvent[] {
  return toLog([...cases.flatMap((c) => playCase(c.name, c.caseId, c)), ...extra]);
}

export class MemoryViews {
  private readonly collections = new Map<string, Map<string, string>>();

  read(collection: string, id: string): ViewDoc | undefined {
    const text = this.collections.get(collection)?.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as ViewDoc);
  }

  write(collection: string, id: string, doc: ViewDoc | null): void {
    let docs = this.collections.get(collection);
    if (!docs) this.collections.set(collection, (docs = new Map()));
    if (doc === null) docs.delete(id);
    else docs.set(id, JSON.stringify(doc));
  }

  /** Every document of a collection by id, sorted, for deep comparison. */
  all(collection: string): Record<string, ViewDoc> {
    const docs = this.collections.get(collection) ?? new Map<string, string>();
    return Object.fromEntries([...docs.keys()].sort().map((id) => [id, JSON.parse(docs.get(id)!) as ViewDoc]));
  }

  snapshot(): Record<string, Record<string, ViewDoc>> {
    return Object.fromEntries([...this.collections.keys()].sort().map((c) => [c, this.all(c)]));
  }
}

/** One batch the way the runner applies it. */
export function applyBatch(projector: Projector, store: MemoryViews, events: RecordedEvent[]): void {
  const named = new Set<string>();
  const loaded = new Map<string, ViewDoc | undefined>();
  const key = (collection: string, id: string) => `${collection}\u0000${id}`;
  for (const event of events) {
    for (const { collection, id } of projector.keys(event) as DocKey[]) {
      named.add(key(collection, id));
      loaded.set(key(collection, id), store.read(collection, id));
    }
  }
  const changes = new Map<string, { collection: string; id: string; doc: ViewDoc | null }>();
  const owned = (collection: string) => {
    if (!projector.collections.includes(collection)) throw new Error(`${projector.name} wrote to foreign collection ${collection}`);
  };
  const context: ProjectionContext = {
    get(collection, id) {
      const change = changes.get(key(collection, id));
      if (change) return change.doc === null ? undefined : (JSON.parse(JSON.stringify(change.doc)) as ViewDoc);
      if (!named.has(key(collection, id))) throw new Error(`${projector.name} read ${collection}/${id}, which keys() did not name`);
      return loaded.get(key(collection, id));
    },
    put(collection, id, doc) {
      owned(collection);
      changes.set(key(collection, id), { collection, id, doc: JSON.parse(JSON.stringify(doc)) as ViewDoc });
    },
    delete(collection, id) {
      owned(collection);
      changes.set(key(collection, id), { collection, id, doc: null });
    },
  };
  for (const event of events) projector.apply(event, context);
  for (const { collection, id, doc } of changes.values()) store.write(collection, id, doc);
}

/** Applies events in batches of the given sizes (the rest in one last batch). */
export function applyInChunks(projector: Projector, store: MemoryViews, events: RecordedEvent[], sizes: number[]): void {
  let at = 0;
  for (const size of sizes) {
    if (at >= events.length) return;
    applyBatch(projector, store, events.slice(at, at + Math.max(1, size)));
    at += Math.max(1, size);
  }
  if (at < events.length) applyBatch(projector, store, events.slice(at));
}

/** The views a projector builds from a log in one batch. */
export function project(projector: Projector, events: RecordedEvent[]): MemoryViews {
  const store = new MemoryViews();
  applyBatch(projector, store, events);
  return store;
}
