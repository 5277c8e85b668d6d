import type { RecordedEvent } from '../domain/events/index.ts';

export type ViewDoc = Record<string, unknown>;

export interface DocKey {
  collection: string;
  id: string;
}

/** What a projector sees while applying one event: documents preloaded for the batch, changes kept in memory. */
export interface ProjectionContext {
  get(collection: string, id: string): ViewDoc | undefined;
  put(collection: string, id: string, doc: ViewDoc): void;
  delete(collection: string, id: string): void;
}

/**
 * A pure projector: event in, document changes out. The runner preloads the documents named by `keys` for a whole
 * batch, applies events in delivery order, and writes the changed documents with the checkpoint in one transaction.
 * Projectors must be idempotent: applying an event twice leaves the same documents.
 */
export interface Projector {
  /** Stable name, also the checkpoint key. */
  name: string;
  /** Bump to rebuild into fresh collections. */
  version: number;
  /** Logical collection names this projector writes. */
  collections: string[];
  /**
   * Set when each document follows the events of one stream whose id starts with `prefix`, and events of any other
   * stream change nothing. The order between streams then cannot matter, so a rebuild may replay the log one stream
   * after another and write each document once per stream instead of once per batch that touches it.
   */
  streamScoped?: { prefix: string };
  keys(event: RecordedEvent): DocKey[];
  apply(event: RecordedEvent, context: ProjectionContext): void;
}

/** Physical collection name for a projector version, so a rebuild fills new tables while the old ones serve. */
export function physicalCollection(collection: string, version: number): string {
  return `${collection}_v${version}`;
}
