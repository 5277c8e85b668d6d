import type { RecordedEvent } from '../../domain/events/index.ts';
import type { ProjectionContext, Projector, ViewDoc } from '../projector.ts';

/** null marks a deletion. */
export type Changes = Map<string, Map<string, ViewDoc | null>>;

/**
 * The in-memory view of one batch: the documents preloaded for it plus the changes made so far. Reading a document
 * that keys() did not name is refused, since a silent `undefined` would let the projector overwrite a stored one.
 */
export class BatchContext implements ProjectionContext {
  readonly changes: Changes = new Map();
  event: RecordedEvent | undefined;

  constructor(
    private readonly projector: Projector,
    private readonly named: Map<string, Set<string>>,
    private readonly loaded: Map<string, Map<string, ViewDoc>>,
  ) {}

  get(collection: string, id: string): ViewDoc | undefined {
    const changed = this.changes.get(collection);
    if (changed?.has(id)) return changed.get(id) ?? undefined;
    if (!this.named.get(collection)?.has(id)) {
      throw new Error(`projector "${this.projector.name}" read ${collection}/${id}, which keys() did not name for ${this.describe()}`);
    }
    return this.loaded.get(collection)?.get(id);
  }

  put(collection: string, id: string, doc: ViewDoc): void {
    this.own(collection);
    if (typeof id !== 'string' || id === '') throw new Error(`projector "${this.projector.name}" put a document without an id`);
    this.changesOf(collection).set(id, doc);
  }

  delete(collection: string, id: string): void {
    this.own(collection);
    this.changesOf(collection).set(id, null);
  }

  private changesOf(collection: string): Map<string, ViewDoc | null> {
    let changed = this.changes.get(collection);
    if (!changed) this.changes.set(collection, (changed = new Map()));
    return changed;
  }

  private own(collection: string): void {
    if (!this.projector.collections.includes(collection)) {
      throw new Error(`projector "${this.projector.name}" wrote to "${collection}", which is not one of its collections`);
    }
  }

  private describe(): string {
    return this.event ? `${this.event.type} at ${this.event.checkpoint.commit}/${this.event.checkpoint.prepare}` : 'this batch';
  }
}
