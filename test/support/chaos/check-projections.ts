import pg from 'pg';
import { testPool } from '../postgres.ts';
import { createPostgresReadStore } from '../../../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../../../domain/ports/read-store.ts';
import type { Engine } from '../../../runtime/engine.ts';
import { allProjectors } from '../../../runtime/projectors.ts';
import { canonicalJson } from '../../../domain/json/canonical-json.ts';
import { checkpointKey, createProjectionRunner, physicalCollection, readProjectionMeta, type Projector } from '../../../projections/index.ts';
import type { ThrowawayCluster } from '../pg-cluster.ts';
import type { Problems } from './check-cases.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the projection's active version has applied every event in the log. */
async function caughtUp(checker: Engine, readStore: ReadStore, name: string): Promise<boolean> {
  const meta = await readProjectionMeta(readStore, name);
  if (!meta || meta.rebuilding) return false;
  const checkpoint = await readStore.getCheckpoint(checkpointKey(name, meta.activeVersion));
  if (!checkpoint) return false;
  return (await checker.stores.eventStore.readAll(checkpoint, 1)).length === 0;
}

async function untilCaughtUp(checker: Engine, readStore: ReadStore, projectors: Projector[], boundMs: number): Promise<string[]> {
  const deadline = Date.now() + boundMs;
  let behind: string[] = projectors.map((p) => p.name);
  while (Date.now() < deadline) {
    const next: string[] = [];
    for (const name of behind) if (!(await caughtUp(checker, readStore, name).catch(() => false))) next.push(name);
    behind = next;
    if (behind.length === 0) return [];
    await sleep(500);
  }
  return behind;
}

async function documents(pool: pg.Pool, collection: string): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; doc: unknown }>('SELECT id, doc FROM read_docs WHERE collection = $1', [collection]);
  return new Map(rows.map((row) => [row.id, canonicalJson(row.doc)]));
}

/** The first field whose value differs, to say in a line how two documents differ. */
function firstDifference(live: string, fresh: string): string {
  const a = JSON.parse(live) as Record<string, unknown>;
  const b = JSON.parse(fresh) as Record<string, unknown>;
  const field = [...new Set([...Object.keys(a), ...Object.keys(b)])].find((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null));
  return field === undefined ? 'same fields' : `${field}: live ${canonicalJson(a[field] ?? null).slice(0, 160)} / rebuilt ${canonicalJson(b[field] ?? null).slice(0, 160)}`;
}

/**
 * Every projection the workers serve equals what the projection runner builds from the same log into a fresh read
 * store: the live read models lost nothing and applied nothing twice through the crashes and restarts.
 */
export async function checkProjections(checker: Engine, cluster: ThrowawayCluster, boundMs: number): Promise<{ problems: Problems; documents: number }> {
  const projectors = allProjectors({ services: checker.catalogue.catalogue, calendar: checker.calendar });
  const behind = await untilCaughtUp(checker, checker.stores.readStore, projectors, boundMs);
  if (behind.length > 0) return { problems: [`live projections not caught up with the log ${boundMs / 1000} s after settling: ${behind.join(', ')}`], documents: 0 };

  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS rebuild_check WITH (FORCE)');
  await admin.query('CREATE DATABASE rebuild_check');
  await admin.end();
  const freshStore = createPostgresReadStore({ connectionString: cluster.url('rebuild_check') });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const runner = createProjectionRunner({ eventStore: checker.stores.eventStore, readStore: freshStore, projectors, logger: quiet, idleMs: 100 });
  const livePool = testPool(cluster.url('errand'), { max: 2 });
  const freshPool = testPool(cluster.url('rebuild_check'), { max: 2 });
  const problems: Problems = [];
  let compared = 0;
  try {
    await runner.start();
    const unfinished = await untilCaughtUp(checker, freshStore, projectors, boundMs);
    if (unfinished.length > 0) return { problems: [`the fresh rebuild did not finish within ${boundMs / 1000} s: ${unfinished.join(', ')}`], documents: 0 };
    for (const projector of projectors) {
      const liveMeta = (await readProjectionMeta(checker.stores.readStore, projector.name))!;
      const freshMeta = (await readProjectionMeta(freshStore, projector.name))!;
      for (const collection of projector.collections) {
        const live = await documents(livePool, physicalCollection(collection, liveMeta.activeVersion));
        const fresh = await documents(freshPool, physicalCollection(collection, freshMeta.activeVersion));
        compared += fresh.size;
        const missing = [...fresh.keys()].filter((id) => !live.has(id));
        const extra = [...live.keys()].filter((id) => !fresh.has(id));
        const differing = [...fresh.keys()].filter((id) => live.has(id) && live.get(id) !== fresh.get(id));
        if (missing.length + extra.length + differing.length === 0) continue;
        const example = differing[0] ? `; e.g. ${differing[0]}: ${firstDifference(live.get(differing[0])!, fresh.get(differing[0])!)}` : '';
        problems.push(
          `${projector.name}/${collection}: ${missing.length} documents missing, ${extra.length} extra, ${differing.length} differing of ${fresh.size} rebuilt` +
            `${missing[0] ? ` (missing e.g. ${missing[0]})` : ''}${extra[0] ? ` (extra e.g. ${extra[0]})` : ''}${example}`,
        );
      }
    }
  } finally {
    await runner.stop();
    await freshStore.close();
    await livePool.end();
    await freshPool.end();
  }
  return { problems, documents: compared };
}
