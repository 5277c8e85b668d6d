import { expect } from 'chai';
import { caseStream } from '../../domain/case/events.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

type Json = Record<string, unknown>;

/**
 * A case suspended (here for an inspection) while its evidence is still on its way: the departments' gateways answer
 * seconds after acceptance, by which time the clerk has suspended the case.
 */
describe('evidence arriving while the case is suspended, over HTTP (real PostgreSQL, Redis, BullMQ, slow gateways)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;

  before(async () => {
    errand = await startErrand('held-evidence', { gatewayDelayMs: 2000 });
  });
  after(async () => errand?.stop());

  it('given a case suspended right after acceptance, when the departments answer, then their evidence is recorded while suspended, a reconciling pass asks nothing again, and on resumption the case goes to review with it', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const caseId = String(created.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.body, JSON.stringify(accepted.body)).to.include({ status: 'gatheringEvidence' });
    const suspended = await errand.api(clerk, 'POST', `/cases/${caseId}/suspend`, { kind: 'inspection', reason: '现场核查' });
    expect(suspended.status, JSON.stringify(suspended.body)).to.equal(200);
    expect(suspended.body).to.include({ status: 'suspended' });

    const fetched = Object.entries((await errand.engine.commands.load(caseId)).context.materials).filter(([, m]) => m.status === 'fetching').map(([id]) => id);
    expect(fetched, 'evidence still on its way when the case was suspended').to.include('household-registration');
    const view = await until('every answer recorded while the case is suspended', async () => {
      const v = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body;
      const evidence = v.evidence as Record<string, Json>;
      return fetched.every((id) => evidence[id] && evidence[id].status !== 'requested') ? v : null;
    }, 30_000);
    expect(view.status).to.equal('suspended');
    expect((view.evidence as Record<string, Json>)['household-registration']).to.include({ status: 'received' });

    const state = await errand.engine.commands.load(caseId);
    expect(state.status).to.equal('suspended');
    expect(Object.values(state.context.materials).filter((m) => m.status === 'fetching'), 'nothing left to ask a department for').to.deep.equal([]);
    // A reconciling pass derives the jobs again from the case: with every answer recorded, no department is asked again.
    await errand.engine.reactor.resync();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const stream = await errand.engine.stores.eventStore.readStream(caseStream(caseId));
    const received = stream.filter((e) => e.type === 'EvidenceReceived' || e.type === 'EvidenceUnavailable').map((e) => String((e.data as { materialId: string }).materialId));
    expect(received.sort()).to.deep.equal([...fetched].sort());
    const suspendedAt = stream.findIndex((e) => e.type === 'CaseSuspended');
    expect(stream.findIndex((e) => e.type === 'EvidenceReceived'), 'recorded after the suspension').to.be.greaterThan(suspendedAt);

    const resumed = await errand.api(clerk, 'POST', `/cases/${caseId}/resume`, {});
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(200);
    expect(resumed.body).to.include({ status: 'review' });
  });
});
