import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { evidenceJobId } from '../../adapters/evidence/index.ts';
import type { EvidenceProvider } from '../../domain/ports/evidence.ts';
import { enqueueEvidenceJob, type EvidenceOutcome } from '../../adapters/evidence/index.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';
import { subjectId } from '../contract/evidence-fixtures.ts';
import { eventually, openEvidenceWorld } from './evidence-worker-fixture.ts';

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<void>;
}

describe('evidence worker killed mid-job', function () {
  this.timeout(90_000);
  let world: Awaited<ReturnType<typeof openEvidenceWorld>>;
  /** Calls reaching the PSB library; while `hold` is set they wait for it. */
  let calls = 0;
  let hold: Promise<void> | null = null;
  const children: Child[] = [];

  function wrap(library: EvidenceProvider): EvidenceProvider {
    return {
      name: library.name,
      async fetch(request, options) {
        calls += 1;
        if (hold) await hold;
        return library.fetch(request, options);
      },
    };
  }

  function startChild(mode: 'plain' | 'hang-after-record' | 'hang-before-record'): Child {
    const psb = world.gateways.gateways.PSB!;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/int/evidence-worker-child.ts'], {
      env: {
        ...process.env,
        EV_DATABASE_URL: world.database.url,
        EV_REDIS_URL: TEST_REDIS_URL,
        EV_PREFIX: world.prefix,
        EV_PSB_URL: psb.url,
        EV_PSB_KEY: JSON.stringify(psb.publicJwk),
        EV_PLATFORM_KEY: JSON.stringify({ ...world.platformKey.privateKey.export({ format: 'jwk' }), kid: world.platformKey.kid }),
        EV_MODE: mode,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const handle = { process: child, lines, exited };
    children.push(handle);
    return handle;
  }

  async function kill(child: Child): Promise<void> {
    child.process.kill('SIGKILL');
    await child.exited;
  }

  before(async () => {
    world = await openEvidenceWorld('evidence_kill', { lockDurationMs: 1000, stalledIntervalMs: 500, wrapLibrary: wrap });
  });
  after(async () => {
    for (const child of children) if (child.process.exitCode === null) await kill(child);
    await world?.close();
  });

  async function householdJob(subjectKey: string) {
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId(subjectKey));
    return { caseId, job: jobs.find((j) => j.materialId === 'household-registration')! };
  }

  it('given a worker killed after the department answered but before the answer was recorded, when the job is redelivered, then it is recorded and the department delivered once', async () => {
    const { caseId, job } = await householdJob('address-conflict');
    const psb = world.gateways.gateways.PSB!;
    const deliveries = async () => (await psb.accessLog.list({ caseId, limit: 100 })).filter((e) => e.dataItem === 'household-registration' && e.result === 'found');
    const before = calls;
    const child = startChild('hang-before-record');
    await eventually(async () => child.lines, (l) => l.some((x) => x.ready), 'the child worker');
    await enqueueEvidenceJob(world.queue, job, { attempts: 3, backoffMs: 50 });
    await eventually(async () => child.lines, (l) => l.some((x) => x.answered), 'the child to have the answer in hand');
    await kill(child);
    expect((await world.cases.outcomes(caseId))['household-registration']).to.equal(undefined);
    expect(await deliveries()).to.have.length(1);

    // This suite's first test: no other worker serves PSB until this one, which is closed again at the end.
    const worker = world.startWorker({ departments: ['PSB'], serveSharedQueue: false });
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => !!o['household-registration'], 'the redelivered job to record', 30_000);
    await worker.close();
    expect(outcomes['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
    // The retry asked under the same request key: the gateway sent its kept answer, the department's data was read
    // once and its access log holds one delivery, as the citizen's data-use log holds one use.
    expect(await deliveries()).to.have.length(1);
    expect(calls - before).to.equal(1);
  });

  it('given a worker killed after recording the evidence but before finishing the job, when another worker takes the stalled job, then the case holds it once', async () => {
    const { caseId, job } = await householdJob('instant-approval');
    const child = startChild('hang-after-record');
    await eventually(async () => child.lines, (l) => l.some((x) => x.ready), 'the child worker');
    await enqueueEvidenceJob(world.queue, job, { attempts: 3, backoffMs: 50 });
    await eventually(async () => child.lines, (l) => l.some((x) => x.recorded), 'the child to record the evidence');
    await kill(child);
    expect((await world.cases.outcomes(caseId))['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);

    const seen: EvidenceOutcome[] = [];
    const jobId = evidenceJobId(caseId, 'household-registration');
    world.startWorker({ departments: ['PSB'], serveSharedQueue: false, onOutcome: (o) => (o.jobId === jobId ? seen.push(o.outcome) : undefined) });
    await eventually(async () => seen, (s) => s.length > 0, 'the stalled job to be redelivered', 30_000);
    expect(seen).to.deep.equal(['found']);
    expect((await world.cases.outcomes(caseId))['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
  });

  it('given a worker killed while the department is answering, when the job is redelivered, then the evidence lands once', async () => {
    const { caseId, job } = await householdJob('homeowner');
    let release = () => undefined as void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const before = calls;
    const child = startChild('plain');
    await eventually(async () => child.lines, (l) => l.some((x) => x.ready), 'the child worker');
    await enqueueEvidenceJob(world.queue, job, { attempts: 3, backoffMs: 50 });
    await eventually(async () => calls, (n) => n > before, 'the child to reach the department');
    await kill(child);
    hold = null;
    release();
    expect((await world.cases.outcomes(caseId))['household-registration']).to.equal(undefined);

    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => !!o['household-registration'], 'the redelivered job to record', 30_000);
    expect(outcomes['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
  });

});
