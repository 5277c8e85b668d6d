import type { Checkpoint } from '../../../domain/events/index.ts';
import type { Doc, FindResult, ReadStore, ReadStoreTransaction } from '../../../domain/ports/read-store.ts';
import { FencedWriteError, assertToken } from '../fence.ts';
import { normalizeQuery } from '../query.ts';
import { assertDoc, assertName } from '../validate.ts';
import { comparator, matches } from './matching.ts';

/** Stored as JSON text semantics: what comes back is a fresh copy, as from a real database. */
const copy = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;

/**
 * A read store in process memory, for specs of code that reads views and for single-process tools. It passes the same
 * contract suite as the database adapters, so what works here works there.
 */
export function createMemoryReadStore(): ReadStore {
  const collections = new Map<string, Map<string, Doc>>();
  const checkpoints = new Map<string, Checkpoint>();
  const meta = new Map<string, Doc>();
  const fences = new Map<string, number>();
  let closed = false;

  const open = () => {
    if (closed) throw new Error('read store is closed');
  };
  const collection = (name: string) => {
    let docs = collections.get(name);
    if (!docs) collections.set(name, (docs = new Map()));
    return docs;
  };

  return {
    kind: 'memory',
    async get(name, id) {
      open();
      const doc = collections.get(name)?.get(id);
      return doc ? copy(doc) : null;
    },
    async getMany(name, ids) {
      open();
      const found = new Map<string, Doc>();
      const docs = collections.get(name);
      for (const id of ids) {
        const doc = docs?.get(id);
        if (doc) found.set(id, copy(doc));
      }
      return found;
    },
    async find(name, query): Promise<FindResult> {
      open();
      const q = normalizeQuery(query);
      const hits = [...(collections.get(name) ?? new Map<string, Doc>())]
        .map(([id, doc]) => ({ id, doc }))
        .filter(({ doc }) => q.conditions.every((c) => matches(doc, c)))
        .sort(comparator(q.orderBy));
      const page = hits.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit);
      return { items: page.map(({ doc }) => copy(doc)), total: hits.length };
    },
    async transaction<T>(work: (tx: ReadStoreTransaction) => Promise<T>): Promise<T> {
      open();
      // Writes wait in a list and land only once work has resolved: a throw leaves nothing behind.
      const pending: Array<() => void> = [];
      const fenced = new Map<string, number>();
      const checkFences = () => {
        for (const [projection, token] of fenced) {
          const current = fences.get(projection);
          if (current !== undefined && current > token) throw new FencedWriteError(projection, token, current);
        }
      };
      const tx: ReadStoreTransaction = {
        async put(name, id, doc) {
          assertName(name, 'collection');
          assertName(id, 'id');
          assertDoc(doc, `put ${name}/${id}`);
          const stored = copy(doc);
          pending.push(() => collection(name).set(id, stored));
        },
        async putMany(name, docs) {
          for (const { id, doc } of docs) await tx.put(name, id, doc);
        },
        async deleteMany(name, ids) {
          pending.push(() => ids.forEach((id) => collections.get(name)?.delete(id)));
        },
        async delete(name, id) {
          pending.push(() => collections.get(name)?.delete(id));
        },
        async setCheckpoint(projection, checkpoint) {
          assertName(projection, 'projection');
          const value = checkpoint.link === undefined ? { commit: checkpoint.commit, prepare: checkpoint.prepare } : { commit: checkpoint.commit, prepare: checkpoint.prepare, link: checkpoint.link };
          pending.push(() => checkpoints.set(projection, value));
        },
        async setMeta(key, value) {
          assertName(key, 'meta key');
          assertDoc(value, `meta ${key}`);
          const stored = copy(value);
          pending.push(() => meta.set(key, stored));
        },
        async fence(projection, token) {
          assertName(projection, 'projection');
          assertToken(token);
          fenced.set(projection, token);
          checkFences();
        },
      };
      const result = await work(tx);
      // Checked again at commit: a raise may have come while work was awaiting something.
      checkFences();
      for (const apply of pending) apply();
      return result;
    },
    async getCheckpoint(projection) {
      open();
      const checkpoint = checkpoints.get(projection);
      return checkpoint ? { ...checkpoint } : null;
    },
    async dropCollection(name) {
      open();
      collections.delete(name);
    },
    async getMeta(key) {
      open();
      const value = meta.get(key);
      return value ? copy(value) : null;
    },
    async setMeta(key, value) {
      open();
      await this.transaction((tx) => tx.setMeta(key, value));
    },
    async raiseFence(projection, token) {
      open();
      assertName(projection, 'projection');
      assertToken(token);
      const current = fences.get(projection);
      if (current !== undefined && current > token) throw new FencedWriteError(projection, token, current);
      fences.set(projection, token);
    },
    async getFence(projection) {
      open();
      return fences.get(projection) ?? null;
    },
    async ping() {
      open();
    },
    async close() {
      closed = true;
    },
  };
}
