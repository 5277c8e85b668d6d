import { expect } from 'chai';
import { validateAgainstOpenApi } from '../../api/openapi/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const PDF = Buffer.from('%PDF-1.4\n% floor plan\n%%EOF\n');
const REVISED = Buffer.from('%PDF-1.4\n% floor plan, wider exits\n%%EOF\n');
const FORM = { shopName: '老街面馆', premisesAddress: '深圳市罗湖区东门路8号', floorArea: 120, seats: 40 };
type Json = Record<string, unknown>;

describe('joint review with vetoes over HTTP (PostgreSQL, Redis): FIRE and HEALTH must consent by law, HOUSING advises', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let openapi: Record<string, unknown>;
  let enterprise: string;
  let amr: string;
  const clerks: Record<string, string> = {};
  let caseId: string;

  const caseView = (token: string, predicate: (view: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}?actions=true`);
      return response.status === 200 && predicate(response.body) ? response.body : null;
    }, 40_000);
  const inQueue = (department: string) =>
    until(`the case in the ${department} co-reviewer queue`, async () => {
      const queue = await errand.api(clerks[department]!, 'GET', '/work-queue?role=co-reviewer');
      return (queue.body.items as Json[]).some((i) => i.caseId === caseId && i.action === 'opinion') ? queue : null;
    }, 40_000);
  const opinion = (department: string, value: 'approve' | 'deny', comment: string) => errand.api(clerks[department]!, 'POST', `/cases/${caseId}/opinion`, { opinion: value, comment });

  before(async () => {
    errand = await startErrand('joint-veto');
    openapi = await errand.openapi();
    enterprise = await errand.signIn('citizen-enterprise-active');
    amr = await errand.signIn('clerk-amr');
    for (const department of ['fire', 'health', 'housing']) clerks[department] = await errand.signIn(`clerk-${department}`);
  });
  after(async () => errand?.stop());

  it('a restaurant opening reaches joint review', async () => {
    const draft = await errand.api(enterprise, 'POST', '/cases', { serviceId: 'restaurant-opening', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    caseId = String(draft.body.caseId);
    expect((await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/floor-plan`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(enterprise, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    expect((await errand.api(amr, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    const gathered = await caseView(amr, (v) => v.status === 'review' || (v.materials as Record<string, Json>)['business-licence']?.status === 'upload_required', 'evidence settled or an upload asked for');
    if (gathered.status !== 'review') {
      expect((await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/business-licence`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
      await caseView(amr, (v) => v.status === 'review', 'review after the upload');
    }
    const started = await errand.api(amr, 'POST', `/cases/${caseId}/joint-review`, {});
    expect(started.body).to.include({ status: 'jointReview' });
    const view = await caseView(amr, (v) => v.jointReview !== null, 'the joint review in the view');
    expect((view.jointReview as Json).advisory).to.deep.equal(['HOUSING']);
  });

  it('FIRE vetoes; HOUSING\'s advisory "deny" is no veto; the lead cannot approve, only deny or send it back', async () => {
    await inQueue('fire');
    expect((await opinion('fire', 'deny', '安全出口宽度不足')).status).to.equal(200);
    await inQueue('health');
    expect((await opinion('health', 'approve', 'ok')).status).to.equal(200);
    await inQueue('housing');
    expect((await opinion('housing', 'deny', 'prefer another use of the premises')).status).to.equal(200);

    const approve = await errand.api(amr, 'POST', `/cases/${caseId}/approve`, { reasons: ['looks fine'] });
    expect(approve.status, JSON.stringify(approve.body)).to.equal(409);
    expect(approve.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(approve.body.allowedCommands).to.include.members(['DenyCase', 'RequestRevision']).and.not.include('ApproveCase');
    const again = await errand.api(clerks.fire!, 'POST', `/cases/${caseId}/opinion`, { opinion: 'approve', comment: 'changed my mind' });
    expect(again.status).to.equal(409);
    expect((again.body.allowedCommands as string[]).filter((c) => !['ClaimCase', 'AssignCase'].includes(c))).to.deep.equal([]);
  });

  it('the lead sends it back for a new floor plan; the applicant answers; FIRE revises and the lead approves over HOUSING\'s advice', async () => {
    const sentBack = await errand.api(amr, 'POST', `/cases/${caseId}/revision-request`, { items: [{ materialId: 'floor-plan', note: '请按消防意见加宽安全出口' }] });
    expect(sentBack.status, JSON.stringify(sentBack.body)).to.equal(200);
    expect(sentBack.body).to.include({ status: 'awaitingRevision' });
    const verdict = validateAgainstOpenApi(openapi as never, 'post', `/api/v1/cases/${caseId}/revision-request`, sentBack.status, sentBack.body);
    expect(verdict.errors).to.deep.equal([]);

    const early = await errand.api(enterprise, 'POST', `/cases/${caseId}/revision`, {});
    expect(early.status).to.equal(422);
    expect(String(early.body.detail)).to.match(/floor-plan/);
    expect((await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/floor-plan`, REVISED, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    const answered = await errand.api(enterprise, 'POST', `/cases/${caseId}/revision`, {});
    expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
    expect(answered.body).to.include({ status: 'jointReview' });

    await inQueue('fire');
    const revised = await opinion('fire', 'approve', '已整改');
    expect(revised.status, JSON.stringify(revised.body)).to.equal(200);
    const approved = await errand.api(amr, 'POST', `/cases/${caseId}/approve`, { reasons: ['FIRE consents after the revision'] });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect(approved.body).to.include({ status: 'approved' });
    const view = await caseView(enterprise, (v) => v.status === 'approved', 'the approval in the view');
    const opinions = (view.jointReview as { opinions: Record<string, { opinion: string }> }).opinions;
    expect(opinions.FIRE).to.include({ opinion: 'approve' });
    expect(opinions.HOUSING).to.include({ opinion: 'deny' });
  });
});
