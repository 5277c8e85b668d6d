import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import { physicalCollection, type ViewDoc } from '../projector.ts';
import { writeChanges, type LoadDocs } from './apply-batch.ts';
import type { Changes } from './batch-context.ts';
import { fencedTransaction, type Fence } from './fence.ts';

/** `P` is how far a batch takes the rebuild: a checkpoint, or a place in a by-stream replay. */
export interface WritePipelineDeps<P> {
  readStore: ReadStore;
  version: number;
  /** The lease token every batch's transaction carries (none by default). */
  fence?: Fence | null;
  /** Batches whose transactions may be open at once. */
  depth: number;
  /** Stores the batch's progress in its own transaction, after its documents. */
  record(tx: ReadStoreTransaction, progress: P): Promise<void>;
  /** Called in batch order as each batch's documents and progress commit. */
  onCommitted(progress: P, events: number): void;
}

interface InFlight {
  committed: Promise<void>;
}

/**
 * Write-behind for a rebuild, where the runner is the only writer of the version it fills. A batch's transaction is
 * left to run while the next batch is read and projected, and up to `depth` transactions are open at once, so the
 * database writes one batch while the runner prepares the next, on more than one core.
 *
 * Three rules keep that equal to writing batches one by one:
 * - a document whose write has not committed yet is served from memory (a copy), never read back stale;
 * - a batch writes first the documents no earlier open batch touches, then waits for the previous batch to commit
 *   before it writes the rest and its progress. Two open transactions therefore never write the same row at once
 *   (no lock waits, no deadlock), and commits happen in batch order;
 * - if a batch fails, every later one fails with it (it waited on the failed one), and the caller resets and resumes
 *   from the stored checkpoint.
 */
export class WritePipeline<P> {
  private readonly unwritten = new Map<string, Map<string, { doc: ViewDoc | null; batch: number }>>();
  private readonly inFlight: InFlight[] = [];
  private batches = 0;

  constructor(private readonly deps: WritePipelineDeps<P>) {}

  readonly load: LoadDocs = async (collection, ids) => {
    const unwritten = this.unwritten.get(collection);
    const stored: string[] = [];
    const fromMemory = new Map<string, ViewDoc>();
    // Taken before the read: the batch holding a document may commit (and forget it) while the read is under way.
    for (const id of ids) {
      const entry = unwritten?.get(id);
      if (!entry) stored.push(id);
      // A copy: the projector may build on it while the open transaction still has to serialize the original.
      else if (entry.doc) fromMemory.set(id, structuredClone(entry.doc));
    }
    const found = await this.deps.readStore.getMany(physicalCollection(collection, this.deps.version), stored);
    for (const [id, doc] of fromMemory) found.set(id, doc);
    return found;
  };

  /** Starts writing a batch; waits first while `depth` batches are open, and throws if one of them failed. */
  async submit(changes: Changes, progress: P, events: number): Promise<void> {
    while (this.inFlight.length >= this.deps.depth) await this.inFlight[0]!.committed;
    const batch = ++this.batches;
    // Split by whether an earlier open batch also writes the document: those wait for its commit.
    const free: Changes = new Map();
    const contested: Changes = new Map();
    for (const [collection, docs] of changes) {
      let unwritten = this.unwritten.get(collection);
      if (!unwritten) this.unwritten.set(collection, (unwritten = new Map()));
      for (const [id, doc] of docs) {
        const side = unwritten.has(id) ? contested : free;
        let part = side.get(collection);
        if (!part) side.set(collection, (part = new Map()));
        part.set(id, doc);
        unwritten.set(id, { doc, batch });
      }
    }
    const previous = this.inFlight.at(-1)?.committed;
    const { readStore, version } = this.deps;
    const committed = fencedTransaction(readStore, this.deps.fence ?? null, async (tx) => {
      await writeChanges(tx, free, version);
      await previous;
      await writeChanges(tx, contested, version);
      await this.deps.record(tx, progress);
    }).then(() => {
      for (const [collection, docs] of changes) {
        const unwritten = this.unwritten.get(collection)!;
        for (const id of docs.keys()) if (unwritten.get(id)?.batch === batch) unwritten.delete(id);
      }
      this.inFlight.shift();
      this.deps.onCommitted(progress, events);
    });
    // Observed by the next submit or by drain(); this keeps an early failure from being reported as unhandled.
    committed.catch(() => undefined);
    this.inFlight.push({ committed });
  }

  /** Waits for every open batch to commit; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight[0]!.committed;
  }

  /** After a failure: lets open transactions finish or roll back, and forgets everything not committed. */
  async reset(): Promise<void> {
    await Promise.allSettled(this.inFlight.map((open) => open.committed));
    this.inFlight.length = 0;
    this.unwritten.clear();
  }
}
