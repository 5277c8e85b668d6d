/**
 * A worker engine (reactor, timers, evidence worker, projections) on its own PostgreSQL cluster and Redis, put through
 * the faults of issue #19: PostgreSQL restarted and stopped for longer than any job's retries, Redis flushed. Each
 * test waits for the system to heal by itself, with no restart of the engine.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../adapters/config/index.ts';
import { isDependencyUnavailable } from '../../adapters/dependency-unavailable.ts';
import { TIMER_QUEUE } from '../../adapters/reactors/case-jobs-reactor.ts';
import { RETENTION_QUEUE } from '../../adapters/privacy/retention-job.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { evidencePart } from '../../runtime/evidence-part.ts';
import { projectionPart } from '../../runtime/projection-part.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { caseStream } from '../../domain/case/events.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { ProjectionRunner } from '../../projections/index.ts';
import type { CaseState } from '../../workflows/index.ts';
import { demoLibrary } from '../support/http-engine.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.ts';

const clerk = { kind: 'clerk' as const, id: 'psb-1', department: 'PSB', roles: ['intake', 'reviewer', 'approver'] };

function openCase(caseId: string, sequence: number): CaseCommand[] {
  const citizen = { kind: 'citizen' as const, id: makeCitizenId({ region: '440305', birthDate: '1991-07-01', sequence }) };
  const form = { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' };
  return [
    { type: 'DraftApplication', commandId: `${caseId}-1`, caseId, actor: citizen, serviceId: 'residence-permit', form },
    { type: 'UploadMaterial', commandId: `${caseId}-2`, caseId, actor: citizen, materialId: 'photo', fileName: 'photo.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'a'.repeat(64) },
    { type: 'SubmitApplication', commandId: `${caseId}-3`, caseId, actor: citizen },
    { type: 'AcceptCase', commandId: `${caseId}-4`, caseId, actor: clerk },
  ] as CaseCommand[];
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (caught) {
      error = caught;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}${error ? `, error: ${String(error)}` : ''}`);
}

/** What a client does with a 503: send the same command again (idempotent by command id). */
async function handleRetrying(engine: Engine, command: CaseCommand): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await engine.commands.handle(command);
      return;
    } catch (error) {
      if (!isDependencyUnavailable(error) || i > 200) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('self-healing across PostgreSQL and Redis faults (throwaway servers)', function () {
  this.timeout(300_000);
  let cluster: ThrowawayCluster;
  let redis: ThrowawayRedis;
  let engine: Engine;
  let runner: ProjectionRunner | null = null;
  let load: (caseId: string) => Promise<CaseState>;
  // The clock starts on a Monday morning and can be moved forward to make deadlines fall due.
  const origin = Date.parse('2026-03-02T02:00:00Z');
  const startedAt = Date.now();
  let skipped = 0;
  const clock: Clock = { now: () => new Date(origin + (Date.now() - startedAt) + skipped) };
  /** Holds the evidence worker's case check for one case, so a test can take PostgreSQL away at that moment. */
  let gate: ((caseId: string) => Promise<void> | void) | null = null;

  before(async () => {
    cluster = await startThrowawayCluster();
    redis = await startThrowawayRedis();
    const config = loadConfig({
      DATABASE_URL: cluster.url(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'heal',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'errand-heal-')),
      DEMO_LIBRARY: 'true',
      LOG_LEVEL: 'silent',
    });
    engine = await createEngine(config, {
      clock,
      backgroundParts: [projectionPart((r) => (runner = r)), evidencePart({ library: demoLibrary(), timeoutMs: 3000 })],
      reconcile: { epochCheckMs: 300, periodMs: 120_000, retryMs: 200, maxRetryMs: 2000 },
    });
    const original = engine.commands.load;
    load = original;
    engine.commands.load = async (caseId) => {
      await gate?.(caseId);
      return original(caseId);
    };
    await engine.startBackground();
  });

  after(async () => {
    await engine?.stop();
    await redis?.stop();
    await cluster?.destroy();
  });

  const fetching = async (caseId: string) => Object.values((await load(caseId)).context.materials).filter((m) => m.status === 'fetching').length;

  it('given PostgreSQL restarted (immediate) three times while cases are opened, then the engine stays up, every case gets its evidence and the projections catch up', async () => {
    const cases: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) {
        const caseId = randomUUID();
        cases.push(caseId);
        for (const command of openCase(caseId, 100 + round * 10 + i)) await handleRetrying(engine, command);
      }
      await cluster.restart('immediate');
    }
    for (const caseId of cases) await eventually(() => fetching(caseId), (n) => n === 0, `case ${caseId} to leave fetching`);
    const head = formatCheckpoint((await engine.stores.eventStore.head!())!);
    await eventually(
      async () => (await runner!.status()).map((s) => `${s.name}:${s.checkpoint}`),
      (all) => all.length > 0 && all.every((s) => s.endsWith(`:${head}`)),
      `every projection to reach ${head}`,
    );
  });

  it('given PostgreSQL down for longer than an evidence job retries (16 s) while the job runs, then the case leaves fetching once it is back, without a restart', async () => {
    const caseId = randomUUID();
    let reached!: () => void;
    const atCheck = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    gate = (id) => {
      if (id !== caseId) return;
      reached();
      return held;
    };
    try {
      for (const command of openCase(caseId, 200)) await handleRetrying(engine, command);
      await atCheck;
      await cluster.stop('immediate');
      release();
      await new Promise((r) => setTimeout(r, 16_000));
      await cluster.start();
    } finally {
      gate = null;
      release();
    }
    await eventually(() => fetching(caseId), (n) => n === 0, 'the case to leave fetching after the outage', 90_000);
  });

  it('given Redis flushed, then the reconciler re-creates the timers (the cases\' and the daily retention pass) within its check period and the deadlines still fire', async () => {
    const caseId = randomUUID();
    for (const command of openCase(caseId, 300)) await handleRetrying(engine, command);
    const admin = new Redis(redis.url);
    try {
      await eventually(() => engine.queue.depth(TIMER_QUEUE), (n) => n >= 4, 'the deadline timers to be armed');
      // Settled first: a later event of the case would make the reactor re-derive its jobs anyway, flush or not.
      await eventually(() => fetching(caseId), (n) => n === 0, 'the case evidence to settle');
      const head = (await engine.stores.eventStore.head!())!;
      await eventually(async () => engine.reactor.checkpoint, (c) => c !== null && formatCheckpoint(c) === formatCheckpoint(head), 'the reactor to catch up');
      expect(await engine.queue.depth(RETENTION_QUEUE)).to.equal(1);
      await admin.flushall();
      expect(await engine.queue.depth(TIMER_QUEUE)).to.equal(0);
      expect(await engine.queue.depth(RETENTION_QUEUE)).to.equal(0);
      await eventually(() => engine.queue.depth(TIMER_QUEUE), (n) => n >= 4, 'the timers to be re-created after the flush', 20_000);
      // Nothing else arms tomorrow's retention pass: its handler would, but the job it would run in was flushed.
      await eventually(() => engine.queue.depth(RETENTION_QUEUE), (n) => n === 1, 'the daily retention timer to be re-armed after the flush', 20_000);
      // Past both deadlines (promised 7, statutory 15 working days): re-armed timers fire from the event log's due dates.
      // The clock moves first: the reconciler may see the flush (it checks every 300 ms) before this test's own
      // flushall has answered, and timers it re-armed on the old clock would wait out the real days to their dates.
      skipped += 40 * 24 * 3600_000;
      await admin.flushall();
      const cards = async () =>
        (await engine.stores.eventStore.readStream(caseStream(caseId))).filter((e) => e.type === 'DeadlineWarningRaised' || e.type === 'DeadlineOverdue').length;
      await eventually(cards, (n) => n === 4, 'the four deadline cards after a second flush', 60_000);
    } finally {
      admin.disconnect();
    }
  });
});
