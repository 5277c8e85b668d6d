import { expect } from 'chai';
import { validateAgainstOpenApi } from '../../api/openapi/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { requireEnv } from '../support/skip.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

const mongoServer = requireEnv('MONGO_URL', 'the residence permit journey on a MongoDB read store');
const readStores = [{ name: 'PostgreSQL', mongoServer: undefined }, ...(mongoServer ? [{ name: 'MongoDB (MONGO_URL)', mongoServer }] : [])];

for (const readStore of readStores)
describe(`a residence permit from application to certificate, over HTTP (real PostgreSQL, Redis, BullMQ, gateways; read models on ${readStore.name})`, function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let citizen: string;
  let clerk: string;
  let openapi: Record<string, unknown>;
  let caseId: string;
  let revision: string;

  const conforms = (method: string, path: string, response: { status: number; body: unknown }) => {
    const verdict = validateAgainstOpenApi(openapi as never, method, path, response.status, response.body);
    expect(verdict.errors, `${method} ${path} ${response.status} against the OpenAPI document`).to.deep.equal([]);
  };

  before(async () => {
    errand = await startErrand('journey', { mongoServer: readStore.mongoServer, env: { METRICS_TOKEN: 'journey-metrics-token-01' } });
    expect(errand.engine.stores.readStore.kind).to.equal(readStore.mongoServer ? 'mongodb' : 'postgres');
    citizen = await errand.signIn('citizen-instant-approval');
    clerk = await errand.signIn('clerk-psb');
    openapi = await errand.openapi();
  });
  after(async () => errand?.stop());

  it('the citizen drafts an application; the same Idempotency-Key replays the same case', async () => {
    const first = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'journey-draft-1' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    conforms('post', '/api/v1/cases', first);
    caseId = String(first.body.caseId);
    const again = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'journey-draft-1' });
    expect(again.status).to.equal(201);
    expect(again.body).to.include({ caseId, replayed: true, revision: first.body.revision });
  });

  it('uploads the photo as the raw body and submits, asking Errand to fetch the home ownership record', async () => {
    const upload = await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' });
    expect(upload.status, JSON.stringify(upload.body)).to.equal(200);
    const submit = await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] });
    expect(submit.status).to.equal(200);
    expect(submit.body).to.include({ status: 'submitted' });
    // What the caller may do next, not what anyone may: the applicant can withdraw, only a clerk can accept.
    expect(submit.body.allowed).to.include('WithdrawApplication').and.not.include('AcceptCase');
    conforms('post', `/api/v1/cases/${caseId}/submit`, submit);
    revision = String(submit.body.revision);
  });

  it('the PSB clerk finds it in the work queue and asks once for the rental contract', async () => {
    const queue = await until('the case in the PSB work queue', async () => {
      const response = await errand.api(clerk, 'GET', '/work-queue');
      return (response.body.items as Array<{ caseId: string }>).some((i) => i.caseId === caseId) ? response : null;
    });
    conforms('get', '/api/v1/work-queue', queue);
    const request = await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note: '请上传签字的租赁合同' }] }, { 'If-Match': `"${revision}"` });
    expect(request.status, JSON.stringify(request.body)).to.equal(200);
    expect(request.body).to.include({ status: 'awaitingSupplement' });
    expect(request.body.allowed).to.not.include('WithdrawApplication');
  });

  it('the citizen uploads it and answers the notice; the clerk accepts and the evidence is fetched from PSB, HRSS and NRB', async () => {
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    const answered = await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {});
    expect(answered.body).to.include({ status: 'submitted' });
    const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect(accepted.body).to.include({ status: 'gatheringEvidence' });

    const view = await until('evidence gathered and the case in review', async () => {
      const response = await errand.api(clerk, 'GET', `/cases/${caseId}?actions=true`);
      return response.body.status === 'review' ? response : null;
    }, 40_000);
    conforms('get', `/api/v1/cases/${caseId}`, view);
    const evidence = view.body.evidence as Record<string, { provider: string; status: string; trustLevel: string; contentHash: string }>;
    expect(evidence['household-registration']).to.include({ provider: 'PSB', status: 'received', trustLevel: 'A' });
    expect(evidence['household-registration']!.contentHash).to.match(/^[a-f0-9]{64}$/);
    expect(evidence['social-insurance']).to.include({ provider: 'HRSS' });
    expect(evidence.housing).to.include({ provider: 'NRB' });
    expect(view.body.allowed).to.include('ApproveCase');
    revision = String(view.body.revision);
  });

  it('each caller is offered only its own commands, and an unchanged view answers 304 without being logged as a data use', async () => {
    const clerkView = await errand.api(clerk, 'GET', `/cases/${caseId}?actions=true`);
    expect(clerkView.body.allowed).to.include('ApproveCase').and.not.include('WithdrawApplication');
    const citizenView = await errand.api(citizen, 'GET', `/cases/${caseId}?actions=true`);
    expect(citizenView.body.allowed).to.include('WithdrawApplication').and.not.include('ApproveCase');
    const etag = String(clerkView.headers.get('etag'));
    const countClerkReads = async () => (await errand.engine.stores.eventStore.readStream('access-' + errand.engine.stores.eventStore.subjectRef(String((clerkView.body.applicant as { id: string }).id)))).length;
    const before = await countClerkReads();
    const unchanged = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}`, { headers: { Authorization: `Bearer ${clerk}`, 'If-None-Match': etag } });
    expect(unchanged.status).to.equal(304);
    expect(await countClerkReads()).to.equal(before);
    const catalogue = await errand.api(null, 'GET', '/data-catalogue');
    conforms('get', '/api/v1/data-catalogue', catalogue);
    expect((catalogue.body.items as Array<{ id: string; sharing: string }>).find((i) => i.id === 'criminal-record')).to.include({ sharing: 'not_shared' });
  });

  it('approval with a stale If-Match is refused with 409; with the current revision it is approved and certified', async () => {
    const stale = await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {}, { 'If-Match': '"1"' });
    expect(stale.status).to.equal(409);
    expect(stale.headers.get('content-type')).to.match(/application\/problem\+json/);
    const approved = await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, { reasons: ['all conditions met'] }, { 'If-Match': `"${revision}"` });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    const certified = await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {});
    expect(certified.body).to.include({ status: 'closed' });
  });

  it('the citizen sees the certificate and who used their data, and rates the service once', async () => {
    const view = await until('the certificate in the case view', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}`);
      return response.body.certificate ? response : null;
    });
    expect((view.body.certificate as { certificateNo: string }).certificateNo).to.match(/^.+-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}-[0-9A-HJKMNP-TV-Z]$/);
    const uses = await until('the data-use log', async () => {
      const response = await errand.api(citizen, 'GET', '/me/data-use');
      const items = response.body.items as Array<{ holder: string | null; channel: string; department: string | null }>;
      return items.some((i) => i.holder === 'PSB') && items.some((i) => i.channel === 'case-view') ? response : null;
    });
    conforms('get', '/api/v1/me/data-use', uses);
    const items = uses.body.items as Array<{ department: string | null; dataItem: string | null; fields: string[]; caseId: string }>;
    const fetched = items.find((i) => i.dataItem === 'household-registration');
    expect(fetched).to.include({ department: 'PSB', caseId });
    expect(JSON.stringify(items)).to.not.include(FORM.phone);
    const rated = await errand.api(citizen, 'POST', `/cases/${caseId}/rating`, { score: 5, comment: '很方便' });
    expect(rated.status).to.equal(200);
    const twice = await errand.api(citizen, 'POST', `/cases/${caseId}/rating`, { score: 1 });
    expect(twice.status).to.equal(409);
  });

  it('Prometheus metrics count the case transitions and report queue depth and projection lag', async () => {
    const text = await (await fetch(`${errand.baseUrl}/metrics`, { headers: { Authorization: 'Bearer journey-metrics-token-01' } })).text();
    expect(text).to.match(/errand_case_transitions_total\{service="residence-permit",from="submitted",to="awaitingSupplement"\} 1/);
    expect(text).to.match(/errand_case_transitions_total\{service="residence-permit",from="approved",to="closed"\} 1/);
    expect(text).to.match(/errand_queue_depth\{queue="evidence-PSB"\} \d+/);
    expect(text).to.match(/errand_projection_lag_seconds\{projection="case-view"\} [\d.e-]+/);
    expect(text).to.match(/http_requests_total\{method="POST",route="\/api\/v1\/cases\/:caseId\/accept",status="200"\} 1/);
  });

  it('an auditor sees the case trail with before -> after states and an intact hash chain', async () => {
    const auditor = await errand.signIn('auditor');
    const trail = await until('the audit trail', async () => {
      const response = await errand.api(auditor, 'GET', `/audit/cases/${caseId}`);
      return response.status === 200 && (response.body.items as Array<{ eventType: string }>).some((e) => e.eventType === 'CaseRated') ? response : null;
    });
    const entries = trail.body.items as Array<{ eventType: string; statusBefore: string | null; statusAfter: string | null; actorKind: string }>;
    expect(entries.find((e) => e.eventType === 'CaseAccepted')).to.include({ statusBefore: 'submitted', statusAfter: 'gatheringEvidence', actorKind: 'clerk' });
    const verdict = await errand.api(auditor, 'GET', '/audit/verify');
    expect(verdict.body).to.include({ ok: true });
    expect(verdict.body.checked as number).to.be.greaterThan(10);
  });

  it("the auditor's reading of the case trail shows in the applicant's data-use log, and in the trail itself", async () => {
    const auditor = await errand.signIn('auditor');
    expect((await errand.api(auditor, 'GET', `/audit/cases/${caseId}`)).status).to.equal(200);
    const use = await until('the trail reading in the data-use log', async () => {
      const items = (await errand.api(citizen, 'GET', '/me/data-use')).body.items as Array<{ channel: string; caseId: string | null; purpose: string; accessor?: { kind: string } }>;
      return items.find((i) => i.channel === 'audit-trail' && i.caseId === caseId) ?? null;
    });
    expect(use.purpose).to.equal('audit of case handling');
    const trail = await until('the reading in the trail', async () => {
      const response = await errand.api(auditor, 'GET', `/audit/cases/${caseId}?pageSize=200`);
      const entries = response.body.items as Array<{ category: string; actorKind: string; access: { channel: string } | null }>;
      return entries.find((e) => e.category === 'data-access' && e.access?.channel === 'audit-trail') ?? null;
    });
    expect(trail.actorKind).to.equal('auditor');
  });
});
