import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { publishLicenceFee, racingPayments } from '../support/fees.ts';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

type Json = Record<string, unknown>;
const PDF = Buffer.from('%PDF-1.4\n% premises commitment\n%%EOF\n');

describe('browser: a fee the provider took after the approval was revoked is owed back; the queue and the fee card say so until it is refunded', function () {
  this.timeout(240_000);
  let errand: BrowserErrand;
  const pages: Record<string, Page | undefined> = {};
  // The payer pays at the provider, at the very moment the platform closes the order after the revocation.
  const { sandbox, provider, payingAtClose } = racingPayments();
  const ok = (what: string, response: { status: number; body: Json }) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent({ timeout: WAIT }))?.trim() ?? '';

  before(async () => {
    errand = await startBrowserErrand('br_refund_due', { payments: provider });
    await publishLicenceFee(errand.api, await errand.token('admin'), await errand.token('admin-reviewer'));
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, pages);
  });
  after(async () => errand?.stop());

  it('the AMR clerk finds the refund in the queue and on the fee card, refunds in two goes, and both are gone once nothing is owed back', async () => {
    const citizen = await errand.token('citizen-dirty-record');
    const amr = await errand.token('clerk-amr');
    const caseId = String(ok('draft', await errand.api(citizen, 'POST', '/cases', { serviceId: 'individual-business-licence', form: { tradeName: '老街面馆', businessScope: '餐饮服务', premisesAddress: '深圳市福田区老街1号' } })).caseId);
    ok('upload', await errand.api(citizen, 'POST', `/cases/${caseId}/materials/premises-commitment`, PDF, { 'Content-Type': 'application/pdf' }));
    ok('submit', await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { commitment: true }));
    ok('accept', await errand.api(amr, 'POST', `/cases/${caseId}/accept`, {}));
    await until('the wait for payment', async () => ((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.status === 'awaitingPayment' ? true : null), WAIT);
    const started = await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {});
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    payingAtClose.add(`fee-${caseId}`);
    ok('revoke', await errand.api(amr, 'POST', `/cases/${caseId}/revocation`, { reason: '经核查，经营场所承诺不实' }));
    await until('the payment owed back', async () => {
      const fee = (await errand.api(amr, 'GET', `/cases/${caseId}`)).body.fee as { payment?: { refundDue?: string } } | null;
      return fee?.payment?.refundDue ? true : null;
    }, WAIT);

    const { page } = await errand.person({ lang: 'en' });
    pages.queue = page;
    await errand.signIn(page, 'clerk-amr');
    const row = page.locator(`#work-queue tr[data-case-id="${caseId}"]`);
    await until('the refund in the queue', async () => {
      if (await row.count()) return true;
      await page.reload();
      return null;
    }, WAIT);
    expect(await row.textContent()).to.include('Refund the fee (paid after revocation)');

    await page.goto(`/clerk/cases/${caseId}`);
    expect(await text(page, '#fee-refund-due')).to.equal('Paid after the approval was revoked, owed back: CNY 30.00 still to refund');
    const refund = async (yuanText: string) => {
      await page.locator('button[data-action="RefundPayment"]').click();
      await page.locator('#RefundPayment-amount').fill(yuanText);
      await page.locator('#RefundPayment-reason').fill('Approval revoked: the fee goes back');
      await page.locator('button[data-confirm="RefundPayment"]').click();
    };
    await refund('10');
    await page.locator('#fee-refund-due').getByText('CNY 20.00').waitFor({ timeout: WAIT });
    await refund('');
    await page.locator('.refund').nth(1).waitFor({ timeout: WAIT });
    expect(await page.locator('#fee-refund-due').count()).to.equal(0);
    expect(await sandbox.queryPayment(`fee-${caseId}`)).to.include({ refunded: 3000 });

    // The revoked case's only item was the refund: the department's queue is empty again.
    await page.goto('/clerk');
    await until('the refund gone from the queue', async () => {
      if (await page.getByText('Nothing in the queue.').count()) return true;
      await page.reload();
      return null;
    }, WAIT);
    expect(await row.count()).to.equal(0);
  });
});
