import { expect } from 'chai';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市南山区科技园2号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13700001111' };

describe('erasure on request, legal holds and retention, over HTTP (real PostgreSQL, Redis)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let other: string;
  let clerk: string;
  let admin: string;
  let auditor: string;

  /** A residence permit case of the citizen, drafted and (unless `open`) withdrawn, so it has ended. */
  async function caseOf(token: string, open = false): Promise<string> {
    const draft = await errand.api(token, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    if (!open) {
      expect((await errand.api(token, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
      const withdrawn = await errand.api(token, 'POST', `/cases/${caseId}/withdraw`, { reason: '不再需要' });
      expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    }
    return caseId;
  }

  const shredRecords = async (caseId: string) => (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).filter((e) => e.type === 'SubjectKeysShredded');

  before(async () => {
    errand = await startErrand('erasreq');
    citizen = await errand.signIn('citizen-instant-approval');
    other = await errand.signIn('citizen-enterprise-active');
    clerk = await errand.signIn('clerk-psb');
    admin = await errand.signIn('admin');
    auditor = await errand.signIn('auditor');
  });
  after(async () => errand?.stop());

  it('given bad input or someone else\'s case, when an erasure is requested, then a 4xx problem and nothing recorded', async () => {
    const mine = await caseOf(citizen);
    expect((await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [], reason: 'x' })).status).to.equal(400);
    expect((await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [mine], reason: '   ' })).status).to.equal(400);
    expect((await errand.api(other, 'POST', '/erasure-requests', { caseIds: [mine], reason: '删除' })).status).to.equal(422);
    expect((await errand.api(clerk, 'POST', '/erasure-requests', { caseIds: [mine], reason: '删除' })).status).to.equal(403);
    const listed = await errand.api(citizen, 'GET', '/erasure-requests');
    expect(listed.body.items).to.deep.equal([]);
  });

  it('given an ended case, an open case and a held case, when the citizen asks and the administrator accepts, then only the ended one is erased and the citizen sees request and decision', async () => {
    const ended = await caseOf(citizen);
    const open = await caseOf(citizen, true);
    const held = await caseOf(citizen);
    const hold = await errand.api(admin, 'POST', `/admin/cases/${held}/legal-holds`, { holdId: 'appeal-1', reason: 'administrative reconsideration pending', basis: 'Administrative Reconsideration Law art. 20' });
    expect(hold.status, JSON.stringify(hold.body)).to.equal(201);
    expect((await errand.api(admin, 'POST', `/admin/cases/${held}/legal-holds`, { holdId: 'appeal-1', reason: 'again', basis: 'same' })).status).to.equal(201);

    const asked = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [ended, open, held], reason: '办结后请删除我的个人信息' }, { 'Idempotency-Key': 'erase-1' });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(201);
    const again = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [ended, open, held], reason: '办结后请删除我的个人信息' }, { 'Idempotency-Key': 'erase-1' });
    expect(again.body).to.deep.equal({ requestId: asked.body.requestId, replayed: true });
    const requestId = String(asked.body.requestId);
    const pending = await until('the request listed', async () => {
      const response = await errand.api(citizen, 'GET', '/erasure-requests');
      return (response.body.items as unknown[]).length === 1 ? response : null;
    });
    expect(pending.body.items).to.deep.include.members([{ requestId, caseIds: [ended, open, held], reason: '办结后请删除我的个人信息', requestedOn: (pending.body.items as Array<{ requestedOn: string }>)[0]!.requestedOn, requestedAt: (pending.body.items as Array<{ requestedAt: string }>)[0]!.requestedAt, status: 'requested', decision: null }]);
    expect((await errand.api(other, 'GET', '/erasure-requests')).body.items).to.deep.equal([]);
    expect(((await errand.api(admin, 'GET', '/erasure-requests?status=requested')).body.items as unknown[]).length).to.equal(1);
    // The administrator read the citizen's request (reason, cases): it shows in the citizen's data-use log.
    const use = await until("the administrator's reading in the data-use log", async () => {
      const items = (await errand.api(citizen, 'GET', '/me/data-use')).body.items as Array<{ channel: string; purpose: string }>;
      return items.find((i) => i.channel === 'erasure-requests') ?? null;
    });
    expect(use.purpose).to.equal('deciding an erasure request');

    const decided = await errand.api(admin, 'POST', `/admin/erasure-requests/${requestId}/decision`, { decision: 'accepted', explanation: 'purpose achieved (PIPL art. 47)' }, { 'Idempotency-Key': 'decide-1' });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    // Sent again under its key: the decision as recorded, not 409; the key with another decision: 422.
    const decidedAgain = await errand.api(admin, 'POST', `/admin/erasure-requests/${requestId}/decision`, { decision: 'accepted', explanation: 'purpose achieved (PIPL art. 47)' }, { 'Idempotency-Key': 'decide-1' });
    expect(decidedAgain.status, JSON.stringify(decidedAgain.body)).to.equal(200);
    expect(decidedAgain.body).to.deep.equal(decided.body);
    expect((await errand.api(admin, 'POST', `/admin/erasure-requests/${requestId}/decision`, { decision: 'refused', explanation: 'x' }, { 'Idempotency-Key': 'decide-1' })).status).to.equal(422);
    expect(decided.body).to.include({ decision: 'accepted', decidedBy: 'admin-1' });
    expect(decided.body.erased).to.deep.equal([ended]);
    expect(decided.body.kept).to.deep.equal([{ caseId: open, why: 'open' }, { caseId: held, why: 'legal-hold' }]);
    expect((await errand.api(admin, 'POST', `/admin/erasure-requests/${requestId}/decision`, { decision: 'refused', explanation: 'x' })).status).to.equal(409);

    const seen = await until('the decision shown to the citizen', async () => {
      const response = await errand.api(citizen, 'GET', '/erasure-requests');
      const item = (response.body.items as Array<{ status: string }>)[0];
      return item?.status === 'accepted' ? item : null;
    });
    expect(seen).to.deep.include({ status: 'accepted' });
    expect((await shredRecords(ended))[0]!.data).to.include({ reason: 'erasure-request', requestId });
    expect(await shredRecords(held)).to.deep.equal([]);
    const erasedView = await until('the ended case erased in its view', async () => {
      const response = await errand.api(auditor, 'GET', `/audit/cases/${ended}`).catch(() => null);
      return response && JSON.stringify(response.body).includes(ERASED) ? response : null;
    }, 120_000).catch(() => null);
    expect(erasedView, 'audit trail of the erased case shows "erased"').to.not.equal(null);
    // The open case is untouched: its applicant can still read it in clear.
    expect(((await errand.api(citizen, 'GET', `/cases/${open}`)).body.form as Record<string, unknown>).phone).to.equal(FORM.phone);
  });

  it('given a held case past its retention period, when the pass runs, then it is kept; once the hold is lifted, the next pass shreds it naming the rule', async () => {
    const held = await errand.api(admin, 'GET', '/erasure-requests');
    const heldCase = ((held.body.items as Array<{ decision: { kept: Array<{ caseId: string; why: string }> } }>)[0]!.decision.kept.find((k) => k.why === 'legal-hold'))!.caseId;
    const today = await errand.api(admin, 'POST', '/admin/retention/run', {});
    expect(today.status, JSON.stringify(today.body)).to.equal(200);
    expect(today.body.shredded).to.deep.equal([]);

    const later = await errand.engine.retention.run('2035-01-01');
    expect(later.held).to.deep.include({ caseId: heldCase, holds: ['appeal-1'] });
    expect(await shredRecords(heldCase)).to.deep.equal([]);

    expect((await errand.api(admin, 'POST', `/admin/cases/${heldCase}/legal-holds/appeal-1/lift`, { reason: 'decided on appeal' })).status).to.equal(200);
    expect((await errand.api(admin, 'POST', `/admin/cases/${heldCase}/legal-holds/appeal-1/lift`, { reason: 'again' })).status).to.equal(409);
    expect((await errand.api(admin, 'POST', `/admin/cases/${heldCase}/legal-holds/nope/lift`, { reason: 'x' })).status).to.equal(404);
    const after = await errand.engine.retention.run('2035-01-01');
    expect(after.shredded.map((s) => s.caseId)).to.include(heldCase);
    const records = await shredRecords(heldCase);
    expect(records).to.have.length(1);
    expect(records[0]!.data).to.include({ reason: 'retention' });
    expect(String(records[0]!.data.rule)).to.match(/^residence-permit v1: case records kept 3 year\(s\) after closure; /);
    expect((await errand.engine.retention.run('2035-01-01')).shredded.map((s) => s.caseId)).to.not.include(heldCase);
    const verdict = await errand.engine.stores.eventStore.verifyLog!();
    expect(verdict.ok).to.equal(true);
  });

  it('given a case closed with fetched evidence, when the pass runs 31 days later, then only its evidence is shredded (the records are kept)', async () => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, Buffer.from('%PDF-1.4\n%%EOF\n'), { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    await until('evidence in', async () => ((await errand.api(clerk, 'GET', `/cases/${caseId}`)).body.status === 'review' ? true : null), 60_000);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, { reasons: ['ok'] })).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {})).body).to.include({ status: 'closed' });
    await until('the case view closed', async () => ((await errand.engine.retention.run(new Date(Date.now() + 29 * 86_400_000).toISOString().slice(0, 10))).checked > 3 ? true : null));
    const in29 = await errand.engine.retention.run(new Date(Date.now() + 29 * 86_400_000).toISOString().slice(0, 10));
    expect(in29.shredded.map((s) => s.caseId)).to.not.include(caseId);
    // The pass reads closed cases from the case view, which follows the log by its lag.
    const run = await until('the pass sees the case closed', async () => {
      const result = await errand.engine.retention.run(new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10));
      return result.shredded.some((s) => s.caseId === caseId) ? result : null;
    });
    expect(run.shredded).to.deep.include({ caseId, part: 'evidence', rule: 'residence-permit v1: fetched evidence kept 30 day(s) after closure; 《个人信息保护法》第四十七条；《政务服务事项档案管理办法》办件材料保管期限' });
    const events = await errand.engine.stores.eventStore.readStream(`case-${caseId}`);
    const received = events.filter((e) => e.type === 'EvidenceReceived');
    expect(received.length).to.be.greaterThan(0);
    for (const e of received) expect(Object.values(e.data.fields as Record<string, unknown>)).to.include(ERASED);
    expect((events[0]!.data.form as Record<string, unknown>).phone).to.equal(FORM.phone);
  });
});
