import mongoose from 'mongoose';
import type { Checkpoint } from '../../../domain/events/index.ts';
import type { Doc, FindQuery, FindResult, ReadStore, ReadStoreTransaction } from '../../../domain/ports/read-store.ts';
import { normalizeQuery } from '../query.ts';
import { assertDoc, assertName } from '../validate.ts';
import { assertToken } from '../fence.ts';
import { checkFence, raiseFence, type FenceRow } from './fence.ts';
import { isFerretDB, lacksConditionalExpressions, supportsTransactions } from './capabilities.ts';
import { sortStages, toMongoFilter } from './filter.ts';
import { sortAndPage } from './in-process-order.ts';
import { readModels, syncReadModels, type CheckpointRow, type DocRow, type MetaRow, type ReadModels } from './models.ts';

type Session = mongoose.mongo.ClientSession;

export type MongoReadStoreOptions = ({ url: string; connection?: never } | { connection: mongoose.Connection; url?: never }) & {
  /** Prefix for the three collections, so suites and tenants can share a database. */
  collectionPrefix?: string;
};

/** JSON semantics, like the SQL adapters: dates become strings, undefined disappears. */
const asJson = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;
const rowId = (collection: string, id: string) => JSON.stringify([collection, id]);
const LOOKUPS_AT_ONCE = 16;

/**
 * A read store on MongoDB or FerretDB through mongoose: one model per stored shape (documents, checkpoints, meta)
 * with its indexes declared in its schema. Transaction writes are buffered and flushed once `work` resolves, inside a
 * multi-document transaction when the server is a replica set or mongos. A standalone server (FerretDB has no
 * transactions) still gets all-or-nothing against throws in `work`, but not against a crash mid-flush: the flush
 * writes the documents first and the checkpoint last, so a crash can leave documents ahead of their checkpoint, never
 * a checkpoint ahead of its documents.
 */
export function createMongoReadStore(options: MongoReadStoreOptions): ReadStore {
  const prefix = options.collectionPrefix ?? 'read_';
  const owns = options.connection === undefined;
  const connection = options.connection ?? mongoose.createConnection(options.url!);
  const models: ReadModels = readModels(connection, prefix);
  let ready: Promise<{ transactions: boolean; equalityOnly: boolean }> | undefined;
  let conditionalExpressions = true;

  const open = () =>
    (ready ??= (async () => {
      await connection.asPromise();
      await syncReadModels(models);
      return { transactions: await supportsTransactions(connection), equalityOnly: await isFerretDB(connection) };
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
  const opened = async () => {
    await open();
    return models;
  };
  // Fencing tokens are updated with conditional single-document writes on the driver's collection.
  const fences = async () => {
    await open();
    return connection.db!.collection<FenceRow>(`${prefix}fences`);
  };

  return {
    kind: 'mongodb',
    async get(collection, id) {
      const row = await (await opened()).docs.findById(rowId(collection, id)).lean<DocRow>();
      return row ? row.d : null;
    },
    async getMany(collection, ids) {
      const found = new Map<string, Doc>();
      if (ids.length === 0) return found;
      const { equalityOnly } = await open();
      const keys = [...new Set(ids)].map((id) => rowId(collection, id));
      if (equalityOnly) {
        // One indexed lookup per id, a few at a time, rather than `$in`, which FerretDB answers by scanning everything.
        for (let i = 0; i < keys.length; i += LOOKUPS_AT_ONCE) {
          const rows = await Promise.all(keys.slice(i, i + LOOKUPS_AT_ONCE).map((key) => models.docs.findById(key).lean<DocRow>()));
          for (const row of rows) if (row) found.set(row.i, row.d);
        }
        return found;
      }
      const rows = await models.docs.find({ _id: { $in: keys } }).lean<DocRow[]>();
      for (const row of rows) found.set(row.i, row.d);
      return found;
    },
    async find(collection: string, query: FindQuery): Promise<FindResult> {
      const q = normalizeQuery(query);
      const { docs } = await opened();
      const filter = toMongoFilter(collection, q.conditions);
      const total = await docs.countDocuments(filter);
      if (q.limit === 0 || q.offset >= total) return { items: [], total };
      const inProcess = async () => {
        // No $cond (FerretDB): the server cannot put missing values last, so the matches are ordered here.
        const rows = await docs.find(filter, { _id: 0, i: 1, d: 1 }).lean<Array<Pick<DocRow, 'i' | 'd'>>>();
        return { items: sortAndPage(rows, q), total };
      };
      if (q.orderBy.length > 0 && !conditionalExpressions) return inProcess();
      const pipeline: mongoose.PipelineStage[] = [{ $match: filter }, ...(sortStages(q.orderBy) as unknown as mongoose.PipelineStage[]), { $skip: q.offset }];
      if (q.limit !== undefined) pipeline.push({ $limit: q.limit });
      pipeline.push({ $project: { _id: 0, d: 1 } });
      try {
        const rows = await docs.aggregate<{ d: Doc }>(pipeline).allowDiskUse(true);
        return { items: rows.map((row) => row.d), total };
      } catch (error) {
        if (!lacksConditionalExpressions(error)) throw error;
        conditionalExpressions = false;
        return inProcess();
      }
    },
    async transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T> {
      const { transactions } = await open();
      const docOps: mongoose.AnyBulkWriteOperation<DocRow>[] = [];
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
            // The replacement names its _id too: the schema requires one, and it equals the filter's.
            const replacement = { _id, c: collection, i: id, d: asJson(doc) } as DocRow;
            docOps.push({ replaceOne: { filter: { _id }, replacement, upsert: true } });
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
          cpOps.set(projection, { _id: projection, commit: cp.commit.toString(), prepare: cp.prepare.toString(), ...(cp.link === undefined ? {} : { link: cp.link }) });
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
        if (docOps.length > 0) await models.docs.bulkWrite(docOps, { session, ordered: true });
        for (const row of metaOps.values()) await models.meta.replaceOne({ _id: row._id }, row, { session, upsert: true });
        for (const row of cpOps.values()) await models.checkpoints.replaceOne({ _id: row._id }, row, { session, upsert: true });
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
      const row = await (await opened()).checkpoints.findById(projection).lean<CheckpointRow>();
      if (!row) return null;
      return typeof row.link === 'string' ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare), link: row.link } : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
    },
    async dropCollection(collection) {
      await (await opened()).docs.deleteMany({ c: collection });
    },
    async getMeta(key) {
      const row = await (await opened()).meta.findById(key).lean<MetaRow>();
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
      await open();
      await connection.db!.command({ ping: 1 });
    },
    async close() {
      if (owns) await connection.close();
    },
  };
}
export { assertMongoReachable, MongoUnreachableError } from './reachable.ts';
