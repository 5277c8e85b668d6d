import { assertToken } from '../fence.ts';
import type { Checkpoint } from '../../../domain/events/index.ts';
import type { Doc, FindQuery, FindResult, ReadStore, ReadStoreTransaction } from '../../../domain/ports/read-store.ts';
import { normalizeQuery } from '../query.ts';
import { assertDoc, assertName } from '../validate.ts';
import type { SqlDriver, SqlSession } from './driver.ts';
import { migrate } from './migrate.ts';
import { deleteCollection } from './statements/delete-collection.ts';
import { deleteDoc } from './statements/delete-doc.ts';
import { deleteDocs } from './statements/delete-docs.ts';
import { checkFence, raiseFence, selectFence } from './statements/fence.ts';
import { findDocs } from './statements/find-docs.ts';
import { selectCheckpoint } from './statements/select-checkpoint.ts';
import { selectDoc } from './statements/select-doc.ts';
import { selectDocs } from './statements/select-docs.ts';
import { selectMeta } from './statements/select-meta.ts';
import { upsertCheckpoint } from './statements/upsert-checkpoint.ts';
import { upsertDocs } from './statements/upsert-docs.ts';
import { upsertMeta } from './statements/upsert-meta.ts';
import { tablesFor } from './tables.ts';

export interface SqlReadStoreOptions {
  /** Put the tables in this schema instead of the search path (created when missing). */
  schema?: string;
  /** Close the driver's connection on close(); false when the caller owns it. */
  ownsConnection: boolean;
}

/** The one ReadStore over SQL; PostgreSQL and PGlite differ only in the driver handed in. */
export function createSqlReadStore(driver: SqlDriver, options: SqlReadStoreOptions): ReadStore {
  const t = tablesFor(options.schema);
  let ready: Promise<unknown> | undefined;
  let closed = false;
  // Migrations run on first use so that constructing a store stays synchronous and cheap.
  const session = async (): Promise<SqlDriver> => {
    if (closed) throw new Error('read store is closed');
    ready ??= migrate(driver, t).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return driver;
  };

  const txFor = (s: SqlSession): ReadStoreTransaction => ({
    async put(collection, id, doc) {
      assertName(collection, 'collection');
      assertName(id, 'id');
      assertDoc(doc, `put ${collection}/${id}`);
      await upsertDocs(s, t, collection, [{ id, doc }]);
    },
    async putMany(collection, docs) {
      assertName(collection, 'collection');
      for (const { id, doc } of docs) {
        assertName(id, 'id');
        assertDoc(doc, `putMany ${collection}/${id}`);
      }
      await upsertDocs(s, t, collection, docs);
    },
    async delete(collection, id) {
      await deleteDoc(s, t, collection, id);
    },
    async deleteMany(collection, ids) {
      assertName(collection, 'collection');
      await deleteDocs(s, t, collection, ids);
    },
    async setCheckpoint(projection: string, checkpoint: Checkpoint) {
      assertName(projection, 'projection');
      await upsertCheckpoint(s, t, projection, checkpoint);
    },
    async setMeta(key, value) {
      assertName(key, 'meta key');
      assertDoc(value, `meta ${key}`);
      await upsertMeta(s, t, key, value);
    },
    async fence(projection, token) {
      assertName(projection, 'projection');
      assertToken(token);
      await checkFence(s, t, projection, token);
    },
  });

  return {
    kind: driver.kind,
    async get(collection, id) {
      return selectDoc(await session(), t, collection, id);
    },
    async getMany(collection, ids) {
      return selectDocs(await session(), t, collection, ids);
    },
    async find(collection: string, query: FindQuery): Promise<FindResult> {
      const normalized = normalizeQuery(query);
      return findDocs(await session(), t, collection, normalized);
    },
    async transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T> {
      return (await session()).transaction((s) => work(txFor(s)));
    },
    async getCheckpoint(projection) {
      return selectCheckpoint(await session(), t, projection);
    },
    async dropCollection(collection) {
      await deleteCollection(await session(), t, collection);
    },
    async getMeta(key): Promise<Doc | null> {
      return selectMeta(await session(), t, key);
    },
    async setMeta(key, value) {
      assertName(key, 'meta key');
      assertDoc(value, `meta ${key}`);
      await upsertMeta(await session(), t, key, value);
    },
    async raiseFence(projection, token) {
      assertName(projection, 'projection');
      assertToken(token);
      await (await session()).transaction((s) => raiseFence(s, t, projection, token));
    },
    async getFence(projection) {
      return selectFence(await session(), t, projection);
    },
    async ping() {
      await (await session()).query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      if (options.ownsConnection) await driver.close();
    },
  };
}
