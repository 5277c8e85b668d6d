import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

type Entry = { type: string; facts: Record<string, unknown> };
type TrailEntry = { seq: number; at: string; eventType: string; streamId: string; revision: string; category: string };

/** What the clerk saw when deciding: If-Match recorded as seenRevision, and the case and its audit trail as of then. */
describe('what the clerk saw when deciding (seenRevision, audit asOf), over HTTP', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let clerk: string;
  let auditor: string;
  let caseId: string;
  /** The case as the clerk's screen showed it before each decision. */
  let beforeSupplement: Record<string, unknown>;
  let beforeAccept: Record<string, unknown>;

  const decide = async (path: string, seen: Record<string, unknown>, body: unknown) => {
    const response = await errand.api(clerk, 'POST', `/cases/${caseId}/${path}`, body, { 'If-Match': `"${String(seen.revision)}"` });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
  };

  before(async () => {
    errand = await startErrand('seen-revision');
    citizen = await errand.signIn('citizen-instant-approval');
    clerk = await errand.signIn('clerk-psb');
    auditor = await errand.signIn('auditor');
    caseId = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    beforeSupplement = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body;
    await decide('supplement-request', beforeSupplement, { items: [{ materialId: 'rental-contract', note: '请上传签字的租赁合同' }] });
    await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' });
    await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {});
    beforeAccept = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body;
    await decide('accept', beforeAccept, {});
  });
  after(async () => errand?.stop());

  it('given decisions sent with If-Match, then their timeline entries name the revision the clerk was looking at', async () => {
    const timeline = (await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.timeline as Entry[];
    expect(timeline.find((e) => e.type === 'SupplementRequested')!.facts.seenRevision).to.equal(beforeSupplement.revision);
    expect(timeline.find((e) => e.type === 'CaseAccepted')!.facts.seenRevision).to.equal(beforeAccept.revision);
    // The applicant's steps decide nothing, so nothing points at what they saw.
    expect(timeline.filter((e) => e.type === 'MaterialUploaded' || e.type === 'SupplementProvided').some((e) => 'seenRevision' in e.facts)).to.equal(false);
  });

  it('given a decision\'s seenRevision, when the case is read asOf it, then it is the case exactly as the clerk saw it', async () => {
    const timeline = (await errand.api(auditor, 'GET', `/cases/${caseId}`)).body.timeline as Entry[];
    for (const [type, seen] of [['SupplementRequested', beforeSupplement], ['CaseAccepted', beforeAccept]] as const) {
      const revision = String(timeline.find((e) => e.type === type)!.facts.seenRevision);
      const past = await errand.api(auditor, 'GET', `/cases/${caseId}?asOf=${revision}`);
      expect(past.status, JSON.stringify(past.body)).to.equal(200);
      expect(past.body).to.include({ revision: seen.revision, status: seen.status });
      expect(past.body.materials).to.deep.equal(seen.materials);
      expect((past.body.timeline as Entry[]).map((e) => e.type)).to.deep.equal((seen.timeline as Entry[]).map((e) => e.type));
    }
  });

  it('given the audit trail asOf the revision a clerk saw, then it ends at that revision\'s event: later events and data uses are left out', async () => {
    const full = await until('the accept in the audit trail', async () => {
      const response = await errand.api(auditor, 'GET', `/audit/cases/${caseId}?pageSize=200`);
      return response.status === 200 && (response.body.items as TrailEntry[]).some((e) => e.eventType === 'CaseAccepted') ? (response.body.items as TrailEntry[]) : null;
    });
    const seen = String(beforeAccept.revision);
    const cutEntry = full.find((e) => e.category === 'case' && e.revision === seen)!;
    const past = await errand.api(auditor, 'GET', `/audit/cases/${caseId}?asOf=${seen}&pageSize=200`);
    expect(past.status, JSON.stringify(past.body)).to.equal(200);
    const items = past.body.items as TrailEntry[];
    expect(items.map((e) => e.seq)).to.deep.equal(full.filter((e) => e.seq <= cutEntry.seq).map((e) => e.seq));
    expect(past.body.total).to.equal(items.length);
    expect(items.at(-1)).to.include({ revision: seen, category: 'case' });
    expect(items.some((e) => e.eventType === 'CaseAccepted')).to.equal(false);
    // The clerk's read of the case before deciding is in; later data uses are not.
    expect(items.some((e) => e.category === 'data-access')).to.equal(true);
    expect(full.length).to.be.greaterThan(items.length);

    const byInstant = await errand.api(auditor, 'GET', `/audit/cases/${caseId}?asOf=${encodeURIComponent(cutEntry.at)}&pageSize=200`);
    expect(byInstant.status, JSON.stringify(byInstant.body)).to.equal(200);
    expect((byInstant.body.items as TrailEntry[]).map((e) => e.seq)).to.deep.equal(full.filter((e) => e.at <= cutEntry.at).map((e) => e.seq));
  });

  it('given an audit asOf that is not a past moment of this case, then the same 4xx problems as for the case view', async () => {
    const problem = async (query: string, status: number, detail: RegExp) => {
      const response = await errand.api(auditor, 'GET', `/audit/cases/${caseId}?${query}`);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).to.equal(status);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(String(response.body.detail)).to.match(detail);
    };
    await problem('asOf=yesterday', 400, /neither a revision .* nor an instant/);
    await problem('asOf=99999', 422, /does not exist yet/);
    await problem(`asOf=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`, 422, /in the future/);
    await problem('asOf=2001-01-01T00:00:00Z', 422, /did not exist yet/);
    await problem('at=3', 400, /at/);
    const unknown = await errand.api(auditor, 'GET', '/audit/cases/00000000-0000-4000-8000-000000000000?asOf=0');
    expect(unknown.status).to.equal(404);
  });
});
