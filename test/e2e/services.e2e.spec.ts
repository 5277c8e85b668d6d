import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const PDF = Buffer.from('%PDF-1.4\n% demo\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0xff, 0xd9]);

type Json = Record<string, unknown>;

describe('instant approval, joint review, conflicts, bundles and service versions over HTTP', function () {
  this.timeout(120_000);
  let errand: RunningErrand;

  const caseView = (token: string, caseId: string, predicate: (view: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}?actions=true`);
      return response.status === 200 && predicate(response.body) ? response.body : null;
    }, 40_000);

  before(async () => {
    errand = await startErrand('services');
  });
  after(async () => errand?.stop());

  it('秒批: a social insurance certificate is accepted by the platform, then approved, certified and closed by rule after the applicant confirms the preview', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'social-insurance-certificate', form: { purpose: '购房资格审核' } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    // No clerk accepts it: the platform does, in the very write that records the submission.
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).body).to.include({ status: 'gatheringEvidence' });
    const previewing = await caseView(citizen, caseId, (v) => (v.outstanding as Json[]).some((o) => o.kind === 'preview' || o.reason === 'preview' || JSON.stringify(o).includes('preview')), 'the evidence preview');
    expect((previewing.evidence as Record<string, Json>)['social-insurance']).to.include({ status: 'awaiting_preview' });
    const confirmed = await errand.api(citizen, 'POST', `/cases/${caseId}/preview/confirm`, { materialId: 'social-insurance' });
    expect(confirmed.body).to.include({ status: 'closed' });
    expect(confirmed.body.events).to.deep.equal(['EvidencePreviewConfirmed', 'EvidenceGatheringCompleted', 'CaseApproved', 'CertificateIssued', 'CaseClosed']);
    const closed = await caseView(citizen, caseId, (v) => v.certificate !== null, 'the certificate');
    expect(closed.decision).to.include({ outcome: 'approved', by: 'rule' });
  });

  it('并联审批: a restaurant opening waits for FIRE, HEALTH and HOUSING opinions before AMR decides; co-reviewers see it in their queues', async () => {
    const enterprise = await errand.signIn('citizen-enterprise-active');
    const amr = await errand.signIn('clerk-amr');
    const draft = await errand.api(enterprise, 'POST', '/cases', { serviceId: 'restaurant-opening', form: { shopName: '老街面馆', premisesAddress: '深圳市罗湖区东门路8号', floorArea: 120, seats: 40 } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/floor-plan`, PDF, { 'Content-Type': 'application/pdf' });
    await errand.api(enterprise, 'POST', `/cases/${caseId}/submit`, {});
    expect((await errand.api(amr, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    const gathered = await caseView(amr, caseId, (v) => v.status === 'review' || (v.materials as Record<string, Json>)['business-licence']?.status === 'upload_required', 'evidence settled or an upload asked for');
    if (gathered.status !== 'review') {
      await errand.api(enterprise, 'POST', `/cases/${caseId}/materials/business-licence`, PDF, { 'Content-Type': 'application/pdf' });
      await caseView(amr, caseId, (v) => v.status === 'review', 'review after the upload');
    }
    const early = await errand.api(amr, 'POST', `/cases/${caseId}/approve`, {});
    expect(early.status).to.equal(409);
    expect((await errand.api(amr, 'POST', `/cases/${caseId}/joint-review`, {})).body).to.include({ status: 'jointReview' });
    for (const department of ['fire', 'health', 'housing']) {
      const clerk = await errand.signIn(`clerk-${department}`);
      await until(`the case in the ${department} queue`, async () => {
        const queue = await errand.api(clerk, 'GET', '/work-queue?role=co-reviewer');
        return (queue.body.items as Json[]).some((i) => i.caseId === caseId) ? queue : null;
      });
      const opinion = await errand.api(clerk, 'POST', `/cases/${caseId}/opinion`, { opinion: 'approve', comment: `${department} ok` });
      expect(opinion.status, JSON.stringify(opinion.body)).to.equal(200);
    }
    const decided = await errand.api(amr, 'POST', `/cases/${caseId}/approve`, { reasons: ['all co-reviewers agree'] });
    expect(decided.body).to.include({ status: 'approved' });
  });

  it('evidence from two sources that disagree is flagged on the case for the clerk, never silently chosen', async () => {
    const citizen = await errand.signIn('citizen-name-conflict');
    const psb = await errand.signIn('clerk-psb');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: { residenceAddress: '深圳市宝安区1号', residenceSince: '2024-01-01', residenceReason: '就业', phone: '13900000000' } });
    const caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    await errand.api(psb, 'POST', `/cases/${caseId}/accept`, {});
    const view = await caseView(psb, caseId, (v) => ((v.evidence as Record<string, Json>)['household-registration']?.conflicts as unknown[] | undefined)?.length !== 0 && (v.evidence as Record<string, Json>)['household-registration']?.status === 'received', 'the conflict flag');
    const conflicts = (view.evidence as Record<string, { conflicts: Array<{ field: string; values: unknown[] }> }>)['household-registration']!.conflicts;
    expect(conflicts.map((c) => c.field)).to.include('name');
    expect(conflicts[0]!.values).to.have.length(2);
  });

  it('电子证照: a residence permit Errand issued is fetched as evidence by the public rental housing application', async () => {
    const citizen = await errand.signIn('citizen-dirty-record');
    const psb = await errand.signIn('clerk-psb');
    const housing = await errand.signIn('clerk-housing');
    const form = { residenceAddress: '深圳市龙华区民治街道2号', residenceSince: '2023-03-01', residenceReason: '就业', phone: '13600000000' };
    const permitCase = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form })).body.caseId);
    await errand.api(citizen, 'POST', `/cases/${permitCase}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' });
    await errand.api(citizen, 'POST', `/cases/${permitCase}/submit`, {});
    await errand.api(psb, 'POST', `/cases/${permitCase}/accept`, {});
    await caseView(psb, permitCase, (v) => v.status === 'review', 'the permit case in review');
    await errand.api(psb, 'POST', `/cases/${permitCase}/approve`, {});
    await errand.api(psb, 'POST', `/cases/${permitCase}/certificate`, {});
    const permit = await caseView(citizen, permitCase, (v) => v.certificate !== null, 'the issued permit');
    const certificateNo = (permit.certificate as { certificateNo: string }).certificateNo;

    const application = await errand.api(citizen, 'POST', '/cases', { serviceId: 'public-rental-housing', form: { householdSize: 2, monthlyIncome: 4200, currentAddress: form.residenceAddress } });
    const housingCase = String(application.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${housingCase}/submit`, {});
    expect((await errand.api(housing, 'POST', `/cases/${housingCase}/accept`, {})).status).to.equal(200);
    const view = await caseView(housing, housingCase, (v) => (v.evidence as Record<string, Json>)['residence-permit']?.status === 'received', 'the reused permit');
    const reused = (view.evidence as Record<string, { provider: string; fields: Json }>)['residence-permit']!;
    expect(reused.provider).to.equal('ERRAND');
    expect(reused.fields).to.include({ certificateNumber: certificateNo, residenceAddress: form.residenceAddress });
  });

  it('一件事: one form asks shared fields once, one application opens a draft per service, shows one status and is submitted once', async () => {
    const parent = await errand.signIn('citizen-parent-with-child');
    const bundle = (await errand.api(null, 'GET', '/bundles/newborn')).body as Json & { services: string[]; form: { common: Array<{ name: string; services: string[] }>; perService: Record<string, Array<{ name: string; type: string; required: boolean; options?: Array<{ value: string }> }>> } };
    expect(bundle.form.common.map((f) => f.name)).to.deep.equal(['childName']);
    expect(bundle.form.common[0]!.services).to.have.members(bundle.services);
    // A field with an options list takes one of its values, as the page's select would.
    const value = (f: { type: string; options?: Array<{ value: string }> }) => (f.options ? f.options[0]!.value : f.type === 'number' ? 1 : f.type === 'date' ? '2026-11-01' : f.type === 'boolean' ? true : '示例');
    const forms: Record<string, Json> = {};
    for (const serviceId of bundle.services) forms[serviceId] = Object.fromEntries(bundle.form.perService[serviceId]!.filter((f) => f.required).map((f) => [f.name, value(f)]));

    const twice = await errand.api(parent, 'POST', '/bundles/newborn/applications', { form: { childName: '小明' }, forms: { ...forms, 'birth-medical-certificate': { ...forms['birth-medical-certificate'], childName: '小红' } } });
    expect(twice.status).to.equal(422);
    expect(String(twice.body.detail)).to.match(/childName is common to the bundle/);

    const created = await errand.api(parent, 'POST', '/bundles/newborn/applications', { form: { childName: '小明' }, forms });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const applicationId = String(created.body.applicationId);
    const cases = created.body.cases as Array<{ caseId: string; status: string }>;
    expect(cases).to.have.length(bundle.services.length);
    for (const c of cases) {
      const view = await caseView(parent, c.caseId, () => true, 'a member case');
      expect((view.form as Json).childName).to.equal('小明');
    }
    const mine = await until('the bundle cases in the citizen list', async () => {
      const list = await errand.api(parent, 'GET', '/cases');
      const items = list.body.items as Array<{ caseId: string; bundleId: string | null }>;
      const found = items.filter((i) => cases.some((c) => c.caseId === i.caseId));
      return found.length === bundle.services.length ? found : null;
    });
    expect(new Set(mine.map((m) => m.bundleId)).size).to.equal(1);
    expect(mine[0]!.bundleId).to.equal(created.body.bundleId);

    const status = await errand.api(parent, 'GET', `/bundles/newborn/applications/${applicationId}`);
    expect(status.status, JSON.stringify(status.body)).to.equal(200);
    expect(status.body.status).to.equal('draft');
    expect((status.body.services as Json[]).map((s) => s.serviceId)).to.deep.equal(bundle.services);
    expect((await errand.api(await errand.signIn('citizen-homeowner'), 'GET', `/bundles/newborn/applications/${applicationId}`)).status).to.equal(404);

    const submitted = await errand.api(parent, 'POST', `/bundles/newborn/applications/${applicationId}/submit`, {}, { 'Idempotency-Key': 'newborn-submit-1' });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
    expect(submitted.body.status).to.equal('inProgress');
    // The instant-approval member (newborn medical insurance) is accepted by the platform in its submission's append.
    expect(Object.fromEntries((submitted.body.services as Json[]).map((s) => [s.serviceId, s.status]))).to.deep.equal({
      'birth-medical-certificate': 'submitted',
      'newborn-household-registration': 'submitted',
      'newborn-medical-insurance': 'gatheringEvidence',
    });
    expect((await errand.api(parent, 'POST', `/bundles/newborn/applications/${applicationId}/submit`, {})).status).to.equal(409);
    // Under its key again: the status, as the first time; under a new key: already submitted (409).
    const retried = await errand.api(parent, 'POST', `/bundles/newborn/applications/${applicationId}/submit`, {}, { 'Idempotency-Key': 'newborn-submit-1' });
    expect(retried.status).to.equal(200);
    expect(retried.body.services).to.have.length(3);
    expect((await errand.api(parent, 'POST', `/bundles/newborn/applications/${applicationId}/submit`, {}, { 'Idempotency-Key': 'newborn-submit-2' })).status).to.equal(409);
  });

  it('an administrator publishes a new service version: running cases keep theirs, new drafts take it, an invalid one is refused naming the field', async () => {
    const admin = await errand.signIn('admin');
    const citizen = await errand.signIn('citizen-homeowner');
    const form = { residenceAddress: '深圳市南山区1号', residenceSince: '2024-01-01', residenceReason: '就业', phone: '13700000000' };
    const running = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form })).body.caseId);
    const current = (await errand.api(null, 'GET', '/services/residence-permit')).body as Json & { version: number; limits: Json };
    const invalid = await errand.api(admin, 'POST', '/admin/services', { ...current, version: current.version + 1, department: 'NOPE' });
    expect(invalid.status).to.equal(422);
    expect(JSON.stringify(invalid.body)).to.match(/department/);
    const next = { ...current, version: current.version + 1, limits: { ...current.limits, promisedDays: 5 } };
    const drafted = await errand.api(admin, 'POST', '/admin/services', next);
    expect(drafted.status, JSON.stringify(drafted.body)).to.equal(201);
    expect(drafted.body).to.deep.equal({ id: 'residence-permit', version: current.version + 1, status: 'draft' });
    expect((await errand.api(null, 'GET', '/services/residence-permit')).body).to.include({ version: current.version });
    const reviewer = await errand.signIn('admin-reviewer');
    const versionPath = `/admin/catalogue/services/residence-permit/versions/${current.version + 1}`;
    expect((await errand.api(reviewer, 'POST', `${versionPath}/approve`, {})).status).to.equal(200);
    const published = await errand.api(admin, 'POST', `${versionPath}/publish`, { override: { reason: 'promised limit shortened by the city council' } });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    expect((await errand.api(null, 'GET', '/services/residence-permit')).body).to.include({ version: current.version + 1 });
    const fresh = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form })).body.caseId);
    const [old, renewed] = await Promise.all([
      caseView(citizen, running, () => true, 'the running case'),
      caseView(citizen, fresh, () => true, 'the new case'),
    ]);
    expect(old.serviceVersion).to.equal(current.version);
    expect(renewed.serviceVersion).to.equal(current.version + 1);
  });

  it('projection status and a rebuild that swaps in a new version while the old one serves', async () => {
    const admin = await errand.signIn('admin');
    const before = (await errand.api(admin, 'GET', '/admin/projections')).body.items as Array<{ name: string; activeVersion: number }>;
    const caseViewBefore = before.find((p) => p.name === 'case-view')!;
    expect((await errand.api(admin, 'POST', '/admin/projections/case-view/rebuild', {})).status).to.equal(202);
    expect((await errand.api(admin, 'POST', '/admin/projections/nonsense/rebuild', {})).status).to.equal(400);
    const after = await until('the rebuilt version serving', async () => {
      const items = (await errand.api(admin, 'GET', '/admin/projections')).body.items as Array<{ name: string; activeVersion: number; state: string }>;
      const status = items.find((p) => p.name === 'case-view')!;
      return status.activeVersion > caseViewBefore.activeVersion && status.state === 'running' ? status : null;
    }, 40_000);
    expect(after.activeVersion).to.equal(caseViewBefore.activeVersion + 1);
    const citizen = await errand.signIn('citizen-instant-approval');
    const list = await errand.api(citizen, 'GET', '/cases');
    const someCase = (list.body.items as Array<{ caseId: string }>)[0]!;
    expect((await errand.api(citizen, 'GET', `/cases/${someCase.caseId}`)).status).to.equal(200);
  });

  it('a rebuild asked under an Idempotency-Key: sent again, even after another rebuild replaced it, it rebuilds nothing more; for another projection the key is refused, also when both are sent at once', async () => {
    const admin = await errand.signIn('admin');
    type Status = { name: string; activeVersion: number; state: string; rebuildRequest: { id: string; state: string } | null };
    const status = async (name: string) => ((await errand.api(admin, 'GET', '/admin/projections')).body.items as Status[]).find((p) => p.name === name)!;
    const rebuilt = async (name: string, id: unknown, version: number) =>
      until(`${name} rebuilt to version ${version}, its request done`, async () => {
        const now = await status(name);
        return now.activeVersion === version && now.rebuildRequest?.id === id && now.rebuildRequest?.state === 'done' ? now : null;
      }, 40_000);
    const start = (await status('work-queue')).activeVersion;
    const first = await errand.api(admin, 'POST', '/admin/projections/work-queue/rebuild', {}, { 'Idempotency-Key': 'rebuild-wq-1' });
    expect(first.status).to.equal(202);
    await rebuilt('work-queue', first.body.id, start + 1);
    const again = await errand.api(admin, 'POST', '/admin/projections/work-queue/rebuild', {}, { 'Idempotency-Key': 'rebuild-wq-1' });
    expect(again.status).to.equal(202);
    expect(again.body).to.include({ id: first.body.id, state: 'done' });
    // Another request replaces it on record; the first key sent again still starts nothing.
    const second = await errand.api(admin, 'POST', '/admin/projections/work-queue/rebuild', {}, { 'Idempotency-Key': 'rebuild-wq-2' });
    await rebuilt('work-queue', second.body.id, start + 2);
    const late = await errand.api(admin, 'POST', '/admin/projections/work-queue/rebuild', {}, { 'Idempotency-Key': 'rebuild-wq-1' });
    expect(late.status).to.equal(202);
    expect(late.body).to.include({ id: second.body.id, state: 'done' });
    expect((await status('work-queue')).rebuildRequest).to.include({ id: second.body.id, state: 'done' });

    const elsewhere = await errand.api(admin, 'POST', '/admin/projections/audit-trail/rebuild', {}, { 'Idempotency-Key': 'rebuild-wq-1' });
    expect(elsewhere.status).to.equal(422);
    expect((elsewhere.body as { type: string }).type).to.match(/idempotency-key-reused$/);
    const racing = await Promise.all(['service-stats', 'data-use'].map((name) => errand.api(admin, 'POST', `/admin/projections/${name}/rebuild`, {}, { 'Idempotency-Key': 'rebuild-race' })));
    expect(racing.map((r) => r.status).sort(), JSON.stringify(racing.map((r) => r.body))).to.deep.equal([202, 422]);
    expect((await status('work-queue')).activeVersion).to.equal(start + 2);
  });

  it('statistics count received, decided and instant approvals per service and department', async () => {
    const auditor = await errand.signIn('auditor');
    const response = await until('statistics for the instant service', async () => {
      const body = (await errand.api(auditor, 'GET', '/statistics')).body;
      const service = (body.services as Json[]).find((s) => s.id === 'social-insurance-certificate');
      return service && service.decided === 1 ? body : null;
    });
    const instant = (response.services as Json[]).find((s) => s.id === 'social-insurance-certificate')!;
    expect(instant).to.include({ received: 1, accepted: 1, approved: 1, instantApprovals: 1, materialsFetched: 1, materialsUploaded: 0 });
    expect(instant.summary).to.include({ medianDays: 0, decided: 1 });
    const psb = (response.departments as Json[]).find((d) => d.id === 'dept-PSB')!;
    expect(psb.received as number).to.be.at.least(1);
    const amr = (response.services as Json[]).find((s) => s.id === 'restaurant-opening')!;
    expect(amr).to.include({ approved: 1, instantApprovals: 0 });
  });
});
