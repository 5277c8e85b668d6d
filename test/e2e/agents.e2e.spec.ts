import { expect } from 'chai';
import { demoLibrary, startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
const subjectId = (key: string) => demoLibrary().subjects.find((s) => s.key === key)!.subject.id;

describe('agents over HTTP: a legal representative applies for the enterprise, an authorised person for another; both parties see the case; data use names the subject', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const enterprise = subjectId('enterprise-active');
  const representative = subjectId('legal-representative');

  const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}`);
      return response.status === 200 && predicate(response.body) ? response : null;
    }, 60_000);

  before(async () => {
    errand = await startErrand('agents-e2e');
  });
  after(async () => errand?.stop());

  it('the legal representative (per the legal-entity base data) applies for the company: the company is the applicant, the representative its agent; both see and list it; the company\'s data use names the company, never the agent', async () => {
    const agent = await errand.signIn('citizen-legal-representative');
    const company = await errand.signIn('citizen-enterprise-active');
    const stranger = await errand.signIn('citizen-homeowner');
    const draft = await errand.api(agent, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' }, onBehalfOf: { type: 'enterprise', id: enterprise, basis: 'legalRepresentative' } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    // The draft is the parties' alone: the company sees what its representative drafted; nobody else does.
    expect((await errand.api(company, 'GET', `/cases/${caseId}`)).status).to.equal(200);
    expect((await errand.api(stranger, 'GET', `/cases/${caseId}`)).status).to.equal(404);
    expect((await errand.api(agent, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    const done = await view(agent, caseId, (v) => v.status === 'closed', 'the certificate, by rule');
    expect(done.body.applicant).to.deep.equal({ type: 'enterprise', id: enterprise });
    expect(done.body.agent).to.deep.equal({ id: representative, basis: 'legalRepresentative' });
    expect(done.body.agentId).to.equal(representative);
    expect((await errand.api(company, 'GET', `/cases/${caseId}`)).body.status).to.equal('closed');

    for (const token of [agent, company]) {
      const listed = await until('the case in both lists', async () => {
        const list = await errand.api(token, 'GET', '/cases');
        return (list.body.items as Json[]).find((c) => c.caseId === caseId) ?? null;
      });
      expect(listed).to.include({ applicantId: enterprise, agentId: representative });
    }
    // The evidence was the company's: its data-use log has the fetch; the agent's has nothing of this case.
    const used = await until('the company\'s data use', async () => {
      const log = await errand.api(company, 'GET', '/me/data-use');
      return (log.body.items as Json[]).filter((u) => u.caseId === caseId).length >= 2 ? log : null;
    });
    expect((used.body.items as Json[]).filter((u) => u.caseId === caseId).every((u) => u.subjectId === enterprise)).to.equal(true);
    expect(JSON.stringify(used.body)).to.not.include(representative);
    const agentLog = await errand.api(agent, 'GET', '/me/data-use');
    expect((agentLog.body.items as Json[]).filter((u) => u.caseId === caseId)).to.deep.equal([]);
    // An auditor's reading of the case's trail shows who acted: the representative's own ID number among them, a
    // use of their data too, on their log.
    const auditor = await errand.signIn('auditor');
    const trail = await errand.api(auditor, 'GET', `/audit/cases/${caseId}`);
    expect(trail.status).to.equal(200);
    expect((trail.body.items as Json[]).some((e) => e.actorKind === 'citizen' && e.actorId === representative)).to.equal(true);
    const audited = await until('the audit reading on the representative\'s log', async () => {
      const log = await errand.api(agent, 'GET', '/me/data-use');
      return (log.body.items as Json[]).find((u) => u.caseId === caseId && u.channel === 'audit-trail') ?? null;
    });
    expect(audited).to.include({ subjectId: representative });
  });

  it('someone the base data does not name as the representative is refused (422) and nothing is drafted; nor may anyone act for themselves', async () => {
    const impostor = await errand.signIn('citizen-homeowner');
    const refused = await errand.api(impostor, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' }, onBehalfOf: { type: 'enterprise', id: enterprise, basis: 'legalRepresentative' } }, { 'Idempotency-Key': 'impostor-1' });
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(String(refused.body.detail)).to.include('does not name the applicant as the legal representative');
    const list = await errand.api(impostor, 'GET', '/cases');
    expect(list.body.items).to.deep.equal([]);
    const company = await errand.signIn('citizen-enterprise-active');
    const list2 = await errand.api(company, 'GET', '/cases?open=true');
    expect((list2.body.items as Json[]).filter((c) => c.agentId === subjectId('homeowner'))).to.deep.equal([]);
    const self = await errand.api(impostor, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf: { type: 'person', id: subjectId('homeowner'), basis: 'authorisation', authorisationId: '00000000-0000-4000-8000-000000000000' } });
    expect(self.status).to.equal(422);
    const wrongKind = await errand.api(impostor, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf: { type: 'person', id: subjectId('instant-approval'), basis: 'legalRepresentative' } });
    expect(wrongKind.status).to.equal(422);
  });

  it('a person authorises another for one service: the agent applies and pays for them; outside the service, after revocation, or by someone else, the authorisation does not hold', async () => {
    const grantor = await errand.signIn('citizen-instant-approval');
    const agent = await errand.signIn('citizen-parent-with-child');
    const other = await errand.signIn('citizen-homeowner');
    const granted = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: '2099-01-01' }, { 'Idempotency-Key': 'auth-1' });
    expect(granted.status, JSON.stringify(granted.body)).to.equal(422);
    const today = new Date().toISOString().slice(0, 10);
    const until30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ok = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: until30 }, { 'Idempotency-Key': 'auth-2' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body).to.deep.include({ agentId: subjectId('parent-with-child'), validUntil: until30, revokedOn: null });
    expect((ok.body.validFrom as string) >= today.slice(0, 8)).to.equal(true);
    const again = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: until30 }, { 'Idempotency-Key': 'auth-2' });
    expect(again.body.authorisationId).to.equal(ok.body.authorisationId);
    const authorisationId = String(ok.body.authorisationId);
    expect((await errand.api(agent, 'GET', `/me/authorisations/${authorisationId}`)).status).to.equal(200);
    expect((await errand.api(other, 'GET', `/me/authorisations/${authorisationId}`)).status).to.equal(404);

    const onBehalfOf = { type: 'person', id: subjectId('instant-approval'), basis: 'authorisation', authorisationId };
    const draft = await errand.api(agent, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    expect((await errand.api(agent, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    await view(grantor, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    const paid = await errand.api(agent, 'POST', `/cases/${caseId}/payment`, {});
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
    const closed = await view(grantor, caseId, (v) => v.status === 'closed', 'the certificate');
    expect(closed.body.agent).to.deep.equal({ id: subjectId('parent-with-child'), basis: 'authorisation', authorisationId });
    expect((closed.body.applicant as Json).id).to.equal(subjectId('instant-approval'));
    expect((await errand.api(other, 'GET', `/cases/${caseId}`)).status).to.equal(404);

    const outside = await errand.api(agent, 'POST', '/cases', { serviceId: 'residence-permit', form: { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' }, onBehalfOf });
    expect(outside.status).to.equal(422);
    expect(String(outside.body.detail)).to.include('does not cover residence-permit');
    const byOther = await errand.api(other, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf });
    expect(String(byOther.body.detail)).to.include('names another agent');
    expect((await errand.api(agent, 'POST', `/me/authorisations/${authorisationId}/revocation`, {})).status).to.equal(404);
    const revoked = await errand.api(grantor, 'POST', `/me/authorisations/${authorisationId}/revocation`, {});
    expect(revoked.status).to.equal(200);
    expect(revoked.body.revokedOn).to.be.a('string');
    const late = await errand.api(agent, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf });
    expect(late.status).to.equal(422);
    expect(String(late.body.detail)).to.include('revoked');
    // The case applied for before stays the agent's to see.
    expect((await errand.api(agent, 'GET', `/cases/${caseId}`)).status).to.equal(200);
  });

  it('once the grantor revokes (or the authorisation ends), the agent can no longer act on a case applied for with it (403, nothing recorded); the grantor still can', async () => {
    const grantor = await errand.signIn('citizen-instant-approval');
    const agent = await errand.signIn('citizen-parent-with-child');
    const until30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ok = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: until30 }, { 'Idempotency-Key': 'auth-revoked-later' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    const authorisationId = String(ok.body.authorisationId);
    const onBehalfOf = { type: 'person', id: subjectId('instant-approval'), basis: 'authorisation', authorisationId };
    const draft = await errand.api(agent, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    // While the authorisation holds, the agent edits the draft.
    expect((await errand.api(agent, 'PUT', `/cases/${caseId}/form`, { form: { purpose: '入学', copies: 2 } })).status).to.equal(200);
    expect((await errand.api(grantor, 'POST', `/me/authorisations/${authorisationId}/revocation`, {})).status).to.equal(200);
    const before = await errand.api(grantor, 'GET', `/cases/${caseId}`);
    for (const [method, path, body] of [['PUT', `/cases/${caseId}/form`, { form: { purpose: '入学', copies: 3 } }], ['POST', `/cases/${caseId}/submit`, {}], ['POST', `/cases/${caseId}/withdraw`, {}]] as const) {
      const refused = await errand.api(agent, method, path, body);
      expect(refused.status, `${method} ${path}: ${JSON.stringify(refused.body)}`).to.equal(403);
      expect(String(refused.body.detail)).to.include('revoked');
    }
    // Still shown the case, but offered nothing to do on it.
    const shown = await errand.api(agent, 'GET', `/cases/${caseId}?actions=true`);
    expect(shown.status).to.equal(200);
    expect(shown.body.allowed).to.deep.equal([]);
    const after = await errand.api(grantor, 'GET', `/cases/${caseId}`);
    expect(after.body.revision).to.equal(before.body.revision);
    expect(after.body.status).to.equal('draft');
    // The applicant is not bound by the agent's lapse.
    expect((await errand.api(grantor, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
  });

  it('two authorisations sent at once under one Idempotency-Key: the same request is recorded once and both are answered with it; a different one is refused, and the record is the one answered 201', async () => {
    const grantor = await errand.signIn('citizen-homeowner');
    const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const body = { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: until };
    const same = await Promise.all([1, 2, 3].map(() => errand.api(grantor, 'POST', '/me/authorisations', body, { 'Idempotency-Key': 'auth-race-same' })));
    expect(same.map((r) => r.status), JSON.stringify(same.map((r) => r.body))).to.deep.equal([201, 201, 201]);
    expect(new Set(same.map((r) => r.body.authorisationId)).size).to.equal(1);

    const other = { ...body, validUntil: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10) };
    const mixed = await Promise.all([body, other, body, other].map((b) => errand.api(grantor, 'POST', '/me/authorisations', b, { 'Idempotency-Key': 'auth-race-mixed' })));
    const created = mixed.filter((r) => r.status === 201);
    expect(mixed.every((r) => r.status === 201 || (r.status === 422 && (r.body as { type: string }).type.endsWith('idempotency-key-reused'))), JSON.stringify(mixed.map((r) => [r.status, r.body]))).to.equal(true);
    expect(new Set(created.map((r) => r.body.validUntil)).size, 'every 201 answers the one recorded request').to.equal(1);
    const stored = await errand.api(grantor, 'GET', `/me/authorisations/${String(created[0]!.body.authorisationId)}`);
    expect(stored.body.validUntil).to.equal(created[0]!.body.validUntil);
  });

  it('a revocation sent under the Idempotency-Key that created the authorisation is refused (422) and changes nothing; under its own key it revokes, and the answer is what is on record', async () => {
    const grantor = await errand.signIn('citizen-homeowner');
    const until = new Date(Date.now() + 25 * 86_400_000).toISOString().slice(0, 10);
    const created = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: [], validUntil: until }, { 'Idempotency-Key': 'auth-then-revoke' });
    expect(created.status).to.equal(201);
    const id = String(created.body.authorisationId);
    const reused = await errand.api(grantor, 'POST', `/me/authorisations/${id}/revocation`, {}, { 'Idempotency-Key': 'auth-then-revoke' });
    expect(reused.status, JSON.stringify(reused.body)).to.equal(422);
    expect((reused.body as { type: string }).type).to.match(/idempotency-key-reused$/);
    expect((await errand.api(grantor, 'GET', `/me/authorisations/${id}`)).body.revokedOn).to.equal(null);
    const revoked = await errand.api(grantor, 'POST', `/me/authorisations/${id}/revocation`, {}, { 'Idempotency-Key': 'revoke-own-key' });
    expect(revoked.status).to.equal(200);
    expect(revoked.body.revokedOn).to.be.a('string');
    expect((await errand.api(grantor, 'GET', `/me/authorisations/${id}`)).body.revokedOn).to.equal(revoked.body.revokedOn);
    const again = await errand.api(grantor, 'POST', `/me/authorisations/${id}/revocation`, {}, { 'Idempotency-Key': 'revoke-own-key' });
    expect(again.status).to.equal(200);
    expect(again.body.revokedOn).to.equal(revoked.body.revokedOn);
  });
});
