import { newMasterKeyFile } from '../../adapters/key-store/index.ts';
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../adapters/config/index.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { allProjectors } from '../../runtime/projectors.ts';
import { compareCheckpoints, type Checkpoint } from '../../domain/events/index.ts';
import { canonicalJson } from '../../domain/json/canonical-json.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { physicalCollection } from '../../projections/index.ts';
import { checkpointKey, createProjectionRunner, readProjectionMeta } from '../../projections/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';

/** Seven leased jobs: six projections and the case-jobs reactor. */
const LEASES = ['audit-trail', 'case-jobs', 'case-view', 'citizen-cases', 'data-use', 'erasure-requests', 'notifications', 'service-stats', 'work-queue'];
const PROJECTIONS = LEASES.filter((name) => name !== 'case-jobs' && name !== 'notifications');
const KILLS = 3;

interface Worker {
  id: number;
  process: ChildProcess;
  alive: boolean;
  /** Its last log lines (all levels), shown when a wait on the workers times out. */
  recent: string[];
}

const RECENT_LINES = 40;

const clerk = { kind: 'clerk', id: 'psb-1', department: 'PSB', roles: ['intake', 'reviewer', 'approver'] } as const;

function caseCommands(n: number) {
  const caseId = `7a1c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const citizen = { kind: 'citizen', id: makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence: (n % 900) + 1 }) } as const;
  return [
    { type: 'DraftApplication', commandId: `${caseId}-1`, caseId, actor: citizen, serviceId: 'residence-permit', form: { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' } },
    { type: 'UploadMaterial', commandId: `${caseId}-2`, caseId, actor: citizen, materialId: 'photo', fileName: 'photo.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'a'.repeat(64) },
    { type: 'SubmitApplication', commandId: `${caseId}-3`, caseId, actor: citizen },
    { type: 'AcceptCase', commandId: `${caseId}-4`, caseId, actor: clerk },
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// PostgreSQL advisory locks, and Redis keys with expiry (what EventStoreDB + MongoDB deployments get) on the same pool.
for (const leaseKind of ['postgres', 'redis'] as const)
describe(`many workers under ${leaseKind} leases (three ROLE=worker processes, real PostgreSQL and Redis)`, function () {
  this.timeout(600_000);
  let db: TestDatabase;
  let dataDir: string;
  let engine: Engine;
  const prefix = testPrefix('leases');
  const workers: Worker[] = [];
  /** Who holds each lease, from the workers' own log lines. */
  const holders = new Map<string, number>();
  const acquired: Array<{ lease: string; worker: number; at: number; token: number }> = [];

  // One master key file for every worker (as a mounted secret would be): each must open what the others sealed.
  const env = () => ({ DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, LEASES: leaseKind, PRIVACY_KEYS_FILE: join(dataDir, 'privacy-keys.json') });

  const startWorker = (): Worker => {
    const id = workers.length;
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      // A DATA_DIR each: workers starting together on one directory race to create the platform's signing key files.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(), DATA_DIR: join(dataDir, `worker-${id}`), ROLE: 'worker', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const worker: Worker = { id, process: child, alive: true, recent: [] };
    workers.push(worker);
    child.once('exit', () => (worker.alive = false));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      worker.recent.push(text);
      if (worker.recent.length > RECENT_LINES) worker.recent.shift();
      let line: { msg?: string; lease?: string; time?: number; token?: number };
      try {
        line = JSON.parse(text) as typeof line;
      } catch {
        return;
      }
      if (!line.lease || !worker.alive) return;
      if (line.msg === 'lease acquired') {
        holders.set(line.lease, id);
        acquired.push({ lease: line.lease, worker: id, at: line.time ?? Date.now(), token: line.token ?? 0 });
      } else if ((line.msg === 'lease released' || line.msg === 'lease lost') && holders.get(line.lease) === id) {
        holders.delete(line.lease);
      }
    });
    return worker;
  };

  const heldBy = (worker: Worker) => [...holders].filter(([, id]) => id === worker.id).map(([lease]) => lease);

  const caughtUp = async (store: ReadStore, head: Checkpoint) => {
    for (const name of PROJECTIONS) {
      const meta = await readProjectionMeta(store, name);
      const checkpoint = meta && (await store.getCheckpoint(checkpointKey(name, meta.activeVersion)));
      if (!checkpoint || compareCheckpoints(checkpoint, head) < 0) return false;
    }
    return true;
  };

  before(async () => {
    db = await createTestDatabase('leases');
    dataDir = mkdtempSync(join(tmpdir(), 'errand-leases-'));
    writeFileSync(join(dataDir, 'privacy-keys.json'), JSON.stringify(newMasterKeyFile()));
    engine = await createEngine(loadConfig({ ...env(), LOG_LEVEL: 'silent' }));
  });
  after(async () => {
    for (const worker of workers) if (worker.alive) worker.process.kill('SIGKILL');
    await engine?.stop();
    await db?.drop();
    await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each projection once across the workers; killed leaders are replaced and every view equals a fresh rebuild', async () => {
    for (let i = 0; i < 3; i++) startWorker();
    await until(() => LEASES.every((lease) => holders.has(lease)), 'every lease to be taken');
    // Whoever starts first takes everything, then gives up its extras as the others join: at most ceil(leases / 3)
    // each, counting every lease a worker reports (the projections, the reactor, the outbox, the log heads).
    const quota = () => Math.ceil(holders.size / 3);
    await until(() => workers.every((w) => heldBy(w).length > 0 && heldBy(w).length <= quota()), 'the three workers to share the leases, at most ceil(leases / 3) each');

    let cases = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        for (const command of caseCommands(cases)) await engine.commands.handle(command as Parameters<Engine['commands']['handle']>[0]);
        cases++;
        // A steady stream rather than flat out: enough to keep every projection busy across the kills, without a
        // backlog of evidence retries that would make the suite wait minutes for the log to rest.
        await sleep(150);
      }
    })();

    const takeovers: number[] = [];
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        await sleep(1500);
        const live = workers.filter((w) => w.alive);
        const leader = live.sort((a, b) => heldBy(b).length - heldBy(a).length)[0]!;
        const orphans = heldBy(leader);
        const exited = new Promise((resolve) => leader.process.once('exit', resolve));
        const killedAt = Date.now();
        leader.process.kill('SIGKILL');
        await exited;
        leader.alive = false;
        for (const lease of orphans) holders.delete(lease);
        await until(() => orphans.every((lease) => holders.has(lease)), `the leases of killed worker ${leader.id} to be taken over`).catch((error: Error) => {
          // What the survivors were doing is the only clue to a takeover that never came (their logs go to a pipe).
          const logs = workers.filter((w) => w.alive).map((w) => `worker ${w.id}:\n${w.recent.join('\n')}`);
          throw new Error(`${error.message}; still free: ${orphans.filter((lease) => !holders.has(lease)).join(', ')}\n${logs.join('\n')}`);
        });
        const taken = orphans.map((lease) => acquired.filter((a) => a.lease === lease && a.at >= killedAt - 50).map((a) => a.at - killedAt)[0] ?? Number.NaN);
        const worst = Math.max(...taken);
        takeovers.push(worst);
        console.log(`      kill ${kill + 1}: worker ${leader.id} held ${orphans.join(', ')}; taken over after ${taken.map((ms) => `${ms} ms`).join(', ')} (${cases} cases so far)`);
        // The replacement joins before the next kill: a new worker takes some seconds to start on a loaded machine.
        const replacement = startWorker();
        await until(() => heldBy(replacement).length > 0, `replacement worker ${replacement.id} to take its share`);
      }
    } finally {
      loading = false;
      await load;
    }

    for (const ms of takeovers) expect(ms, 'takeover time').to.be.below(30_000);
    // The workers append too (evidence fetches that fail without gateways, after their retries): compare at a cut
    // the log has rested at for a few seconds, which the served views have reached.
    let head: Checkpoint | null = null;
    let restingSince = Date.now();
    await until(
      async () => {
        const now = (await engine.stores.eventStore.head!())!;
        if (!head || compareCheckpoints(now, head) !== 0) [head, restingSince] = [now, Date.now()];
        return Date.now() - restingSince > 5000 && (await caughtUp(engine.stores.readStore, head));
      },
      'the log to rest and the projections to catch up with it',
      180_000,
    );
    const cut: Checkpoint = head!;
    await until(() => LEASES.every((lease) => holders.has(lease) && workers[holders.get(lease)!]!.alive), 'every lease held by a live worker');

    // Each job's fence holds the token of its latest grant: the holder now is the only one whose writes the store takes.
    for (const lease of LEASES) {
      const latest = acquired.filter((a) => a.lease === lease).at(-1)!;
      expect(await engine.stores.readStore.getFence(lease), `fence of ${lease}`).to.equal(latest.token);
      expect(holders.get(lease), `holder of ${lease}`).to.equal(latest.worker);
    }

    // A fresh rebuild of every projection from the same log, in memory, to compare document by document.
    const fresh = createMemoryReadStore();
    const rebuild = createProjectionRunner({
      eventStore: engine.stores.eventStore,
      readStore: fresh,
      projectors: allProjectors({ services: engine.catalogue.catalogue, calendar: engine.calendar }),
      idleMs: 20,
    });
    await rebuild.start();
    try {
      await until(() => caughtUp(fresh, cut), 'the fresh rebuild to reach the head', 120_000);
    } finally {
      await rebuild.stop();
    }
    let compared = 0;
    for (const name of PROJECTIONS) {
      const served = (await readProjectionMeta(engine.stores.readStore, name))!;
      const rebuilt = (await readProjectionMeta(fresh, name))!;
      for (const collection of served.collections) {
        const left = await engine.stores.readStore.find(physicalCollection(collection, served.activeVersion), {});
        const right = await fresh.find(physicalCollection(collection, rebuilt.activeVersion), {});
        expect(left.total, `${name}/${collection} document count`).to.equal(right.total);
        const rebuiltById = new Map(right.items.map((doc, i) => [i, doc]));
        left.items.forEach((doc, i) => {
          const other = rebuiltById.get(i)!;
          const differing = Object.keys({ ...doc, ...other }).filter((field) => canonicalJson(doc[field] ?? null) !== canonicalJson(other[field] ?? null));
          expect(differing, `${name}/${collection} document ${i}: ${differing.map((f) => `${f}: ${JSON.stringify(doc[f])} vs ${JSON.stringify(other[f])}`).join('; ').slice(0, 600)}`).to.deep.equal([]);
        });
        compared += left.total;
      }
    }
    const after = (await engine.stores.eventStore.head!())!;
    expect(compareCheckpoints(after, cut), 'the log moved during the comparison; rerun').to.equal(0);
    console.log(`      ${cases} cases appended during ${KILLS} kills; ${compared} documents equal to a fresh rebuild; worst takeover ${Math.max(...takeovers)} ms`);
    expect(compared).to.be.greaterThan(cases);
  });
});
