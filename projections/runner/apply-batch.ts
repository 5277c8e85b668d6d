import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import { formatCheckpoint, type RecordedEvent } from '../../domain/events/index.ts';
import { physicalCollection, type Projector, type ViewDoc } from '../projector.ts';
import { BatchContext, type Changes } from './batch-context.ts';
import { fencedTransaction, type Fence } from './fence.ts';

/** A projector failed on an event; names the event by type and position only, never by its data. */
export class ProjectionError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`projection "${projection}" failed on ${event.type} at ${formatCheckpoint(event.checkpoint)}: ${reason}`, { cause });
    this.name = 'ProjectionError';
  }
}

export interface BatchOutcome {
  puts: number;
  deletes: number;
}

/** Documents of one logical collection by id, as the batch should see them. */
export type LoadDocs = (collection: string, ids: string[]) => Promise<Map<string, ViewDoc>>;

/**
 * Preloads every document the batch's events name (one load per collection), then applies the events in order in
 * memory. Nothing is written: the caller decides how the changes reach the store.
 */
export async function projectBatch(load: LoadDocs, projector: Projector, events: RecordedEvent[]): Promise<Changes> {
  const named = new Map<string, Set<string>>();
  for (const event of events) {
    let keys;
    try {
      keys = projector.keys(event);
    } catch (error) {
      throw new ProjectionError(projector.name, event, error);
    }
    for (const { collection, id } of keys) {
      let ids = named.get(collection);
      if (!ids) named.set(collection, (ids = new Set()));
      ids.add(id);
    }
  }
  const loaded = new Map<string, Map<string, ViewDoc>>();
  await Promise.all(
    [...named].map(async ([collection, ids]) => {
      loaded.set(collection, await load(collection, [...ids]));
    }),
  );

  const context = new BatchContext(projector, named, loaded);
  for (const event of events) {
    context.event = event;
    try {
      projector.apply(event, context);
    } catch (error) {
      throw new ProjectionError(projector.name, event, error);
    }
  }
  return context.changes;
}

/** Writes the changes into a projector version's physical collections: per collection, deletions then puts. */
export async function writeChanges(tx: ReadStoreTransaction, changes: Changes, version: number): Promise<BatchOutcome> {
  let puts = 0;
  let deletes = 0;
  for (const [collection, changed] of changes) {
    const docs: Array<{ id: string; doc: ViewDoc }> = [];
    const removed: string[] = [];
    for (const [id, doc] of changed) {
      if (doc) docs.push({ id, doc });
      else removed.push(id);
    }
    const physical = physicalCollection(collection, version);
    await tx.deleteMany(physical, removed);
    await tx.putMany(physical, docs);
    puts += docs.length;
    deletes += removed.length;
  }
  return { puts, deletes };
}

/**
 * One batch, all or nothing: project it against the stored documents, then write the changed documents and the
 * checkpoint in a single read-store transaction. A throw anywhere leaves both the documents and the checkpoint as
 * they were, so the batch can simply be read again.
 */
export async function applyBatch(
  readStore: ReadStore,
  projector: Projector,
  version: number,
  checkpointKey: string,
  events: RecordedEvent[],
  fence: Fence | null = null,
): Promise<BatchOutcome> {
  const last = events[events.length - 1];
  if (!last) return { puts: 0, deletes: 0 };
  const changes = await projectBatch((collection, ids) => readStore.getMany(physicalCollection(collection, version), ids), projector, events);
  return fencedTransaction(readStore, fence, async (tx) => {
    const outcome = await writeChanges(tx, changes, version);
    await tx.setCheckpoint(checkpointKey, last.checkpoint);
    return outcome;
  });
}
