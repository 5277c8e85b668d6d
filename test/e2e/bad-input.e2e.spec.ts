import { expect } from 'chai';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/** Every bad request gets a problem+json answer that says what was wrong, never a 5xx, and writes nothing. */
describe('bad input over HTTP gets clear problems and writes nothing', function () {
  this.timeout(60_000);
  let errand: RunningErrand;
  let citizen: string;
  let otherCitizen: string;
  let clerk: string;
  let caseId: string;

  const streamLength = async () => (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).length;
  const problem = (response: { status: number; headers: Headers; body: Record<string, unknown> }, status: number, detail: RegExp) => {
    expect(response.status, JSON.stringify(response.body)).to.equal(status);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(String(response.body.detail ?? '') + JSON.stringify(response.body.errors ?? '')).to.match(detail);
    expect(JSON.stringify(response.body)).to.not.match(/at .+\.ts:\d+/);
  };

  before(async () => {
    errand = await startErrand('bad-input');
    citizen = await errand.signIn('citizen-instant-approval');
    otherCitizen = await errand.signIn('citizen-address-conflict');
    clerk = await errand.signIn('clerk-psb');
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    caseId = String(created.body.caseId);
  });
  after(async () => errand?.stop());

  it('400: a body missing fields or with unknown ones names each', async () => {
    problem(await errand.api(citizen, 'POST', '/cases', { form: {}, colour: 'red' }), 400, /serviceId[\s\S]*colour|colour[\s\S]*serviceId/);
  });

  it('400: malformed JSON and a malformed Idempotency-Key', async () => {
    const response = await fetch(`${errand.baseUrl}/api/v1/cases`, { method: 'POST', headers: { Authorization: `Bearer ${citizen}`, 'Content-Type': 'application/json' }, body: '{"serviceId": ' });
    expect(response.status).to.equal(400);
    problem(await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'has spaces!' }), 400, /Idempotency-Key/);
  });

  it('401: no token, a forged token, an expired-looking token', async () => {
    problem(await errand.api(null, 'GET', '/cases'), 401, /token|authori/i);
    const [header, payload] = citizen.split('.');
    problem(await errand.api(`${header}.${payload}.AAAA`, 'GET', '/cases'), 401, /signature|token/i);
    problem(await errand.api('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'GET', '/cases'), 401, /token|alg/i);
  });

  it('403: a clerk on a citizen-only route; a citizen on the work queue', async () => {
    problem(await errand.api(clerk, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }), 403, /.+/);
    problem(await errand.api(citizen, 'GET', '/work-queue'), 403, /.+/);
  });

  it('404: another citizen\'s case, an unknown case and an unknown service, without leaking existence', async () => {
    const before = await streamLength();
    problem(await errand.api(otherCitizen, 'GET', `/cases/${caseId}`), 404, /not found/);
    problem(await errand.api(otherCitizen, 'POST', `/cases/${caseId}/withdraw`, {}), 404, /not found/);
    // The case is a draft: its applicant's alone, so the department's clerk is told no more than a stranger.
    const clerkOnDraft = await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {});
    problem(clerkOnDraft, 404, /not found/);
    expect(clerkOnDraft.body).to.not.have.property('state');
    problem(await errand.api(citizen, 'GET', '/cases/00000000-0000-4000-8000-000000000000'), 404, /not found/);
    problem(await errand.api(citizen, 'POST', '/cases', { serviceId: 'moon-landing-permit', form: {} }), 404, /moon-landing-permit/);
    expect(await streamLength()).to.equal(before);
  });

  it('409: a command the state does not allow names the state and the commands this caller may issue now', async () => {
    const before = await streamLength();
    const rating = await errand.api(citizen, 'POST', `/cases/${caseId}/rating`, { score: 5 });
    problem(rating, 409, /command "RateCase" is not allowed while the case is in state "draft"; allowed now: .*SubmitApplication/);
    expect(rating.body).to.have.property('state', 'draft');
    expect(await streamLength()).to.equal(before);
  });

  it('413 and 415: an oversized upload and an upload sent as JSON', async () => {
    const before = await streamLength();
    problem(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, Buffer.alloc(2_200_000, 1), { 'Content-Type': 'image/jpeg' }), 413, /2097152/);
    problem(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, { file: 'x' }), 415, /media type/);
    expect(await streamLength()).to.equal(before);
  });

  it('422: a form that misses required fields, and an upload of the wrong type, say exactly what is wrong', async () => {
    problem(await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: { phone: '1' } }), 422, /residenceAddress/);
    const before = await streamLength();
    problem(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, Buffer.from('GIF89a'), { 'Content-Type': 'image/gif' }), 422, /image\/jpeg, image\/png, not image\/gif/);
    expect(await streamLength()).to.equal(before);
  });

  it('422: a phone of letters and a residence start date in the future are refused, each named by field and code; nothing is drafted', async () => {
    const response = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: { ...FORM, phone: 'abc', residenceSince: '2030-01-01' } });
    problem(response, 422, /phone/);
    const errors = (response.body.errors ?? []) as Array<{ path: string; code: string; limit?: string }>;
    expect(errors.map((e) => [e.path, e.code])).to.deep.equal([['/body/form/residenceSince', 'future'], ['/body/form/phone', 'phone']]);
    expect(errors[0]!.limit).to.match(/^\d{4}-\d{2}-\d{2}$/);
    const draft = await errand.api(citizen, 'PUT', `/cases/${caseId}/form`, { form: { ...FORM, phone: '0755-8600' } });
    problem(draft, 422, /phone/);
    expect((draft.body.errors as Array<{ path: string }>).map((e) => e.path)).to.deep.equal(['/body/form/phone']);
  });

  it('415: a JSON route given form data', async () => {
    const response = await fetch(`${errand.baseUrl}/api/v1/cases`, { method: 'POST', headers: { Authorization: `Bearer ${citizen}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'serviceId=x' });
    expect(response.status).to.equal(415);
  });
});
