import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { screenshot, screenshotDir, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const DAY = 24 * 3600 * 1000;

describe('browser: the work queue sorts by deadline, flags yellow and red cards, filters and pages', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let page: Page;
  let late: string;
  let warned: string;
  const intake: string[] = [];

  before(async () => {
    // One case accepted 30 days ago (long past its promised date), then twenty handed in today: more than a page.
    const clock = new SimulatedClock(new Date(Date.now() - 30 * DAY));
    errand = await startBrowserErrand('br_queue', { clock });
    const citizen = await errand.token('citizen-instant-approval');
    const clerk = await errand.token('clerk-psb');
    late = await errand.submittedCase(citizen, { acceptAs: clerk });
    clock.set(new Date());
    warned = await errand.submittedCase(citizen, { acceptAs: clerk });
    for (let i = 0; i < 19; i += 1) intake.push(await errand.submittedCase(citizen));

    // What the deadline timers would record when their day comes, issued now as the timer worker issues them.
    const system = { kind: 'system' as const, id: 'timer' };
    const dueOf = async (caseId: string) => (await errand.engine.commands.load(caseId)).context.due!.promised;
    await errand.engine.commands.handle({ type: 'MarkOverdue', commandId: `overdue-${late}`, caseId: late, actor: system, limit: 'promised', dueOn: await dueOf(late) });
    await errand.engine.commands.handle({ type: 'RaiseDeadlineWarning', commandId: `warn-${warned}`, caseId: warned, actor: system, limit: 'promised', dueOn: await dueOf(warned) });
    await until('the queue with both cards', async () => {
      const queue = await errand.api(clerk, 'GET', '/work-queue?pageSize=100');
      const items = (queue.body.items ?? []) as Array<{ caseId: string; overdue: boolean; warning: boolean }>;
      return items.length === 21 && items.find((i) => i.caseId === late)?.overdue && items.find((i) => i.caseId === warned)?.warning;
    }, WAIT);

    page = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(page, 'clerk-psb');
  });
  after(async () => errand?.stop());

  it('lists the overdue case first with a red flag, then the rest by due date, twenty to a page', async () => {
    const rows = page.locator('#work-queue tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(20);
    expect(await rows.first().getAttribute('data-case-id')).to.equal(late);
    expect(await rows.first().locator('[data-flag="red"]').count()).to.equal(1);
    // Accepted 30 days ago: its receipt number shows, and it is days past its promised date.
    const receipt = (await rows.first().locator('[data-receipt]').getAttribute('data-receipt')) ?? '';
    expect(receipt).to.match(/^R-\d{8}-[0-9A-F]{12}$/);
    expect(await rows.first().locator('[data-receipt]').textContent()).to.equal(receipt);
    expect(Number(await rows.first().locator('[data-days-left]').getAttribute('data-days-left'))).to.be.below(0);
    expect(await rows.first().locator('[data-days-left]').textContent()).to.match(/working days overdue/);
    // Handed in today, not yet accepted: five working days for intake, and no receipt yet.
    const fresh = page.locator(`#work-queue tr[data-case-id="${intake[0]}"]`);
    expect(await fresh.locator('[data-receipt]').getAttribute('data-receipt')).to.equal('');
    expect(Number(await fresh.locator('[data-days-left]').getAttribute('data-days-left'))).to.equal(5);
    const dues = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { due: string } }).dataset.due));
    expect(dues).to.deep.equal([...dues].sort());
    expect(await page.locator('.pager').textContent()).to.include('Page 1 of 2, 21 in all');
    await screenshot(page, join(screenshotDir(), 'clerk-queue.png'));
  });

  it('the next page holds the case with the yellow card', async () => {
    await page.locator('.pager button', { hasText: 'Next' }).click();
    const row = page.locator(`#work-queue tr[data-case-id="${warned}"]`);
    await row.waitFor();
    expect(await row.locator('[data-flag="yellow"]').count()).to.equal(1);
    expect(new URL(page.url()).searchParams.get('page')).to.equal('2');
  });

  it('filters: overdue only, then by status', async () => {
    await page.locator('#filter-overdue').check();
    await page.locator('form.filters button[type="submit"]').click();
    await page.locator('.pager span', { hasText: /^Page 1 of 1, 1 in all$/ }).waitFor();
    expect(await page.locator('#work-queue tbody tr').count()).to.equal(1);
    expect(await page.locator('#work-queue tbody tr').getAttribute('data-case-id')).to.equal(late);

    await page.locator('#filter-overdue').uncheck();
    await page.locator('#filter-status').selectOption('submitted');
    await page.locator('#filter-service').selectOption('residence-permit');
    await page.locator('form.filters button[type="submit"]').click();
    await page.locator('.pager span', { hasText: /^Page 1 of 1, 19 in all$/ }).waitFor();
    const shown = await page.locator('#work-queue tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { caseId: string } }).dataset.caseId));
    expect([...shown].sort()).to.deep.equal([...intake].sort());
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
