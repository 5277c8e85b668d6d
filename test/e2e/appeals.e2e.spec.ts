import { expect } from 'chai';
import { OPEN_CASES } from '../../adapters/reactors/case-jobs-reactor.ts';
import { reconsiderationDeadline } from '../../domain/appeals/reconsideration.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;

describe('appeals and complaints over HTTP: reconsideration of a denial at the reviewing body with a legal hold; a low rating answered by the department', function () {
  this.timeout(180_000);
  let errand: RunningErrand;

  const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}`);
      return response.status === 200 && predicate(response.body) ? response : null;
    }, 60_000);
  const denied = async (citizenUser: string) => {
    const citizen = await errand.signIn(citizenUser);
    const clerk = await errand.signIn('clerk-psb');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 } });
    const caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    await view(clerk, caseId, (v) => v.status === 'review', 'the review (the name conflict keeps 秒批 out)');
    const deny = await errand.api(clerk, 'POST', `/cases/${caseId}/deny`, { reasons: ['户籍信息姓名不一致'] });
    expect(deny.status, JSON.stringify(deny.body)).to.equal(200);
    return { citizen, clerk, caseId };
  };

  before(async () => {
    errand = await startErrand('appeals-e2e');
  });
  after(async () => errand?.stop());

  it('a denied applicant asks for reconsideration: a hold on the original records, a linked case at JUS; JUS overturns, the outcome lands on the original case and the hold is lifted', async () => {
    const { citizen, caseId } = await denied('citizen-name-conflict');
    // The last day the applicant's page names is the platform's count: the one the request is refused after.
    const offered = await until('the denial, with reconsideration offered', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}?actions=true`);
      return (response.body.allowed as string[] | undefined)?.includes('RequestReconsideration') ? response.body : null;
    }, 60_000);
    const decidedOn = String((offered.decision as Json).decidedOn);
    expect(offered.reconsiderableUntil).to.equal(reconsiderationDeadline(decidedOn, errand.engine.calendar('CN')));
    const key = { 'Idempotency-Key': `reconsider-${caseId}` };
    const asked = await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '姓名不一致系户籍系统错误，已更正' }, key);
    expect(asked.status, JSON.stringify(asked.body)).to.equal(200);
    expect(asked.body.events).to.deep.equal(['ReconsiderationRequested', 'LegalHoldPlaced']);
    const again = await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '姓名不一致系户籍系统错误，已更正' }, key);
    expect(again.body).to.include({ replayed: true });
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '再次申请' })).status).to.equal(409);

    const held = await view(citizen, caseId, (v) => (v.legalHolds as unknown[] | undefined)?.length === 1, 'the hold');
    const reconsideration = held.body.reconsideration as Json;
    expect(reconsideration).to.include({ reviewingBody: 'JUS', outcome: null, deadline: offered.reconsiderableUntil });
    const appealCaseId = String(reconsideration.appealCaseId);
    expect((held.body.legalHolds as Json[])[0]).to.include({ holdId: `reconsideration-${appealCaseId}`, basis: '《中华人民共和国行政复议法》第二十条' });

    const jus = await errand.signIn('clerk-jus');
    const tax = await errand.signIn('clerk-tax');
    expect((await errand.api(jus, 'GET', `/cases/${caseId}`)).status, 'the reviewing body reads the original').to.equal(200);
    expect((await errand.api(tax, 'GET', `/cases/${caseId}`)).status).to.equal(404);
    const appeal = await view(citizen, appealCaseId, (v) => v.status === 'submitted', 'the linked case, submitted');
    expect(appeal.body).to.include({ serviceId: 'administrative-reconsideration', department: 'JUS' });
    expect((appeal.body.form as Json).originalCaseId).to.equal(caseId);
    const queued = await until('the linked case in the JUS queue', async () => {
      const response = await errand.api(jus, 'GET', '/work-queue');
      return (response.body.items as Json[]).find((i) => i.caseId === appealCaseId) ?? null;
    });
    expect(queued).to.include({ action: 'intake' });
    expect((await errand.api(jus, 'POST', `/cases/${appealCaseId}/accept`, {})).status).to.equal(200);
    await view(jus, appealCaseId, (v) => v.status === 'review', 'the reconsideration in review');
    expect((await errand.api(jus, 'POST', `/cases/${appealCaseId}/approve`, { reasons: ['原决定认定事实不清'] })).status).to.equal(200);

    const decided = await view(citizen, caseId, (v) => (v.reconsideration as Json).outcome !== null, 'the outcome on the original case');
    expect(decided.body.reconsideration).to.include({ outcome: 'overturned' });
    expect(decided.body.legalHolds).to.deep.equal([]);
    const types = (decided.body.timeline as Array<{ type: string }>).map((t) => t.type);
    expect(types.slice(-4)).to.deep.equal(['ReconsiderationRequested', 'LegalHoldPlaced', 'ReconsiderationDecided', 'LegalHoldLifted']);
    // JUS issues its decision document and the linked case closes. The outcome is delivered, so it owes nothing more
    // and leaves the set every reconciling pass re-derives (it stayed there for good, its job re-run as a replay on
    // every pass).
    expect((await errand.api(jus, 'POST', `/cases/${appealCaseId}/certificate`, {})).status).to.equal(200);
    await view(citizen, appealCaseId, (v) => v.closedOn !== null && v.closedOn !== undefined, 'the linked case closed');
    await until('the linked case out of the open-case set', async () => ((await errand.engine.stores.readStore.get(OPEN_CASES, appealCaseId))?.open === false ? true : null), 60_000);
  });

  it('the applicant withdraws the reconsideration before JUS decides: the original case records that it ended and the legal hold is lifted (not held for ever)', async () => {
    const { citizen, caseId } = await denied('citizen-name-conflict');
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '申请复议' })).status).to.equal(200);
    const held = await view(citizen, caseId, (v) => (v.legalHolds as unknown[] | undefined)?.length === 1, 'the hold');
    const appealCaseId = String((held.body.reconsideration as Json).appealCaseId);
    await view(citizen, appealCaseId, (v) => v.status === 'submitted', 'the linked case, submitted');
    const withdrawn = await errand.api(citizen, 'POST', `/cases/${appealCaseId}/withdraw`, { reason: '撤回复议申请' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    const ended = await view(citizen, caseId, (v) => (v.reconsideration as Json).outcome !== null, 'the end of the reconsideration on the original case');
    expect(ended.body.reconsideration).to.include({ outcome: 'withdrawn' });
    expect(ended.body.legalHolds).to.deep.equal([]);
  });

  it('a request recorded but its linked case not opened (the process failed between the two writes): asking again, even without the Idempotency-Key, opens and submits the linked case', async () => {
    const { citizen, caseId } = await denied('citizen-name-conflict');
    const commands = errand.engine.commands;
    const handle = commands.handle;
    let failed = false;
    commands.handle = async (command, options) => {
      if (!failed && command.type === 'DraftApplication' && command.reconsiderationOf === caseId) {
        failed = true;
        throw new Error('the store went away');
      }
      return handle(command, options);
    };
    try {
      const broken = await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '申请复议' }, {}, { contract: false });
      expect(broken.status).to.equal(500);
    } finally {
      commands.handle = handle;
    }
    const held = await view(citizen, caseId, (v) => (v.legalHolds as unknown[] | undefined)?.length === 1, 'the hold of the half-done request');
    const appealCaseId = String((held.body.reconsideration as Json).appealCaseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '申请复议' });
    const appeal = await view(citizen, appealCaseId, (v) => v.status === 'submitted', 'the linked case, opened by the second request');
    expect((appeal.body.form as Json).originalCaseId).to.equal(caseId);
  });

  it('an approved case has nothing to reconsider (409), and a stranger cannot ask (404)', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const stranger = await errand.signIn('citizen-homeowner');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1, lowIncome: true } });
    const caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    await view(citizen, caseId, (v) => v.status === 'closed', 'the certificate');
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: 'x' })).status).to.equal(409);
    expect((await errand.api(stranger, 'POST', `/cases/${caseId}/reconsideration`, { grounds: 'x' })).status).to.equal(404);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/reconsideration`, { grounds: '' })).status).to.equal(400);
    // A reconsideration case cannot be opened around the original case (no 60-day check, no hold): only from it.
    const direct = await errand.api(citizen, 'POST', '/cases', { serviceId: 'administrative-reconsideration', form: { originalCaseId: caseId, originalServiceId: 'household-certificate', grounds: 'x' } });
    expect(direct.status).to.equal(422);
    expect(String(direct.body.detail)).to.include('POST /cases/{id}/reconsideration');
  });

  it('a rating of 1 opens a follow-up with a due date; the PSB clerk answers and the applicant sees the answer; another department cannot', async () => {
    const { citizen, clerk, caseId } = await denied('citizen-address-conflict');
    const rated = await errand.api(citizen, 'POST', `/cases/${caseId}/rating`, { score: 1, comment: '办理太慢' });
    expect(rated.status, JSON.stringify(rated.body)).to.equal(200);
    expect(rated.body.events).to.deep.equal(['CaseRated', 'ComplaintOpened']);
    const opened = await view(clerk, caseId, (v) => v.complaint !== undefined && v.complaint !== null, 'the complaint');
    expect(opened.body.complaint).to.include({ score: 1, response: null, overdue: false });
    const task = await until('the follow-up task in the PSB queue', async () => {
      const response = await errand.api(clerk, 'GET', '/work-queue?action=complaint');
      return (response.body.items as Json[]).find((i) => i.caseId === caseId) ?? null;
    });
    expect(task).to.include({ action: 'complaint', dueKind: 'complaint', waiting: false, dueOn: (opened.body.complaint as Json).dueOn, status: 'closed' });
    const tax = await errand.signIn('clerk-tax');
    expect((await errand.api(tax, 'POST', `/cases/${caseId}/complaint-answer`, { response: 'x' })).status).to.equal(404);
    const answered = await errand.api(clerk, 'POST', `/cases/${caseId}/complaint-answer`, { response: '已核查，系统错误已更正，请重新申请' });
    expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/complaint-answer`, { response: '再答' })).status).to.equal(409);
    await until('the task gone from the queue', async () => {
      const response = await errand.api(clerk, 'GET', '/work-queue?action=complaint');
      return !(response.body.items as Json[]).some((i) => i.caseId === caseId);
    });
    const seen = await view(citizen, caseId, (v) => (v.complaint as Json).response !== null, 'the answer');
    expect(seen.body.complaint).to.include({ response: '已核查，系统错误已更正，请重新申请' });
    const good = await errand.signIn('citizen-instant-approval');
    const list = await errand.api(good, 'GET', '/cases');
    const closed = (list.body.items as Json[]).find((c) => c.status === 'closed')!;
    const fine = await errand.api(good, 'POST', `/cases/${String(closed.caseId)}/rating`, { score: 5 });
    expect(fine.body.events).to.deep.equal(['CaseRated']);
  });
});
