import type { Checkpoint } from '../events/index.ts';

/**
 * The configured read store did not answer at start: one line naming the address (never its credentials) and the
 * reason. Declared here so the entry point can recognise it without loading the adapter.
 */
export class MongoUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MongoUnreachableError';
  }
}

export type Doc = Record<string, unknown>;
export type Scalar = string | number | boolean | null;

/**
 * Equality by default; operators for ranges and sets. Field paths may be dotted ("due.statutory"); a numeric segment
 * indexes an array ("steps.0.name"). Every adapter gives these the same meaning:
 * - a scalar matches an equal value of the same JSON type; `null` also matches a missing field;
 * - `in` matches any listed value (with `null` again matching a missing field);
 * - ranges compare only values of the bound's type: numbers numerically, strings by code point, booleans false < true;
 * - `contains` matches an array holding the value as an element, or a string holding it as a substring (case-sensitive).
 * Filters are meant for scalar fields: equality against a field that holds an array is not portable, use `contains`.
 */
export type FieldFilter = Scalar | { in: Scalar[] } | { lt?: Scalar; lte?: Scalar; gt?: Scalar; gte?: Scalar } | { contains: Scalar };

export interface FindQuery {
  where?: Record<string, FieldFilter>;
  /** Numbers sort numerically, strings by code point, missing and null values last in either direction; ties by id. */
  orderBy?: Array<{ field: string; direction: 'asc' | 'desc' }>;
  limit?: number;
  offset?: number;
}

export interface FindResult {
  items: Doc[];
  /** Matching documents regardless of limit and offset. */
  total: number;
}

/** A unit of work: document writes plus the projection checkpoint, committed together or not at all. */
export interface ReadStoreTransaction {
  put(collection: string, id: string, doc: Doc): Promise<void>;
  /** One round trip however many documents; a repeated id keeps its last document. */
  putMany(collection: string, docs: Array<{ id: string; doc: Doc }>): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  /** Removes several documents of one collection in one go; missing ids are ignored. */
  deleteMany(collection: string, ids: string[]): Promise<void>;
  setCheckpoint(projection: string, checkpoint: Checkpoint): Promise<void>;
  /** Lets a projection switch its active version in the same commit as its checkpoint. */
  setMeta(key: string, value: Doc): Promise<void>;
  /**
   * Makes the whole transaction conditional on `token` being at least the fencing token stored for `projection`
   * (see ReadStore.raiseFence): if a newer one is stored, this call or the commit throws FencedWriteError and nothing
   * of the transaction lands. Call it first. No token stored yet means no fence. Transactions holding the same token
   * do not block each other.
   */
  fence(projection: string, token: number): Promise<void>;
}

export interface ReadStore {
  readonly kind: 'postgres' | 'pglite' | 'mongodb' | 'memory';
  get(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: string[]): Promise<Map<string, Doc>>;
  find(collection: string, query: FindQuery): Promise<FindResult>;
  /**
   * Runs `work` once; its writes land only if it resolves. Use only `tx` inside `work`: on PGlite (one connection) a
   * read through the store itself would wait for the very transaction that is waiting for it.
   */
  transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T>;
  getCheckpoint(projection: string): Promise<Checkpoint | null>;
  /** Drops every document of a collection (used when a rebuilt version replaces an old one). */
  dropCollection(collection: string): Promise<void>;
  /** Small key/value for projection bookkeeping (active version, status). */
  getMeta(key: string): Promise<Doc | null>;
  setMeta(key: string, value: Doc): Promise<void>;
  /**
   * Stores `token` as the fencing token of `projection` (a new lease holder does this before it reads a checkpoint).
   * Throws FencedWriteError if a newer token is already stored. Once it returns, no transaction fenced with an older
   * token can commit any more: one still committing has been waited for.
   */
  raiseFence(projection: string, token: number): Promise<void>;
  /** The fencing token stored for `projection`, or null when none was ever raised. */
  getFence(projection: string): Promise<number | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
