import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/** GET /cases/{id}?asOf: the case exactly as it was after a revision or at an instant, folded from its events. */
describe('any case at any past moment (asOf), over HTTP', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let clerk: string;
  let caseId: string;
  /** What each command answered: the revision it produced and the status it left the case in. */
  const moments: Array<{ revision: string; status: string; after: string }> = [];
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

  const record = async (response: { status: number; body: Record<string, unknown> }) => {
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    await pause();
    moments.push({ revision: String(response.body.revision), status: String(response.body.status), after: new Date().toISOString() });
    await pause();
  };

  before(async () => {
    errand = await startErrand('time-travel');
    citizen = await errand.signIn('citizen-instant-approval');
    clerk = await errand.signIn('clerk-psb');
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    caseId = String(created.body.caseId);
    await record({ status: 200, body: created.body });
    await record(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' }));
    await record(await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] }));
    await record(await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note: '请上传签字的租赁合同' }] }));
    await record(await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' }));
    await record(await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {}));
    await record(await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {}));
    await until('evidence gathered and the case in review', async () => ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.status === 'review' ? true : null));
    await record(await errand.api(clerk, 'POST', `/cases/${caseId}/suspend`, { kind: 'inspection', reason: '现场核查' }));
    await record(await errand.api(clerk, 'POST', `/cases/${caseId}/resume`, {}));
  });
  after(async () => errand?.stop());

  it('given each revision a command produced, when read asOf that revision, then the view is at that revision in the status the command left; the draft revisions only for the applicant', async () => {
    expect(moments.map((m) => m.status)).to.include.members(['draft', 'awaitingSupplement', 'suspended']);
    for (const moment of moments) {
      if (moment.status === 'draft') {
        // Until submitted the case was the applicant's alone: the department does not read what it held then.
        const refused = await errand.api(clerk, 'GET', `/cases/${caseId}?asOf=${moment.revision}`);
        expect(refused.status, JSON.stringify(refused.body)).to.equal(404);
        expect(JSON.stringify(refused.body)).to.not.match(/residenceAddress|phone/);
      }
      const past = await errand.api(moment.status === 'draft' ? citizen : clerk, 'GET', `/cases/${caseId}?asOf=${moment.revision}`);
      expect(past.status, JSON.stringify(past.body)).to.equal(200);
      expect(past.body).to.include({ revision: moment.revision, status: moment.status });
      expect((past.body.timeline as unknown[]).length).to.equal(Number(moment.revision) + 1);
      expect((past.body.asOf as { revision: string }).revision).to.equal(moment.revision);
    }
  });

  it('given an instant between two commands, when read asOf that instant, then the view is the one the earlier command left', async () => {
    const suspended = moments.find((m) => m.status === 'suspended')!;
    const past = await errand.api(citizen, 'GET', `/cases/${caseId}?asOf=${encodeURIComponent(suspended.after)}`);
    expect(past.status, JSON.stringify(past.body)).to.equal(200);
    expect(past.body).to.include({ status: 'suspended', revision: suspended.revision });
    // Days left as they were then: the clock was stopped by the suspension.
    expect((past.body.daysLeft as { clockStopped: boolean }).clockStopped).to.equal(true);
    const now = await errand.api(citizen, 'GET', `/cases/${caseId}`);
    expect(now.body.status).to.not.equal('suspended');
  });

  it('given a moment that is not a past moment of this case, when asked for, then a clear 4xx problem and nothing else', async () => {
    const problem = async (query: string, status: number, detail: RegExp) => {
      const response = await errand.api(clerk, 'GET', `/cases/${caseId}?${query}`);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).to.equal(status);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(String(response.body.detail)).to.match(detail);
    };
    await problem('asOf=yesterday', 400, /neither a revision .* nor an instant/);
    await problem('asOf=99999', 422, /does not exist yet/);
    await problem(`asOf=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`, 422, /in the future/);
    await problem('asOf=2001-01-01T00:00:00Z', 422, /did not exist yet/);
    // Parameters that were silently ignored before are refused, so nobody mistakes the present for the past.
    await problem('at=3', 400, /at/);
    await problem('revision=3', 400, /revision/);
  });

  it('given a clerk reading a past view, then the read is logged as a use of the applicant\'s data, naming the revision', async () => {
    await errand.api(clerk, 'GET', `/cases/${caseId}?asOf=2`);
    await until('the past view in the data-use log', async () => {
      const uses = (await errand.api(citizen, 'GET', '/me/data-use?pageSize=100')).body.items as Array<{ purpose: string }>;
      return uses.some((u) => /as of revision 2\b/.test(u.purpose)) ? true : null;
    });
  });

  it('given a stranger, when asking for a past view, then 404 as for the present one', async () => {
    const stranger = await errand.signIn('citizen-address-conflict');
    expect((await errand.api(stranger, 'GET', `/cases/${caseId}?asOf=0`)).status).to.equal(404);
  });
});
