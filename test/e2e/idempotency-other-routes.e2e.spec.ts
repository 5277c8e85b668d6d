import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市南山区科技园3号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13700002222' };

/**
 * Routes outside the case command handler (legal holds, erasure requests, bundle applications) keep the same promises
 * a case command does: a retry under one Idempotency-Key is answered as the first time and records nothing twice,
 * another request under it is refused, and a refused request records nothing.
 */
describe('Idempotency-Key and refused input on the routes beside case commands, over HTTP (PostgreSQL, Redis)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let citizen: string;
  let admin: string;

  async function endedCase(): Promise<string> {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/withdraw`, { reason: '不再需要' })).status).to.equal(200);
    return caseId;
  }

  before(async () => {
    errand = await startErrand('idemother');
    citizen = await errand.signIn('citizen-instant-approval');
    admin = await errand.signIn('admin');
  });
  after(async () => errand?.stop());

  it('given a legal hold placed without a holdId under an Idempotency-Key, when the request is sent again with that key, then the same hold is answered and only one is on the case', async () => {
    const caseId = await endedCase();
    const body = { reason: 'investigation by the supervision commission', basis: 'Supervision Law art. 22' };
    const first = await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds`, body, { 'Idempotency-Key': 'hold-key-1' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const again = await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds`, body, { 'Idempotency-Key': 'hold-key-1' });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body.holdId).to.equal(first.body.holdId);
    const placed = (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).filter((e) => e.type === 'LegalHoldPlaced');
    expect(placed.map((e) => e.data.holdId)).to.deep.equal([first.body.holdId]);
  });

  it('given a legal hold placed and lifted under Idempotency-Keys, when either is sent again, then it answers as the first time and nothing more is recorded; with another reason or on another case, 422', async () => {
    const caseId = await endedCase();
    const otherCase = await endedCase();
    const body = { holdId: 'appeal-7', reason: 'an appeal is pending', basis: 'Administrative Reconsideration Law art. 42' };
    const holdsOf = async (id: string) => (await errand.engine.stores.eventStore.readStream(`case-${id}`)).map((e) => e.type).filter((t) => t.startsWith('LegalHold'));
    expect((await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds`, body, { 'Idempotency-Key': 'hold-place-7' })).status).to.equal(201);
    const reused = await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds`, { ...body, reason: 'another reason' }, { 'Idempotency-Key': 'hold-place-7' });
    expect(reused.status).to.equal(422);
    expect((reused.body as { type: string }).type).to.match(/idempotency-key-reused$/);
    expect((await errand.api(admin, 'POST', `/admin/cases/${otherCase}/legal-holds`, body, { 'Idempotency-Key': 'hold-place-7' })).status).to.equal(422);
    expect(await holdsOf(otherCase)).to.deep.equal([]);
    const lift = { reason: 'the appeal was decided' };
    expect((await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds/appeal-7/lift`, lift, { 'Idempotency-Key': 'hold-lift-7' })).status).to.equal(200);
    const liftAgain = await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds/appeal-7/lift`, lift, { 'Idempotency-Key': 'hold-lift-7' });
    expect(liftAgain.status, JSON.stringify(liftAgain.body)).to.equal(200);
    // A retry of the placing after the lift must not place the hold again (no one would know to lift it).
    const placeAgain = await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds`, body, { 'Idempotency-Key': 'hold-place-7' });
    expect(placeAgain.status).to.equal(201);
    expect(await holdsOf(caseId)).to.deep.equal(['LegalHoldPlaced', 'LegalHoldLifted']);
    // A refused request records nothing under its key: the key is still free for the request meant.
    const unknownCase = '00000000-0000-4000-8000-000000000000';
    expect((await errand.api(admin, 'POST', `/admin/cases/${unknownCase}/legal-holds`, body, { 'Idempotency-Key': 'hold-first-refused' })).status).to.equal(404);
    expect((await errand.api(admin, 'POST', `/admin/cases/${caseId}/legal-holds/appeal-7/lift`, lift, { 'Idempotency-Key': 'hold-first-refused-2' })).status).to.equal(409);
    expect((await errand.api(admin, 'POST', `/admin/cases/${otherCase}/legal-holds`, body, { 'Idempotency-Key': 'hold-first-refused' })).status).to.equal(201);
    expect((await errand.api(admin, 'POST', `/admin/cases/${otherCase}/legal-holds/appeal-7/lift`, lift, { 'Idempotency-Key': 'hold-first-refused-2' })).status).to.equal(200);
  });

  it('given an erasure request recorded under an Idempotency-Key, when the key is sent with other cases or another reason, then 422 idempotency-key-reused, and the original request still replays', async () => {
    const a = await endedCase();
    const b = await endedCase();
    const first = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [a], reason: '请删除这个办件' }, { 'Idempotency-Key': 'erase-key-1' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const otherCases = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [b], reason: '请删除这个办件' }, { 'Idempotency-Key': 'erase-key-1' });
    expect(otherCases.status, JSON.stringify(otherCases.body)).to.equal(422);
    expect(String(otherCases.body.type)).to.match(/idempotency-key-reused/);
    const otherReason = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [a], reason: '另一个理由' }, { 'Idempotency-Key': 'erase-key-1' });
    expect(otherReason.status, JSON.stringify(otherReason.body)).to.equal(422);
    const retry = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [a], reason: '请删除这个办件' }, { 'Idempotency-Key': 'erase-key-1' });
    expect(retry.body).to.deep.equal({ requestId: first.body.requestId, replayed: true });
  });

  it('given a bundle application whose last member\'s form is invalid, when it is sent, then 422 and no member case is drafted', async () => {
    const parent = await errand.signIn('citizen-parent-with-child');
    const forms = {
      'birth-medical-certificate': { relation: '父亲' },
      'newborn-household-registration': { childEthnicity: '汉族', registerWith: 'father' },
      'newborn-medical-insurance': { bankAccount: '6'.repeat(31) },
    };
    const refused = await errand.api(parent, 'POST', '/bundles/newborn/applications', { form: { childName: '小明' }, forms });
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    const valid = { ...forms, 'newborn-medical-insurance': {} };
    const created = await errand.api(parent, 'POST', '/bundles/newborn/applications', { form: { childName: '小明' }, forms: valid });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const mine = (created.body.cases as Array<{ caseId: string }>).map((c) => c.caseId);
    // Projections apply the log in order: once the later application's cases are listed, an earlier draft would be too.
    const listed = await until('the application listed', async () => {
      const response = await errand.api(parent, 'GET', '/cases?pageSize=100');
      const items = response.body.items as Array<{ caseId: string }>;
      return mine.every((id) => items.some((i) => i.caseId === id)) ? items : null;
    });
    expect(listed.map((i) => i.caseId)).to.have.members(mine);
  });

  it('given catalogue changes under Idempotency-Keys, when a key is sent again with another definition or on another route, then 422 and nothing changes; the same request sent again is answered as the first time', async () => {
    const reviewer = await errand.signIn('admin-reviewer');
    const current = (await errand.api(null, 'GET', '/services/individual-business-licence')).body as Record<string, unknown> & { version: number; limits: Record<string, unknown> };
    const path = '/admin/catalogue/services/individual-business-licence';
    const next = { ...current, version: current.version + 1, limits: { ...current.limits, promisedDays: Math.max(1, Number(current.limits.promisedDays) - 1) } };
    const draft = await errand.api(admin, 'PUT', `${path}/draft`, next, { 'Idempotency-Key': 'cat-draft-1' });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    const edited = { ...next, limits: { ...next.limits, promisedDays: Number(next.limits.promisedDays) + 1 } };
    const sameKeyOtherBody = await errand.api(admin, 'PUT', `${path}/draft`, edited, { 'Idempotency-Key': 'cat-draft-1' });
    expect(sameKeyOtherBody.status, JSON.stringify(sameKeyOtherBody.body)).to.equal(422);
    expect(String(sameKeyOtherBody.body.type)).to.match(/idempotency-key-reused/);
    expect((await errand.api(admin, 'PUT', `${path}/draft`, next, { 'Idempotency-Key': 'cat-draft-1' })).body).to.include({ status: 'draft', version: next.version });

    const version = `${path}/versions/${next.version}`;
    const approved = await errand.api(reviewer, 'POST', `${version}/approve`, {}, { 'Idempotency-Key': 'cat-approve-1' });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    const approvedAgain = await errand.api(reviewer, 'POST', `${version}/approve`, {}, { 'Idempotency-Key': 'cat-approve-1' });
    expect(approvedAgain.status, JSON.stringify(approvedAgain.body)).to.equal(200);
    expect(approvedAgain.body).to.include({ status: 'approved', version: next.version });
    const dryRunUnderApprovalKey = await errand.api(reviewer, 'POST', `${version}/dry-run`, {}, { 'Idempotency-Key': 'cat-approve-1' });
    expect(dryRunUnderApprovalKey.status, JSON.stringify(dryRunUnderApprovalKey.body)).to.equal(422);

    expect((await errand.api(reviewer, 'POST', `${version}/dry-run`, {}, { 'Idempotency-Key': 'cat-dry-run-1' })).status).to.equal(200);
    const published = await errand.api(reviewer, 'POST', `${version}/publish`, {}, { 'Idempotency-Key': 'cat-publish-1' });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    const publishedAgain = await errand.api(reviewer, 'POST', `${version}/publish`, {}, { 'Idempotency-Key': 'cat-publish-1' });
    expect(publishedAgain.status, JSON.stringify(publishedAgain.body)).to.equal(200);
    expect(publishedAgain.body).to.include({ status: 'published', version: next.version });
    const audit = (await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=service&id=individual-business-licence')).body.items as Array<{ action: string }>;
    expect(audit.map((entry) => entry.action)).to.deep.equal(['draft-saved', 'approved', 'dry-run', 'published']);
  });
});
