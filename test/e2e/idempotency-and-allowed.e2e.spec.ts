import { expect } from 'chai';
import { validateAgainstOpenApi } from '../../api/openapi/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
/** Next steps only: claiming and assigning (clerk work) are offered to a department's clerks on any open case. */
const steps = (allowed: unknown) => (allowed as string[]).filter((c) => !['ClaimCase', 'ReleaseCase', 'AssignCase'].includes(c));
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

describe('Idempotency-Key scoped to the caller and the request, and who may do what next, over HTTP (PostgreSQL, Redis)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let alice: string;
  let bob: string;
  let clerk: string;
  let openapi: Record<string, unknown>;

  const conforms = (method: string, path: string, response: { status: number; body: unknown }) => {
    const verdict = validateAgainstOpenApi(openapi as never, method, path, response.status, response.body);
    expect(verdict.errors, `${method} ${path} ${response.status} against the OpenAPI document`).to.deep.equal([]);
  };
  const streamLength = async (caseId: string) => (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).length;

  before(async () => {
    errand = await startErrand('idempotency');
    alice = await errand.signIn('citizen-instant-approval');
    bob = await errand.signIn('citizen-homeowner');
    clerk = await errand.signIn('clerk-psb');
    openapi = await errand.openapi();
  });
  after(async () => errand?.stop());

  it('a key another citizen used first names nothing of theirs: each gets their own case, and a replay reveals only one\'s own', async () => {
    const squat = await errand.api(bob, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'shared-key-1' });
    expect(squat.status, JSON.stringify(squat.body)).to.equal(201);
    const mine = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'shared-key-1' });
    expect(mine.status, JSON.stringify(mine.body)).to.equal(201);
    expect(mine.body.replayed).to.equal(false);
    expect(mine.body.caseId).to.not.equal(squat.body.caseId);
    conforms('post', '/api/v1/cases', mine);
    const bobAgain = await errand.api(bob, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'shared-key-1' });
    expect(bobAgain.body).to.include({ caseId: squat.body.caseId, replayed: true });
    const aliceView = await errand.api(alice, 'GET', `/cases/${String(squat.body.caseId)}`);
    expect(aliceView.status).to.equal(404);
  });

  it('the same key with another payload answers 422 problem+json and records nothing; the original request still replays', async () => {
    const first = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'draft-key-2' });
    expect(first.status).to.equal(201);
    const caseId = String(first.body.caseId);
    const other = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: { ...FORM, phone: '13900139000' } }, { 'Idempotency-Key': 'draft-key-2' });
    expect(other.status, JSON.stringify(other.body)).to.equal(422);
    expect(other.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(String(other.body.type)).to.match(/idempotency-key-reused/);
    expect(String(other.body.detail)).to.match(/another request/);
    expect(JSON.stringify(other.body)).to.not.include(caseId);
    conforms('post', '/api/v1/cases', other);
    expect(await streamLength(caseId)).to.equal(1);
    const replay = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'draft-key-2' });
    expect(replay.body).to.include({ caseId, replayed: true });
  });

  it('the same key on another path (another command, another case) answers 422 and records nothing there', async () => {
    const a = String((await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    const b = String((await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    const withdrawn = await errand.api(alice, 'POST', `/cases/${a}/withdraw`, { reason: 'changed my mind' }, { 'Idempotency-Key': 'path-key-3' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    const otherReason = await errand.api(alice, 'POST', `/cases/${a}/withdraw`, { reason: 'found another flat' }, { 'Idempotency-Key': 'path-key-3' });
    expect(otherReason.status, JSON.stringify(otherReason.body)).to.equal(422);
    const retry = await errand.api(alice, 'POST', `/cases/${a}/withdraw`, { reason: 'changed my mind' }, { 'Idempotency-Key': 'path-key-3' });
    expect(retry.body).to.include({ replayed: true, status: 'withdrawn' });
    const elsewhere = await errand.api(alice, 'POST', `/cases/${b}/withdraw`, { reason: 'changed my mind' }, { 'Idempotency-Key': 'path-key-3' });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).to.equal(422);
    expect(await streamLength(b)).to.equal(1);
    const onCreate = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM }, { 'Idempotency-Key': 'path-key-3' });
    expect(onCreate.status).to.equal(422);
  });

  it('the clerk is offered only clerk commands, and a second supplement notice answers 409 naming what this clerk may do', async () => {
    const draft = await errand.api(alice, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(alice, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(alice, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const notice = await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note: '请上传租赁合同' }] });
    expect(notice.status, JSON.stringify(notice.body)).to.equal(200);
    expect(steps(notice.body.allowed)).to.deep.equal(['NotAcceptCase']);
    expect((await errand.api(alice, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    const answered = await errand.api(alice, 'POST', `/cases/${caseId}/supplement`, {});
    expect(answered.body.allowed).to.include('WithdrawApplication').and.not.include.members(['AcceptCase', 'RequestSupplement']);

    const again = await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note: 'again' }] });
    expect(again.status, JSON.stringify(again.body)).to.equal(409);
    expect(again.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(again.body).to.include({ state: 'submitted', command: 'RequestSupplement' });
    expect(steps(again.body.allowedCommands)).to.have.members(['AcceptCase', 'NotAcceptCase']);
    conforms('post', `/api/v1/cases/${caseId}/supplement-request`, again);
    const clerkView = await until('the case view', async () => {
      const response = await errand.api(clerk, 'GET', `/cases/${caseId}?actions=true`);
      return response.status === 200 ? response : null;
    });
    expect(steps(clerkView.body.allowed)).to.have.members(['AcceptCase', 'NotAcceptCase']);
  });
});
