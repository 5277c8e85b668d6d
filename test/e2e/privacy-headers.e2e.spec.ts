import { expect } from 'chai';
import { accessStream } from '../../domain/access/events.ts';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const METRICS_TOKEN = 'scrape-token-0123456789';

/** Personal data is never kept by a cache, a draft is the applicant's alone, and /metrics is not open to anyone. */
describe('personal data is not cached, drafts stay private, /metrics is guarded', function () {
  this.timeout(90_000);
  let errand: RunningErrand;
  let citizen: string;
  let clerk: string;
  let auditor: string;
  let caseId: string;

  before(async () => {
    errand = await startErrand('privacy', { env: { METRICS_TOKEN } });
    citizen = await errand.signIn('citizen-instant-approval');
    clerk = await errand.signIn('clerk-psb');
    auditor = await errand.signIn('auditor');
    caseId = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
  });
  after(async () => errand?.stop());

  it('given responses that carry personal data or a token, then each says Cache-Control: no-store', async () => {
    const signIn = await fetch(`${errand.baseUrl}/api/v1/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'citizen-instant-approval' }) });
    expect(signIn.headers.get('cache-control'), 'token').to.equal('no-store');
    const reads: Array<[string, string]> = [
      [citizen, `/cases/${caseId}`],
      [citizen, '/cases'],
      [citizen, '/me/data-use'],
      [citizen, `/cases/${caseId}/materials/photo/file`],
      [clerk, '/work-queue'],
      [auditor, `/audit/cases/${caseId}`],
      [citizen, '/cases/00000000-0000-4000-8000-000000000000'],
    ];
    for (const [token, path] of reads) {
      const response = await fetch(`${errand.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.headers.get('cache-control'), `${path} (${response.status})`).to.equal('no-store');
    }
  });

  it('given a draft, when the lead department\'s clerks send it a command (accept, claim, a stale If-Match), then 404 as for a read, naming no state or revision', async () => {
    const colleague = await errand.signIn('clerk-psb-2');
    const attempts: Array<[string, string, Record<string, string>]> = [
      [clerk, 'accept', {}],
      [clerk, 'not-accept', {}],
      [colleague, 'claim', {}],
      [clerk, 'accept', { 'If-Match': '"7"' }],
    ];
    for (const [token, action, headers] of attempts) {
      const body = action === 'not-accept' ? { reason: 'incomplete' } : {};
      const answer = await errand.api(token, 'POST', `/cases/${caseId}/${action}`, body, headers);
      expect(answer.status, `${action} ${JSON.stringify(headers)}`).to.equal(404);
      expect(answer.body).to.not.have.any.keys('state', 'currentRevision', 'allowedCommands');
    }
    expect((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.status).to.equal('draft');
  });

  it('given a draft, when the lead department\'s clerk or an auditor asks for it, then 404; once submitted, the clerk sees it', async () => {
    expect((await errand.api(clerk, 'GET', `/cases/${caseId}`)).status).to.equal(404);
    expect((await errand.api(auditor, 'GET', `/cases/${caseId}`)).status).to.equal(404);
    expect((await errand.api(clerk, 'GET', `/cases/${caseId}/materials/photo/file`)).status).to.equal(404);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    expect((await errand.api(clerk, 'GET', `/cases/${caseId}`)).status).to.equal(200);
  });

  it('given a clerk\'s page following a case (If-None-Match, with actions), when it has not moved, then 304 and nothing logged for the polls', async () => {
    const reads = async (subject: string) =>
      (await errand.engine.stores.eventStore.readStream(accessStream(errand.engine.stores.eventStore.subjectRef(subject)))).filter((e) => (e.data as { caseId?: string; channel?: string }).caseId === caseId && (e.data as { channel?: string }).channel === 'case-view').length;
    const first = await errand.api(clerk, 'GET', `/cases/${caseId}?actions=true`);
    expect(first.status).to.equal(200);
    const subject = (first.body.applicant as { id: string }).id;
    const afterVisit = await reads(subject);
    expect(afterVisit).to.be.greaterThan(0);
    const etag = first.headers.get('etag')!;
    for (let poll = 0; poll < 5; poll += 1) {
      const again = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}?actions=true`, { headers: { Authorization: `Bearer ${clerk}`, 'If-None-Match': etag } });
      expect(again.status).to.equal(304);
    }
    expect(await reads(subject)).to.equal(afterVisit);
  });

  it('given METRICS_TOKEN, when /metrics is scraped without it or with another, then 401; with it, the metrics', async () => {
    expect((await fetch(`${errand.baseUrl}/metrics`)).status).to.equal(401);
    expect((await fetch(`${errand.baseUrl}/metrics`, { headers: { Authorization: 'Bearer scrape-token-9876543210' } })).status).to.equal(401);
    expect((await fetch(`${errand.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${clerk}` } })).status).to.equal(401);
    const scraped = await fetch(`${errand.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).to.equal(200);
    expect(await scraped.text()).to.match(/^# HELP/m);
  });
});

describe('/metrics without a token, on PostgreSQL', function () {
  this.timeout(60_000);
  it('given neither METRICS_TOKEN nor METRICS_PORT outside the embedded default, when scraped, then 404', async () => {
    const errand = await startErrand('metrics-closed');
    try {
      const response = await fetch(`${errand.baseUrl}/metrics`);
      expect(response.status).to.equal(404);
      expect(String(((await response.json()) as { detail: string }).detail)).to.match(/METRICS_TOKEN or on METRICS_PORT/);
    } finally {
      await errand.stop();
    }
  });
});
