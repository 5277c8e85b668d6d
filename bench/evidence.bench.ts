import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createHttpGatewayProvider } from '../adapters/evidence/index.ts';
import { generateSigningKey } from '../adapters/jose/index.ts';
import { createPlatformRequestSigner } from '../adapters/evidence/index.ts';
import { outcomeCommandId, evidenceJobId, type EvidenceJob } from '../adapters/evidence/index.ts';
import { gather } from '../adapters/evidence/index.ts';
import { recordEvidence, recordUnavailable } from '../adapters/evidence/index.ts';
import type { EvidenceProvider } from '../domain/ports/evidence.ts';
import { createProviderRouter } from '../adapters/evidence/index.ts';
import { createEvidenceWorker, enqueueEvidenceJob } from '../adapters/evidence/index.ts';
import { loadDataCatalogue } from '../adapters/files/index.ts';
import { createBullMQQueue } from '../adapters/queue/bullmq/index.ts';
import type { CaseCommand } from '../domain/case/commands.ts';
import { localDate } from '../domain/calendar/index.ts';
import type { DataItem } from '../domain/catalogue/index.ts';
import { generateDemoLibrary } from '../domain/evidence/demo-library/index.ts';
import { systemClock } from '../domain/time/clock.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { deleteKeysWithPrefix } from '../test/support/redis-server.ts';
import { machineLine } from './support/machine.ts';
import { interleave, measurement, runFor, type Measurement } from './support/measure.ts';
import { markdownTable } from './support/table.ts';

/**
 * Evidence items end to end: a job is added to its department's BullMQ queue, the evidence worker fetches it from a
 * department gateway (a real HTTP gateway process: signed request verified, sharing rules, access log, signed
 * answer verified) that answers after an artificial GATEWAY_DELAY_MS, cleanses, checks and hashes it, and handle()
 * appends the outcome to PostgreSQL. Closed loop: CLIENTS clients each add an item and wait until it is recorded.
 * Baseline: the same clients call the same gateways directly (same fetch, governance and append), no queue.
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const SLICES = 5;
const GATEWAY_DELAY_MS = Number(process.env.EVIDENCE_BENCH_DELAY_MS ?? 20);
const CLIENTS = Number(process.env.EVIDENCE_BENCH_CLIENTS ?? 96);
const CONCURRENCY = Number(process.env.EVIDENCE_BENCH_CONCURRENCY ?? 48);
/** pid of the Redis server, to read its CPU when it runs on this machine. */
const REDIS_PID = process.env.EVIDENCE_BENCH_REDIS_PID ?? redisServerPid();
/** 1: the three gateways in one process (default); 3: one process each. */
const GATEWAY_PROCESSES = Number(process.env.EVIDENCE_BENCH_GATEWAY_PROCESSES ?? 1);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ITEMS = [
  { department: 'PSB', dataItem: 'household-registration', materialId: 'household-registration', fields: ['citizenId', 'name', 'registrationRegion'] },
  { department: 'NRB', dataItem: 'property-ownership', materialId: 'property', fields: ['propertiesOwned'] },
  { department: 'HRSS', dataItem: 'social-insurance', materialId: 'social-insurance', fields: ['insuredStatus', 'monthsContributedLocally'] },
] as const;

interface Gateway {
  department: string;
  url: string;
  publicJwk: { kid: string };
  child: ChildProcess;
}

/** Starts scripts/gateway.ts hosting the given departments; resolves once each has printed where it listens. */
async function startGateways(departments: string[], jwksFile: string): Promise<Gateway[]> {
  const nodeArgs = process.env.EVIDENCE_BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // The run's own folder (beside the platform's keys) holds the gateways' access logs and replay ids, not ./data.
  const dataDir = path.dirname(jwksFile);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'scripts/gateway.ts'), '--department', departments.join(','), '--platform-jwks', jwksFile, '--ephemeral-key', '--delay-ms', String(GATEWAY_DELAY_MS), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<Gateway[]>((resolve, reject) => {
    const started: Gateway[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const info = JSON.parse(line) as { department: string; url: string; publicJwk: { kid: string } };
      started.push({ department: info.department, url: info.url, publicJwk: info.publicJwk, child });
      if (started.length === departments.length) resolve(started);
    });
    child.once('exit', (code) => reject(new Error(`gateway process for ${departments.join(',')} exited with ${code}`)));
  });
}

