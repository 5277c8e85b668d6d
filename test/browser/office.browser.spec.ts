import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { SandboxPaymentProvider } from '../../adapters/payments/index.ts';
import { paidHouseholdCase } from '../support/fees.ts';
import { demoLibrary } from '../support/http-engine.ts';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

type Json = Record<string, unknown>;
const FORM = { purpose: '入学', copies: 2 };

describe('browser: the fee and its payment, the agent, reconsideration and the answer to a low rating, on the citizen and clerk pages', function () {
  this.timeout(240_000);
  let errand: BrowserErrand;
  const pages: Record<string, Page | undefined> = {};
  const ok = (what: string, response: { status: number; body: Json }) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const open = async (userId: string, lang: 'zh-CN' | 'en', path: string) => {
    const { page } = await errand.person({ lang });
    await errand.signIn(page, userId);
    await page.goto(path);
    pages[`${userId} ${lang} ${path}`] = page;
    return page;
  };
  const waitFor = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => predicate((await errand.api(token, 'GET', `/cases/${caseId}`)).body), WAIT);
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent({ timeout: WAIT }))?.trim() ?? '';
  /** A household certificate paid through the API, its certificate issued and the case closed: the page opens on it settled. */
  const paidCase = async () => paidHouseholdCase(errand.api, await errand.token('citizen-instant-approval'), { closed: true });
  /** The clerk's refund form on the case page, filled and confirmed. */
  const refund = async (clerk: Page, yuanText: string, reason: string) => {
    await clerk.locator('button[data-action="RefundPayment"]').click();
    await clerk.locator('#RefundPayment-amount').fill(yuanText);
    await clerk.locator('#RefundPayment-reason').fill(reason);
    await clerk.locator('button[data-confirm="RefundPayment"]').click();
  };

  let denied: string;
  before(async () => {
    errand = await startBrowserErrand('br_office');
    // A denial (the name conflict keeps 秒批 out, the clerk denies), rated 1 by the applicant.
    const applicant = await errand.token('citizen-name-conflict');
    const clerk = await errand.token('clerk-psb');
    denied = String(ok('draft', await errand.api(applicant, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM })).caseId);
    ok('submit', await errand.api(applicant, 'POST', `/cases/${denied}/submit`, {}));
    await waitFor(clerk, denied, (v) => v.status === 'review', 'the review');
    ok('deny', await errand.api(clerk, 'POST', `/cases/${denied}/deny`, { reasons: ['户籍信息姓名不一致'] }));
    ok('rate', await errand.api(applicant, 'POST', `/cases/${denied}/rating`, { score: 1, comment: '太慢' }));
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, pages);
  });
  after(async () => errand?.stop());

  it('the citizen sees the fee, pays with one click and gets the certificate; the clerk sees the payment and refunds part of it', async () => {
    const citizen = await errand.token('citizen-instant-approval');
    const caseId = String(ok('draft', await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: FORM })).caseId);
    ok('submit', await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {}));
    await waitFor(citizen, caseId, (v) => v.status === 'awaitingPayment', 'the wait for payment');
    const page = await open('citizen-instant-approval', 'zh-CN', `/citizen/cases/${caseId}`);
    expect(await text(page, '#fee-amount')).to.equal('20.00 元');
    expect(await text(page, '#fee-status')).to.equal('尚未缴费');
    await page.locator('button[data-action="PayFee"]').click();
    await page.locator('#certificate-no').waitFor({ timeout: WAIT });
    expect(await text(page, '#fee-status')).to.match(/^已于 .* 缴费（sandbox，流水号 SBX/);
    expect(await page.locator('button[data-action="PayFee"]').count()).to.equal(0);

    const clerk = await open('clerk-psb', 'en', `/clerk/cases/${caseId}`);
    expect(await text(clerk, '#fee-status')).to.match(/^Paid on /);
    await refund(clerk, '5', 'Charged one copy too many');
    await clerk.locator('.refund').waitFor({ timeout: WAIT });
    expect(await text(clerk, '.refund')).to.equal('Refunded CNY 5.00: Charged one copy too many');
  });

  it('a refund the provider fails: the clerk is told at once, and the fee card shows it failed with nothing refunded', async () => {
    const caseId = await paidCase();
    (errand.engine.payments as SandboxPaymentProvider).refundFails(`refund-${caseId}-1`);
    const clerk = await open('clerk-psb', 'en', `/clerk/cases/${caseId}`);
    await refund(clerk, '5', 'Charged one copy too many');
    await clerk.locator('#action-error').getByText(/refund-.*-1 of 500 fen failed at the provider/).waitFor({ timeout: WAIT });
    await until('the failed refund on the fee card', async () => {
      if (await clerk.locator('.refund-failed').count()) return true;
      await clerk.locator('#refresh').click();
      return null;
    }, WAIT);
    expect(await text(clerk, '.refund-failed')).to.equal(`Refund of CNY 5.00 failed at the provider (refund-${caseId}-1): nothing went back`);
    expect(await clerk.locator('.refund').count()).to.equal(0);
  });

  it('a refund the provider is still processing is not shown as done; confirmed again once the provider is through, it is recorded', async () => {
    const caseId = await paidCase();
    const sandbox = errand.engine.payments as SandboxPaymentProvider;
    sandbox.refundProcessing(`refund-${caseId}-1`);
    const clerk = await open('clerk-psb', 'en', `/clerk/cases/${caseId}`);
    await refund(clerk, '5', 'Charged one copy too many');
    await clerk.locator('#refund-pending').waitFor({ timeout: WAIT });
    expect(await text(clerk, '#refund-pending')).to.equal(`The provider is still processing refund refund-${caseId}-1 (CNY 5.00): nothing is on record yet. Confirm the refund again later to record it.`);
    expect(await clerk.locator('#flash .alert-good').count(), 'no "Done" for a refund nothing records').to.equal(0);
    expect(await clerk.locator('.refund').count()).to.equal(0);

    sandbox.refundSettles(`refund-${caseId}-1`);
    await clerk.locator('button[data-confirm="RefundPayment"]').click();
    await clerk.locator('.refund').waitFor({ timeout: WAIT });
    expect(await text(clerk, '.refund')).to.equal('Refunded CNY 5.00: Charged one copy too many');
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 500 });
  });

  it('a refund made at the provider for another amount and never recorded: the clerk is told which, and one click records exactly that refund, moving nothing more', async () => {
    const caseId = await paidCase();
    const sandbox = errand.engine.payments as SandboxPaymentProvider;
    // What a process that stopped right after the provider's answer leaves: the money moved, the case never heard.
    await sandbox.refund({ refundId: `refund-${caseId}-1`, orderId: `fee-${caseId}`, amount: 300, reason: 'earlier request' });
    const clerk = await open('clerk-psb', 'zh-CN', `/clerk/cases/${caseId}`);
    await refund(clerk, '5', '多收一份');
    await clerk.locator('#record-refund').waitFor({ timeout: WAIT });
    expect(await text(clerk, '#action-error .alert-title')).to.equal('之前的一笔退款未记入办件，本次退费未办理。 (409)');
    expect(await text(clerk, '#refund-not-on-record')).to.include(`支付机构已办理退款 refund-${caseId}-1（3.00 元）`).and.include('您申请的这次退费没有办理');
    expect(await text(clerk, '#record-refund')).to.equal(`记入退款 refund-${caseId}-1（3.00 元，理由按上面填写）`);
    expect(await clerk.locator('#action-error').textContent()).to.not.include('办件已被更新');
    await clerk.locator('#record-refund').click();
    await clerk.locator('.refund').waitFor({ timeout: WAIT });
    expect(await text(clerk, '.refund')).to.equal('退费 3.00 元：多收一份');
    // The flash goes after six seconds: read it while it is there.
    await clerk.locator('#flash').getByText('已记入退款').waitFor({ timeout: WAIT });
    expect(await text(clerk, '#flash')).to.equal(`已记入退款 refund-${caseId}-1（3.00 元）。您申请的退费没有办理，如仍需退费，请再办理一次。`);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 300 });
  });

  it('the company sees the case its legal representative applied for, and who did', async () => {
    const representative = await errand.token('citizen-legal-representative');
    const company = demoLibrary().subjects.find((s) => s.key === 'enterprise-active')!.subject.id;
    const agentId = demoLibrary().subjects.find((s) => s.key === 'legal-representative')!.subject.id;
    const caseId = String(ok('draft', await errand.api(representative, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' }, onBehalfOf: { type: 'enterprise', id: company, basis: 'legalRepresentative' } })).caseId);
    const page = await open('citizen-enterprise-active', 'en', `/citizen/cases/${caseId}`);
    expect(await text(page, '#agent')).to.equal(`Applicant ${company}, handled by ${agentId} (legal representative)`);
    const agentPage = await open('citizen-legal-representative', 'zh-CN', `/citizen/cases/${caseId}`);
    expect(await text(agentPage, '#agent')).to.equal(`申请人 ${company}，由 ${agentId} 代为办理（法定代表人）`);
  });

  it('the denied applicant asks for reconsideration from the case page; the clerk answers the low rating and the applicant reads the answer', async () => {
    const page = await open('citizen-name-conflict', 'en', `/citizen/cases/${denied}`);
    expect(await text(page, '#complaint')).to.match(/The department answers by/);
    // The last day is the platform's count (an end on a day off moves to the next working day), which the page names
    // and never counts itself: given a decision date 60 days before National Day, it still names the platform's day.
    const offered = ok('the case with actions', await errand.api(await errand.token('citizen-name-conflict'), 'GET', `/cases/${denied}?actions=true`));
    const theCase = (url: URL) => url.pathname === `/api/v1/cases/${denied}`;
    await page.route(theCase, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Json;
      await route.fulfill({ response, json: { ...body, decision: { ...(body.decision as Json), decidedOn: '2026-08-03' } } });
    });
    await page.reload();
    await page.locator('#reconsideration summary').click();
    const lastDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${String(offered.reconsiderableUntil)}T00:00:00Z`));
    expect(await text(page, '#reconsideration .muted')).to.equal(`If you disagree with the decision, you may ask for reconsideration until ${lastDay}.`);
    await page.unroute(theCase);
    await page.locator('#appeal-grounds').fill('The name mismatch was a registry error, since corrected');
    await page.locator('button[data-action="RequestReconsideration"]').click();
    await page.locator('#appeal-status').waitFor({ timeout: WAIT });
    expect(await text(page, '#appeal-status')).to.match(/^Asked JUS on .* awaiting its decision$/);
    expect(await text(page, '.legal-hold')).to.match(/^Records on legal hold: administrative reconsideration /);

    const clerk = await open('clerk-psb', 'zh-CN', `/clerk/cases/${denied}`);
    expect(await text(clerk, '#appeal-status')).to.match(/已向 JUS 申请/);
    await clerk.locator('button[data-action="AnswerComplaint"]').click();
    await clerk.locator('#AnswerComplaint-response').fill('已核实并更正户籍信息，请重新申请');
    await clerk.locator('button[data-confirm="AnswerComplaint"]').click();
    await clerk.locator('#complaint-answer').waitFor({ timeout: WAIT });

    await page.reload();
    expect(await text(page, '#complaint-answer')).to.match(/已核实并更正户籍信息，请重新申请$/);
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
