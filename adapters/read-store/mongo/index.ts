import mongoose from 'mongoose';
import type { Checkpoint } from '../../../domain/events/index.ts';
import type { Doc, FindQuery, FindResult, ReadStore, ReadStoreTransaction } from '../port.ts';
import { normalizeQuery } from '../query.ts';
import { assertDoc, assertName } from '../validate.ts';
import { assertToken } from '../fence.ts';
import { checkFence, raiseFence, type FenceRow } from './fence.ts';
import { sortStages, toMongoFilter } from './filter.ts';

type Db = mongoose.mongo.Db;
type Session = mongoose.mongo.ClientSession;
interface DocRow {
  _id: string;
  c: string;
  i: string;
  d: Doc;
}
interface CheckpointRow {
  _id: string;
  commit: string;
  prepare: string;
}
interface MetaRow {
  _id: string;
  v: Doc;
}

export type MongoReadStoreOptions = ({ url: string; connection?: never } | { connection: mongoose.Connection; url?: never }) & {
  /** Prefix for the three collections, so suites and tenants can share a database. */
  collectionPrefix?: string;
};

/** JSON semantics, like the SQL adapters: dates become strings, undefined disappears. */
const asJson = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;
const rowId = (collection: string, id: string) => JSON.stringify([collection, id]);

/**
 * A read store on MongoDB through mongoose's connection and the driver it bundles. Transaction writes are buffered and
 * flushed once `work` resolves, inside a multi-document transaction when the server is a replica set or mongos; a
 * standalone server still gets all-or-nothing against throws in `work`, but not against a crash mid-flush.
 */
export function createMongoReadStore(options: MongoReadStoreOptions): ReadStore {
  const prefix = options.collectionPrefix ?? 'read_';
  const owns = options.connection === undefined;
  const connection = options.connection ?? mongoose.createConnection(options.url!);
  let ready: Promise<{ db: Db; transactions: boolean }> | undefined;

  const open = () =>
    (ready ??= (async () => {
      await connection.asPromise();
      const db = connection.db;
      if (!db) throw new Error('mongoose connection has no database');
      await db.collection<DocRow>(`${prefix}docs`).createIndex({ c: 1, i: 1 }, { unique: true });
      const hello = await db.admin().command({ hello: 1 });
      const transactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
      return { db, transactions };
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
  const docs = async () => (await open()).db.collection<DocRow>(`${prefix}docs`);
  const checkpoints = async () => (await open()).db.collection<CheckpointRow>(`${prefix}checkpoints`);
  const meta = async () => (await open()).db.collection<MetaRow>(`${prefix}meta`);
  const fences = async () => (await open()).db.collection<FenceRow>(`${prefix}fences`);

  return {
    kind: 'mongodb',
    async get(collection, id) {
      const row = await (await docs()).findOne({ _id: rowId(collection, id) });
      return row ? row.d : null;
    },
    async getMany(collection, ids) {
      const found = new Map<string, Doc>();
      if (ids.length === 0) return found;
      const rows = await (await docs()).find({ _id: { $in: [...new Set(ids)].map((id) => rowId(collection, id)) } }).toArray();
      for (const row of rows) found.set(row.i, row.d);
      return found;
    },
    async find(collection: string, query: FindQuery): Promise<FindResult> {
      const q = normalizeQuery(query);
      const filter = toMongoFilter(collection, q.conditions);
      const coll = await docs();
      const total = await coll.countDocuments(filter);
      if (q.limit === 0 || q.offset >= total) return { items: [], total };
      const pipeline = [{ $match: filter }, ...sortStages(q.orderBy), { $skip: q.offset }];
      if (q.limit !== undefined) pipeline.push({ $limit: q.limit });
      pipeline.push({ $project: { _id: 0, d: 1 } });
      const rows = await coll.aggregate<{ d: Doc }>(pipeline, { allowDiskUse: true }).toArray();
      return { items: rows.map((row) => row.d), total };
    },
    async transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T> {
      const { transactions } = await open();
      const docOps: mongoose.mongo.AnyBulkWriteOperation<DocRow>[] = [];
      const cpOps = new Map<string, CheckpointRow>();
      const metaOps = new Map<string, MetaRow>();
      const fenced = new Map<string, number>();
      const tx: ReadStoreTransaction = {
        async put(collection, id, doc) {
          await tx.putMany(collection, [{ id, doc }]);
        },
        async putMany(collection, list) {
          assertName(collection, 'collection');
          for (const { id, doc } of list) {
            assertName(id, 'id');
            assertDoc(doc, `put ${collection}/${id}`);
            const _id = rowId(collection, id);
            docOps.push({ replaceOne: { filter: { _id }, replacement: { c: collection, i: id, d: asJson(doc) }, upsert: true } });
          }
        },
        async deleteMany(collection, ids) {
          if (ids.length) docOps.push({ deleteMany: { filter: { _id: { $in: ids.map((id) => rowId(collection, id)) } } } });
        },
        async delete(collection, id) {
          docOps.push({ deleteOne: { filter: { _id: rowId(collection, id) } } });
        },
        async setCheckpoint(projection: string, cp: Checkpoint) {
          assertName(projection, 'projection');
          cpOps.set(projection, { _id: projection, commit: cp.commit.toString(), prepare: cp.prepare.toString() });
        },
        async setMeta(key, value) {
          assertName(key, 'meta key');
          assertDoc(value, `meta ${key}`);
          metaOps.set(key, { _id: key, v: asJson(value) });
        },
        async fence(projection, token) {
          assertName(projection, 'projection');
          assertToken(token);
          fenced.set(projection, token);
        },
      };
      const result = await work(tx);
      // The flush only replays buffered upserts and deletes, so withTransaction may safely retry it.
      const flush = async (session?: Session) => {
        for (const [projection, token] of fenced) await checkFence(await fences(), projection, token, session);
        // Ordered, so a put followed by a delete of the same id ends deleted, as it would in SQL.
        if (docOps.length > 0) await (await docs()).bulkWrite(docOps, { session, ordered: true });
        for (const row of cpOps.values()) await (await checkpoints()).replaceOne({ _id: row._id }, row, { session, upsert: true });
        for (const row of metaOps.values()) await (await meta()).replaceOne({ _id: row._id }, row, { session, upsert: true });
      };
      if (!transactions) {
        await flush();
        return result;
      }
      const session = await connection.startSession();
      try {
        await session.withTransaction(() => flush(session));
      } finally {
        await session.endSession();
      }
      return result;
    },
    async getCheckpoint(projection) {
      const row = await (await checkpoints()).findOne({ _id: projection });
      return row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : null;
    },
    async dropCollection(collection) {
      await (await docs()).deleteMany({ c: collection });
    },
    async getMeta(key) {
      const row = await (await meta()).findOne({ _id: key });
      return row ? row.v : null;
    },
    async setMeta(key, value) {
      await this.transaction((tx) => tx.setMeta(key, value));
    },
    async raiseFence(projection, token) {
      assertName(projection, 'projection');
      assertToken(token);
      await raiseFence(await fences(), projection, token);
    },
    async getFence(projection) {
      return (await (await fences()).findOne({ _id: projection }))?.token ?? null;
    },
    async ping() {
      await (await open()).db.command({ ping: 1 });
    },
    async close() {
      if (owns) await connection.close();
    },
  };
}
