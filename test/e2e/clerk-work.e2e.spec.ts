import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const FORM = { shopName: '老街面馆', premisesAddress: '深圳市罗湖区东门路8号', floorArea: 120, seats: 40 };
const PDF = Buffer.from('%PDF-1.4\n% floor plan\n%%EOF\n');
type Json = Record<string, unknown>;

describe('clerk work, department statistics and bundles over HTTP (PostgreSQL, Redis)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let enterprise: string;
  let amr: string;
  let fire: string;
  let caseId: string;

  const queueItem = (token: string, query: string, predicate: (item: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/work-queue${query}`);
      return (response.body.items as Json[] | undefined)?.find((i) => i.caseId === caseId && predicate(i)) ?? null;
    }, 40_000);

  before(async () => {
    errand = await startErrand('clerk-work');
    enterprise = await errand.signIn('citizen-enterprise-active');
    amr = await errand.signIn('clerk-amr');
    fire = await errand.signIn('clerk-fire');
    const draft = await errand.api(enterprise, 'POST', '/cases', { serviceId: 'restaurant-opening', form: FORM });
    caseId = String(draft.body.caseId);
    await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/floor-plan`, PDF, { 'Content-Type': 'application/pdf' });
    expect((await errand.api(enterprise, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
  });
  after(async () => errand?.stop());

  it('an AMR clerk claims the case: the work item names the holder; another department cannot claim it; claiming twice is 409', async () => {
    expect((await queueItem(amr, '', () => true, 'the case in the AMR queue')).heldBy).to.equal(null);
    const claimed = await errand.api(amr, 'POST', `/cases/${caseId}/claim`, {});
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(200);
    expect(claimed.body).to.include({ status: 'submitted' });
    expect(claimed.body.events).to.deep.equal(['CaseClaimed']);
    expect(claimed.body.allowed).to.include('ReleaseCase').and.not.include('ClaimCase');
    await queueItem(amr, '?heldBy=clerk-amr', (i) => i.heldBy === 'clerk-amr', 'the holder on the work item');
    expect((await errand.api(amr, 'POST', `/cases/${caseId}/claim`, {})).status).to.equal(409);
    const outsider = await errand.api(await errand.signIn('clerk-psb'), 'POST', `/cases/${caseId}/claim`, {});
    expect(outsider.status).to.equal(404);
  });

  it('the supervisor (approver) assigns it to a colleague, who then holds it; the holder releases it', async () => {
    const assigned = await errand.api(amr, 'POST', `/cases/${caseId}/assignment`, { assignee: 'clerk-amr-2' });
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    await queueItem(amr, '', (i) => i.heldBy === 'clerk-amr-2', 'the assignee on the work item');
    const view = await until('the holder in the case view', async () => {
      const response = await errand.api(amr, 'GET', `/cases/${caseId}`);
      return (response.body.holders as Json | undefined)?.AMR === 'clerk-amr-2' ? response : null;
    });
    expect((view.body.timeline as Array<{ summary: string }>).some((e) => /Assigned to clerk-amr-2 \(AMR\) by clerk-amr/.test(e.summary))).to.equal(true);
    const released = await errand.api(amr, 'POST', `/cases/${caseId}/release`, {});
    expect(released.status, JSON.stringify(released.body)).to.equal(200);
    await queueItem(amr, '', (i) => i.heldBy === null, 'the released work item');
    expect((await errand.api(fire, 'POST', `/cases/${caseId}/release`, {})).status).to.equal(422);
  });

  it('statistics for one department list that department\'s services', async () => {
    const auditor = await errand.signIn('auditor');
    const stats = await until('AMR statistics', async () => {
      const response = await errand.api(auditor, 'GET', '/statistics?department=AMR');
      return (response.body.services as Json[]).length > 0 ? response : null;
    });
    const services = stats.body.services as Json[];
    expect(services.map((s) => s.id)).to.include('restaurant-opening');
    expect(services.every((s) => s.department === 'AMR')).to.equal(true);
    expect((stats.body.departments as Json[]).map((d) => d.id)).to.deep.equal(['dept-AMR']);
    const psb = await errand.api(auditor, 'GET', '/statistics?department=PSB');
    expect((psb.body.services as Json[]).map((s) => s.id)).to.not.include('restaurant-opening');
  });

  it('an unknown bundle answers 404 problem+json', async () => {
    const response = await errand.api(enterprise, 'POST', '/bundles/no-such-bundle/applications', { forms: {} });
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.match(/application\/problem\+json/);
  });
});
