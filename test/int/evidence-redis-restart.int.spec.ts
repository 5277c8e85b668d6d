import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { EvidenceJob } from '../../adapters/evidence/index.ts';
import type { EvidenceProvider } from '../../domain/ports/evidence.ts';
import { enqueueEvidenceJob } from '../../adapters/evidence/index.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.ts';
import { demoLibrary } from '../contract/evidence-fixtures.ts';
import { eventually, openEvidenceWorld } from './evidence-worker-fixture.ts';

/** Every department answers after a pause, so a restart lands while work is still queued and running. */
function slow(library: EvidenceProvider): EvidenceProvider {
  return { name: library.name, fetch: async (request, options) => (await new Promise((r) => setTimeout(r, 100)), library.fetch(request, options)) };
}

describe('evidence jobs across a Redis restart', function () {
  this.timeout(120_000);
  let redis: ThrowawayRedis;
  let world: Awaited<ReturnType<typeof openEvidenceWorld>>;
  before(async () => {
    redis = await startThrowawayRedis();
    world = await openEvidenceWorld('evidence_redis', { redisUrl: redis.url, lockDurationMs: 2000, stalledIntervalMs: 1000, wrapLibrary: slow });
    world.startWorker({ concurrency: 2, attempts: 5, backoffMs: 100 });
  });
  after(async () => {
    await world?.close();
    await redis?.stop();
  });

  it('given Redis lost mid-run, when the same job ids are added again, then every material is recorded exactly once', async () => {
    const applicants = demoLibrary().persons.filter((p) => Number(p.birthDate.slice(0, 4)) < 1995).slice(0, 16).map((p) => p.citizenId);
    const cases: string[] = [];
    const jobs: EvidenceJob[] = [];
    for (const applicant of applicants) {
      const caseId = randomUUID();
      cases.push(caseId);
      jobs.push(...(await world.cases.openCase(caseId, applicant)));
    }
    const settled = async () => {
      let done = 0;
      for (const caseId of cases) done += Object.values(await world.cases.outcomes(caseId)).filter((events) => events.some((e) => e.type !== 'EvidenceConflictFlagged')).length;
      return done;
    };
    for (const job of jobs) await enqueueEvidenceJob(world.queue, job, { attempts: 5, backoffMs: 100 });
    await eventually(settled, (n) => n >= 6, 'some evidence before the restart');

    await redis.restart({ crash: true });
    const beforeReadd = await settled();
    expect(beforeReadd, 'the restart should land mid-run').to.be.lessThan(jobs.length);

    // What the reactor does on start: derive the jobs again and add them under the same ids.
    for (const job of jobs) await enqueueEvidenceJob(world.queue, job, { attempts: 5, backoffMs: 100 });
    await eventually(settled, (n) => n === jobs.length, 'every material to be settled', 60_000);

    for (const caseId of cases) {
      const outcomes = await world.cases.outcomes(caseId);
      for (const [material, events] of Object.entries(outcomes)) {
        expect(events.filter((e) => e.type !== 'EvidenceConflictFlagged'), `${caseId} / ${material}`).to.have.length(1);
      }
      expect(Object.keys(outcomes)).to.have.length(jobs.filter((j) => j.caseId === caseId).length);
    }
  });
});
