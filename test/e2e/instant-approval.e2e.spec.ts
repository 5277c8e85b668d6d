import { expect } from 'chai';
import { validateAgainstOpenApi } from '../../api/openapi/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF photo'), 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n% rental contract\n%%EOF\n');
const RESIDENCE_FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

for (const engine of ['PostgreSQL + Redis', 'the embedded default (PGlite, in-process queue)'] as const) {
  describe(`what the case does is what the law and the service say, over HTTP on ${engine}`, function () {
    this.timeout(180_000);
    let errand: RunningErrand;
    let openapi: Json;

    const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
      until(what, async () => {
        const response = await errand.api(token, 'GET', `/cases/${caseId}`);
        return response.status === 200 && predicate(response.body) ? response : null;
      }, 40_000);
    const conforms = (method: string, path: string, response: { status: number; body: unknown }) => {
      expect(validateAgainstOpenApi(openapi as never, method, path, response.status, response.body).errors, `${method} ${path}`).to.deep.equal([]);
    };
    const draftTaxClearance = async (token: string) => {
      const draft = await errand.api(token, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' } });
      expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
      return String(draft.body.caseId);
    };

    before(async () => {
      errand = await startErrand(engine.startsWith('PostgreSQL') ? 'instant-pg' : 'instant-embedded', { embedded: !engine.startsWith('PostgreSQL') });
      openapi = await errand.openapi();
    });
    after(async () => errand?.stop());

    it('秒批: a clean enterprise submits and gets its certificate with no clerk involved; the platform accepts it with a receipt', async () => {
      const citizen = await errand.signIn('citizen-enterprise-active');
      const caseId = await draftTaxClearance(citizen);
      const submitted = await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
      expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
      const done = await view(citizen, caseId, (v) => v.certificate !== null && v.status === 'closed', 'the certificate, issued by rule');
      conforms('get', `/api/v1/cases/${caseId}`, done);
      const body = done.body;
      expect(body.decision).to.include({ outcome: 'approved', by: 'rule' });
      expect(String(body.receiptNo)).to.match(/^R-\d{8}-/);
      expect(body.deemedAccepted).to.equal(false);
      const timeline = body.timeline as Array<{ type: string; by: string }>;
      // No clerk anywhere: the platform accepted it, the evidence worker fetched, the rule decided.
      expect(timeline.filter((t) => t.by.startsWith('clerk'))).to.deep.equal([]);
      expect(timeline.find((t) => t.type === 'CaseAccepted')).to.include({ by: 'system' });
      expect(timeline.map((t) => t.type)).to.include.members(['CaseAccepted', 'EvidenceRequested', 'CaseApproved', 'CertificateIssued', 'CaseClosed']);
    });

    it('a conflict on the very field the rule tests (registration active at AMR, revoked in the base library) never ends in automatic approval: a TAX clerk gets it with the reason', async () => {
      const citizen = await errand.signIn('citizen-enterprise-status-conflict');
      const clerk = await errand.signIn('clerk-tax');
      const caseId = await draftTaxClearance(citizen);
      expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
      const held = await view(clerk, caseId, (v) => v.instantApproval !== null, 'the referral to a clerk');
      conforms('get', `/api/v1/cases/${caseId}`, held);
      expect(held.body).to.include({ status: 'review', decision: null, certificate: null });
      expect(held.body.instantApproval).to.deep.include({ kind: 'doubtful_data' });
      expect((held.body.instantApproval as { reasons: string[] }).reasons).to.include('business-registration: sources disagree on status');
      const queue = await until('the referral in the TAX queue', async () => {
        const response = await errand.api(clerk, 'GET', '/work-queue');
        return (response.body.items as Json[]).some((i) => i.caseId === caseId && i.note) ? response : null;
      });
      conforms('get', '/api/v1/work-queue', queue);
      const item = (queue.body.items as Json[]).find((i) => i.caseId === caseId)!;
      expect(item).to.include({ action: 'review', waiting: false });
      expect(String(item.note)).to.include('sources disagree on status');
    });

    it('a supplement notice stops the clock (shown on the case); 容缺: the missing rental contract is owed after the certificate and closes the case when it arrives', async () => {
      const citizen = await errand.signIn('citizen-instant-approval');
      const clerk = await errand.signIn('clerk-psb');
      const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: RESIDENCE_FORM });
      const caseId = String(draft.body.caseId);
      expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] })).status).to.equal(200);
      expect((await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'photo', note: '请上传近期照片' }] })).status).to.equal(200);
      const stopped = await view(citizen, caseId, (v) => v.status === 'awaitingSupplement', 'the supplement notice');
      conforms('get', `/api/v1/cases/${caseId}`, stopped);
      expect(stopped.body).to.include({ clockStopped: true });
      expect(stopped.body.clockStoppedReason).to.include({ kind: 'supplement' });
      expect(stopped.body.daysLeft).to.include({ clockStopped: true });

      expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
      const answered = await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {});
      expect(answered.body).to.include({ status: 'submitted' });
      const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
      const running = await view(clerk, caseId, (v) => v.clockStopped === false && (v.obligations as Json[]).length === 1, 'the obligation recorded');
      expect((running.body.obligations as Json[])[0]).to.include({ materialId: 'rental-contract', providedOn: null });
      expect(running.body.deemedAccepted).to.equal(false);

      await view(clerk, caseId, (v) => v.status === 'review', 'evidence gathered');
      expect((await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, {})).status).to.equal(200);
      const issued = await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {});
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
      expect(issued.body).to.include({ status: 'certificateIssued' });
      const owed = await view(citizen, caseId, (v) => v.status === 'certificateIssued', 'the certified case, still owing');
      expect(owed.body.open).to.equal(true);
      expect(owed.body.outstanding).to.deep.include({ materialId: 'rental-contract', reason: 'followUp', key: false, note: `due ${(owed.body.obligations as Array<{ dueOn: string }>)[0]!.dueOn}` });
      const queue = await until('the follow-up in the PSB queue', async () => {
        const response = await errand.api(clerk, 'GET', '/work-queue?waiting=true');
        return (response.body.items as Json[]).find((i) => i.caseId === caseId && i.action === 'awaiting-follow-up') ?? null;
      });
      expect(queue).to.include({ followUpsOwed: 1, dueKind: 'followUp' });
      // An auditor reading the case sees the obligation unmet.
      const auditor = await errand.signIn('auditor');
      const audited = await errand.api(auditor, 'GET', `/cases/${caseId}`);
      expect(audited.status).to.equal(200);
      expect((audited.body.obligations as Json[])[0]).to.include({ materialId: 'rental-contract', providedOn: null });

      const provided = await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' });
      expect(provided.status, JSON.stringify(provided.body)).to.equal(200);
      expect(provided.body).to.include({ status: 'closed' });
      const closed = await view(citizen, caseId, (v) => v.status === 'closed', 'the closed case');
      expect((closed.body.obligations as Json[])[0]!.providedOn).to.be.a('string');
      expect(closed.body.outstanding).to.deep.equal([]);
    });
  });
}
