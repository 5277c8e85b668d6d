import type { Checkpoint } from '../../domain/events/index.ts';

export type Doc = Record<string, unknown>;
export type Scalar = string | number | boolean | null;

/** Equality by default; operators for ranges and sets. Field paths may be dotted ("due.statutory"). */
export type FieldFilter = Scalar | { in: Scalar[] } | { lt?: Scalar; lte?: Scalar; gt?: Scalar; gte?: Scalar } | { contains: Scalar };

export interface FindQuery {
  where?: Record<string, FieldFilter>;
  orderBy?: Array<{ field: string; direction: 'asc' | 'desc' }>;
  limit?: number;
  offset?: number;
}

export interface FindResult {
  items: Doc[];
  total: number;
}

/** A unit of work: document writes plus the projection checkpoint, committed together or not at all. */
export interface ReadStoreTransaction {
  put(collection: string, id: string, doc: Doc): Promise<void>;
  putMany(collection: string, docs: Array<{ id: string; doc: Doc }>): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  setCheckpoint(projection: string, checkpoint: Checkpoint): Promise<void>;
}

export interface ReadStore {
  readonly kind: 'postgres' | 'pglite' | 'mongodb';
  get(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: string[]): Promise<Map<string, Doc>>;
  find(collection: string, query: FindQuery): Promise<FindResult>;
  transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T>;
  getCheckpoint(projection: string): Promise<Checkpoint | null>;
  /** Drops every document of a collection (used when a rebuilt version replaces an old one). */
  dropCollection(collection: string): Promise<void>;
  /** Small key/value for projection bookkeeping (active version, status). */
  getMeta(key: string): Promise<Doc | null>;
  setMeta(key: string, value: Doc): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