function redisServerPid(): string | undefined {
  try {
    const result = spawnSync('pgrep', ['-x', 'redis-server'], { encoding: 'utf8' });
    const pids = result.stdout.trim().split('\n').filter(Boolean);
    return pids.length === 1 ? pids[0] : undefined;
  } catch {
    return undefined;
  }
}

/** CPU milliseconds a process has used so far (user + system), from /proc; 0 where /proc is not there. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function rssOfMb(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function run(): Promise<void> {
  const catalogue = loadDataCatalogue();
  const library = generateDemoLibrary();
  const adults = library.persons.filter((p) => Number(p.birthDate.slice(0, 4)) < 2000).map((p) => p.citizenId);
  const database = await createTestDatabase('bench_evidence');
  const pool = new pg.Pool({ connectionString: database.url, max: 16 });
  // The database is dropped WITH (FORCE) at the end; an idle client hearing of it must not crash the run.
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE evidence_outcomes (command_id text PRIMARY KEY, case_id text NOT NULL, material_id text NOT NULL, type text NOT NULL, outcome jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())');

  const dir = mkdtempSync(path.join(tmpdir(), 'errand-evidence-bench-'));
  const platformKey = generateSigningKey('platform-bench');
  const signer = createPlatformRequestSigner({ privateKey: platformKey.privateKey, kid: platformKey.kid });
  writeFileSync(path.join(dir, 'platform.jwks.json'), JSON.stringify(signer.jwks()));
  const jwksFile = path.join(dir, 'platform.jwks.json');
  const departments = ITEMS.map((item) => item.department);
  const gateways = GATEWAY_PROCESSES === 1 ? await startGateways(departments, jwksFile) : (await Promise.all(departments.map((d) => startGateways([d], jwksFile)))).flat();
  const gatewayProcesses = [...new Set(gateways.map((g) => g.child))];
  const providers: Record<string, EvidenceProvider> = Object.fromEntries(
    gateways.map((g) => [g.department, createHttpGatewayProvider({ department: g.department, baseUrl: g.url, signer, gatewayKeys: { keys: [g.publicJwk] }, maxSockets: 128 })]),
  );
  const router = createProviderRouter({ catalogue, gateways: providers });

  // handle(): the outcome appended once per command id, as the event store's idempotent append does.
  const waiters = new Map<string, () => void>();
  async function handle(command: CaseCommand): Promise<void> {
    await pool.query('INSERT INTO evidence_outcomes (command_id, case_id, material_id, type, outcome) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (command_id) DO NOTHING', [
      command.commandId,
      command.caseId,
      (command as { materialId: string }).materialId,
      command.type,
      JSON.stringify(command),
    ]);
    waiters.get(command.commandId)?.();
  }

  const prefix = `errand-bench-evidence-${process.pid}`;
  const queue = createBullMQQueue({ redisUrl: REDIS_URL, prefix });
  const limits = Object.fromEntries(ITEMS.map((i) => [i.department, { concurrency: CONCURRENCY, max: 100_000, durationMs: 1000 }]));
  const worker = createEvidenceWorker({ queue, router, catalogue, handle, clock: systemClock, timeoutMs: 5000, attempts: 3, backoffMs: 100, departmentLimits: limits, departments: ITEMS.map((i) => i.department), serveSharedQueue: false });

  const runId = randomUUID().slice(0, 8);
  function jobFor(label: string, client: number, iteration: number): EvidenceJob {
    const item = ITEMS[(client + iteration) % ITEMS.length]!;
    const caseId = `${label}-${runId}-${client}-${iteration}`;
    return {
      caseId,
      materialId: item.materialId,
      dataItem: item.dataItem,
      provider: item.department,
      fields: [...item.fields],
      subject: { type: 'person', id: adults[(client * 7919 + iteration) % adults.length]! },
      purpose: { caseId, serviceId: 'public-rental-housing', legalBasis: '《公共租赁住房管理办法》' },
      requester: 'HOUSING',
    };
  }
  const recorded = (commandId: string) => new Promise<void>((resolve) => waiters.set(commandId, () => (waiters.delete(commandId), resolve())));

  async function throughQueue(client: number, iteration: number, label = 'q'): Promise<void> {
    const job = jobFor(label, client, iteration);
    const done = recorded(outcomeCommandId(evidenceJobId(job.caseId, job.materialId)));
    await enqueueEvidenceJob(queue, job, { attempts: 3, backoffMs: 100 });
    await done;
  }
  const today = localDate(new Date(), 'Asia/Shanghai');
  const itemOf = new Map<string, DataItem>(ITEMS.map((i) => [i.dataItem, catalogue.get(i.dataItem)!]));
  async function direct(client: number, iteration: number): Promise<void> {
    const job = jobFor('d', client, iteration);
    const jobId = evidenceJobId(job.caseId, job.materialId);
    const outcome = await gather(job, router, { item: itemOf.get(job.dataItem)!, today, timeoutMs: 5000 });
    await handle(outcome.kind === 'found' ? recordEvidence(jobId, job, outcome.found) : recordUnavailable(jobId, job, outcome.reason, outcome.detail));
  }

  const rows: Measurement[] = [];
  try {
    await runFor(CLIENTS, 1000, (c, i) => direct(c, 1_000_000 + i));
    await runFor(CLIENTS, 1000, (c, i) => throughQueue(c, i, 'warm'));
    const baseline = `gateways called directly, ${CLIENTS} clients`;
    // Interleaved slices: on a shared machine the background load moves more than the queue does, so both cases
    // must see the same mix of it. The "server CPU" column is the gateway process(es) plus this run's PostgreSQL
    // backends, per item; Redis is shared with other suites, so its CPU is reported apart and only roughly.
    const backends = (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows.map((r) => r.pid);
    const serverCpu = async () => [...gatewayProcesses.map((child) => child.pid), ...backends].reduce((sum: number, pid) => sum + cpuMsOf(pid), 0);
    const redisPid = Number(REDIS_PID ?? Number.NaN);
    const redis0 = cpuMsOf(redisPid);
    const [directRun, queueRun] = await interleave(
      [
        { clients: CLIENTS, op: direct },
        { clients: CLIENTS, op: (c, i) => throughQueue(c, i) },
      ],
      SLICES,
      DURATION_MS / SLICES,
      serverCpu,
    );
    const redisUsPerQueuedItem = ((cpuMsOf(redisPid) - redis0) * 1000) / queueRun!.ops;
    rows.push(measurement(baseline, directRun!, { unit: 'items/s' }));
    rows.push(measurement(`through BullMQ, ${CLIENTS} clients, concurrency ${CONCURRENCY} per department`, queueRun!, { unit: 'items/s', baseline }));
    const stored = await pool.query<{ n: number; dup: number }>('SELECT count(*)::int AS n, (count(*) - count(DISTINCT command_id))::int AS dup FROM evidence_outcomes');
    const gatewayRss = gatewayProcesses.reduce((sum, child) => sum + rssOfMb(child.pid), 0);
    console.log(machineLine({ redis: REDIS_URL.replace(/\/\/.*@/, '//'), 'gateway delay': `${GATEWAY_DELAY_MS} ms`, gateways: `PSB, NRB, HRSS in ${gatewayProcesses.length} process(es)` }));
    console.log('');
    console.log(markdownTable(`Evidence items end to end (${DURATION_MS / 1000} s per case, in ${SLICES} interleaved slices)`, rows));
    console.log('');
    console.log(`RSS: worker process ${Math.round(process.memoryUsage().rss / 1048576)} MB (row column), gateway process(es) ${Math.round(gatewayRss)} MB.`);
    if (Number.isFinite(redisPid)) console.log(`Redis server CPU per queued item (shared Redis, includes other suites' work): ${Math.round(redisUsPerQueuedItem)} µs.`);
    console.log(`Outcomes appended: ${stored.rows[0]!.n} (duplicates: ${stored.rows[0]!.dup}).`);
  } finally {
    await worker.close();
    await queue.close();
    await router.close?.();
    for (const child of gatewayProcesses) child.kill('SIGTERM');
    await pool.end();
    await database.drop();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
