import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { assembleEvidenceProviders, enqueueEvidenceJob, evidenceJobId } from '../../adapters/evidence/index.ts';
import { createEvidenceWorker, type EvidenceWorkerOptions } from '../../adapters/evidence/index.ts';
import { createInProcessQueue } from '../../adapters/queue/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { demoLibrary, shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { eventually, openEvidenceWorld } from './evidence-worker-fixture.ts';

describe('evidence worker on the embedded in-process queue', function () {
  this.timeout(60_000);
  let world: Awaited<ReturnType<typeof openEvidenceWorld>>;
  const queue = createInProcessQueue();
  before(async () => {
    world = await openEvidenceWorld('evidence_in_process');
  });
  after(async () => {
    await queue.close();
    await world?.close();
  });

  const inProcessWorker = (options: Pick<EvidenceWorkerOptions, 'router'> & Partial<EvidenceWorkerOptions>) =>
    createEvidenceWorker({
      queue,
      catalogue: shippedCatalogue(),
      handle: (command) => world.cases.handler.handle(command),
      clock: systemClock,
      timeoutMs: 1000,
      attempts: 3,
      backoffMs: 10,
      wanted: world.cases.wanted,
      ...options,
    });

  it('given an accepted case, when its jobs run in process, then found, refused and provider_down outcomes are each recorded once', async () => {
    const seen: string[] = [];
    const unreachable = createHttpGatewayProvider({ department: 'NRB', baseUrl: 'http://127.0.0.1:1', signer: world.signer, gatewayKeys: { k: generateSigningKey('k').publicKey }, timeoutMs: 500 });
    const worker = inProcessWorker({ router: world.routerWith({ NRB: unreachable }), onOutcome: (o) => seen.push(o.outcome) });
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId('instant-approval'));
    for (const job of jobs) await worker.enqueue(job.materialId === 'marriage' ? { ...job, requester: 'TAX', purpose: { ...job.purpose, serviceId: 'x' } } : job);
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => jobs.every((j) => o[j.materialId]), 'every outcome');
    expect(outcomes['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
    expect(outcomes.marriage!.map((e) => e.data.reason)).to.deep.equal(['refused']);
    expect(outcomes.property!.map((e) => e.data.reason)).to.deep.equal(['provider_down']);
    // Once settled, a job delivered again finds the material no longer wanted and fetches nothing.
    const household = jobs.find((j) => j.materialId === 'household-registration')!;
    await queue.remove('evidence-PSB', evidenceJobId(caseId, 'household-registration'));
    const before = seen.length;
    await worker.enqueue(household);
    await eventually(async () => seen.length, (n) => n > before, 'the job delivered again');
    expect(seen.slice(before)).to.deep.equal(['skipped']);
    await worker.close();
    expect(Object.values(await world.cases.outcomes(caseId)).every((events) => events.filter((e) => e.type !== 'EvidenceConflictFlagged').length === 1)).to.equal(true);
  });

  it("given a department limit of one call per window, when three cases' jobs for it are queued at once, then the department is asked once per window", async () => {
    const WINDOW_MS = 600;
    const starts: number[] = [];
    const psbItems = new Set<string>();
    const router = world.routerWith();
    const worker = inProcessWorker({
      router: { name: router.name, fetch: (request, options) => (psbItems.has(request.dataItem) && starts.push(Date.now()), router.fetch(request, options)) },
      departmentLimits: { PSB: { concurrency: 5, max: 1, durationMs: WINDOW_MS } },
    });
    const caseIds = [randomUUID(), randomUUID(), randomUUID()];
    const psbJobs = (await Promise.all(caseIds.map((id) => world.cases.openCase(id, subjectId('instant-approval'))))).flat().filter((job) => job.provider === 'PSB');
    expect(psbJobs).to.have.length(3);
    for (const job of psbJobs) psbItems.add(job.dataItem);
    for (const job of psbJobs) await worker.enqueue(job);
    await eventually(async () => starts.length, (n) => n === 3, 'three calls to PSB');
    await worker.close();
    // Lower bounds only: a slow host spreads the calls further, never closer. Unlimited, all three start at once.
    for (let index = 1; index < starts.length; index += 1) expect(starts[index]! - starts[index - 1]!).to.be.at.least(WINDOW_MS - 50);
  });

  it('given a department published into the data catalogue while the worker runs, when its jobs are queued, then its embedded gateway is started and the worker serves its queue through it, without a restart', async () => {
    const catalogue = shippedCatalogue();
    let published = false;
    // PSB's items stay in the catalogue (a job names one), but PSB is not among its departments until "published".
    const live = { ...catalogue, get: catalogue.get.bind(catalogue), list: catalogue.list.bind(catalogue), department: catalogue.department.bind(catalogue), providedBy: catalogue.providedBy.bind(catalogue), departments: () => catalogue.departments().filter((d) => published || d.code !== 'PSB') };
    const providers = await assembleEvidenceProviders({ evidence: { gateways: {}, sqlLibraryUrl: null, demoLibrary: true, limits: {} }, catalogue: live, signer: world.signer, library: demoLibrary(), embeddedGateways: true });
    const worker = inProcessWorker({ router: providers.router, catalogue: live, departmentRefreshMs: 50, departmentReady: (code) => providers.ready(code) });
    try {
      expect(worker.queues).to.not.include('evidence-PSB');
      expect(providers.router.routeFor('PSB')).to.equal('demo');
      const caseId = randomUUID();
      const psb = (await world.cases.openCase(caseId, subjectId('instant-approval'))).filter((job) => job.provider === 'PSB');
      expect(psb).to.have.length(1);
      // As the engine enqueues: by the item's provider, whichever departments a worker happens to serve.
      await enqueueEvidenceJob(queue, psb[0]!, { attempts: 3, backoffMs: 10 });
      published = true;
      const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => o[psb[0]!.materialId] !== undefined, 'the PSB job served');
      expect(outcomes[psb[0]!.materialId]!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
      expect(worker.queues).to.include('evidence-PSB');
      // Through PSB's gateway, as after a restart: signed, checked against its sharing rules, in its access log.
      expect(providers.router.routeFor('PSB')).to.equal('gateway');
      const logged = await providers.embedded!.gateways.PSB!.accessLog.list({ caseId });
      expect(logged.map((e) => [e.dataItem, e.result])).to.deep.equal([[psb[0]!.dataItem, 'found']]);
    } finally {
      await worker.close();
      await providers.close();
    }
  });

  it('given a case whose applicant reads erased (its keys destroyed while open), when its jobs run, then no department is asked and each material is recorded refused, saying why', async () => {
    const asked: string[] = [];
    const router = world.routerWith();
    const worker = inProcessWorker({
      router: { name: router.name, fetch: (request, options) => (asked.push(request.dataItem), router.fetch(request, options)) },
      resolveSubject: async () => ({ type: 'person', id: ERASED }),
    });
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId('instant-approval'));
    for (const job of jobs) await worker.enqueue(job);
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => jobs.every((j) => o[j.materialId]), 'every outcome');
    await worker.close();
    expect(asked).to.deep.equal([]);
    for (const job of jobs) {
      expect(outcomes[job.materialId]!.map((e) => [e.type, e.data.reason])).to.deep.equal([['EvidenceUnavailable', 'refused']]);
      expect(String(outcomes[job.materialId]![0]!.data.detail)).to.include('erased');
    }
  });
});
