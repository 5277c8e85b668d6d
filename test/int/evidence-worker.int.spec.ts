import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { contentHash } from '../../adapters/evidence/index.ts';
import { evidenceJobId, evidenceQueueFor, type EvidenceJob } from '../../adapters/evidence/index.ts';
import { enqueueEvidenceJob, type EvidenceOutcome } from '../../adapters/evidence/index.ts';
import { demoLibrary, subjectId } from '../contract/evidence-fixtures.ts';
import { eventually, openEvidenceWorld, type EvidenceWorld } from './evidence-worker-fixture.ts';

type Outcomes = Awaited<ReturnType<EvidenceWorld['cases']['outcomes']>>;

describe('evidence worker over BullMQ, gateways and the real case workflow', function () {
  this.timeout(60_000);
  let world: Awaited<ReturnType<typeof openEvidenceWorld>>;
  const processed: Array<{ jobId: string; outcome: EvidenceOutcome }> = [];
  before(async () => {
    world = await openEvidenceWorld('evidence_worker');
    world.startWorker({ onOutcome: (o) => processed.push(o) });
  });

  const enqueue = (job: EvidenceJob) => enqueueEvidenceJob(world.queue, job, { attempts: 3, backoffMs: 20 });
  after(async () => world?.close());

  async function runCase(subjectKey: string): Promise<{ caseId: string; outcomes: Outcomes; materials: string[] }> {
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId(subjectKey));
    for (const job of jobs) await enqueue(job);
    const materials = jobs.map((j) => j.materialId);
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => materials.every((m) => o[m]?.some((e) => e.type !== 'EvidenceConflictFlagged')), `outcomes of ${subjectKey}`);
    return { caseId, outcomes, materials };
  }

  it('given an accepted case of the instant-approval person, when its jobs run, then every material is received once with only its fields, hashed', async () => {
    const { outcomes, materials } = await runCase('instant-approval');
    expect(materials).to.have.members(['household-registration', 'residence-permit', 'marriage', 'property', 'social-insurance', 'housing-benefits']);
    for (const material of materials) {
      const events = outcomes[material]!;
      expect(events.map((e) => e.type), material).to.deep.equal(['EvidenceReceived']);
      const data = events[0]!.data as { fields: Record<string, unknown>; contentHash: string; trustLevel: string; qualityIssues: string[] };
      expect(data.contentHash).to.equal(contentHash(data.fields));
      expect(data.qualityIssues, material).to.deep.equal([]);
    }
    expect(Object.keys((outcomes.property![0]!.data as { fields: object }).fields)).to.deep.equal(['propertiesOwned']);
    expect((outcomes.property![0]!.data as { fields: object }).fields).to.deep.equal({ propertiesOwned: 0 });
    expect((outcomes['residence-permit']![0]!.data as { provider: string }).provider).to.equal('ERRAND');
  });

  it('given a person without household registration, when fetched, then the case records it unavailable: no match', async () => {
    const { outcomes } = await runCase('missing-household-registration');
    expect(outcomes['household-registration']!.map((e) => [e.type, e.data.reason])).to.deep.equal([['EvidenceUnavailable', 'no_match']]);
  });

  it('given two sources spelling the name differently, when fetched, then the evidence is recorded and the conflict flagged, not resolved', async () => {
    const { outcomes } = await runCase('name-conflict');
    const events = outcomes['household-registration']!;
    expect(events.map((e) => e.type)).to.deep.equal(['EvidenceReceived', 'EvidenceConflictFlagged']);
    const conflicts = events[1]!.data.conflicts as Array<{ field: string; values: Array<{ source: string }> }>;
    expect(conflicts.map((c) => c.field)).to.deep.equal(['name']);
    expect(conflicts[0]!.values.map((v) => v.source)).to.deep.equal(['PSB', 'base-library']);
  });

  it('given a record with padded text, when fetched, then it is cleansed before hashing and then agrees with the base library', async () => {
    const { outcomes } = await runCase('dirty-record');
    const events = outcomes['household-registration']!;
    expect(events.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
    const person = demoLibrary().persons.find((p) => p.citizenId === subjectId('dirty-record'))!;
    expect((events[0]!.data.fields as { name: string }).name).to.equal(person.name);
  });

  it('given an expired residence permit, when fetched, then it is received with a notExpired quality issue', async () => {
    const { outcomes } = await runCase('expired-residence-permit');
    const data = outcomes['residence-permit']![0]!.data as { qualityIssues: string[] };
    expect(data.qualityIssues.join(' ')).to.match(/validUntil expired on \d{4}-\d{2}-\d{2}/);
  });

  it('given a job whose requester the sharing rules do not allow, when run, then the case records it refused and the job fails for good', async () => {
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId('instant-approval'));
    const marriage = jobs.find((j) => j.materialId === 'marriage')!;
    await enqueue({ ...marriage, requester: 'TAX', purpose: { ...marriage.purpose, serviceId: 'tax-clearance-certificate' } });
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => !!o.marriage, 'refusal');
    expect(outcomes.marriage!.map((e) => [e.type, e.data.reason])).to.deep.equal([['EvidenceUnavailable', 'refused']]);
  });

  it('given a finished job, when the same job is delivered again, then the case still holds one outcome', async () => {
    const { caseId, outcomes } = await runCase('homeowner');
    const before = outcomes.property!.length;
    const state = await world.cases.handler.load(caseId);
    const job = {
      caseId,
      materialId: 'property',
      dataItem: 'property-ownership',
      provider: 'NRB',
      fields: ['propertiesOwned'],
      subject: state.context.applicant!,
      purpose: { caseId, serviceId: 'public-rental-housing', legalBasis: state.definition.legalBasis },
      requester: 'HOUSING',
    };
    // Forget the finished id so the queue really delivers the job a second time.
    await world.queue.remove(evidenceQueueFor('NRB'), evidenceJobId(caseId, 'property'));
    const jobId = evidenceJobId(caseId, 'property');
    const runs = () => processed.filter((p) => p.jobId === jobId).length;
    expect(runs()).to.equal(1);
    await enqueue(job);
    await eventually(async () => runs(), (n) => n === 2, 'the redelivered job to run');
    expect(processed.filter((p) => p.jobId === jobId).map((p) => p.outcome)).to.deep.equal(['found', 'found']);
    expect((await world.cases.outcomes(caseId)).property!.length).to.equal(before);
  });
});
