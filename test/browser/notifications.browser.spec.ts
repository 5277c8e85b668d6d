import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const DAY = 24 * 3600 * 1000;
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('browser: the inbox on the citizen and clerk pages, with unread counts and the choice of channels', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let citizenPage: Page | undefined;
  let clerkPage: Page | undefined;
  let caseId: string;

  before(async () => {
    // Accepted 30 days ago, so its promised date is long past: the red card goes to the PSB clerks and supervisors.
    const clock = new SimulatedClock(new Date(Date.now() - 30 * DAY));
    errand = await startBrowserErrand('br_notify', { clock });
    const citizen = await errand.token('citizen-instant-approval');
    const clerk = await errand.token('clerk-psb');
    caseId = await errand.submittedCase(citizen, { acceptAs: clerk });
    clock.set(new Date());
    const due = (await errand.engine.commands.load(caseId)).context.due!.promised;
    await errand.engine.commands.handle({ type: 'MarkOverdue', commandId: `overdue-${caseId}`, caseId, actor: { kind: 'system', id: 'timer' }, limit: 'promised', dueOn: due });
    await until('the citizen\'s and the clerk\'s notifications', async () => {
      const mine = await errand.api(citizen, 'GET', '/me/notifications');
      const theirs = await errand.api(clerk, 'GET', '/me/notifications');
      return Number(mine.body.unread) >= 1 && Number(theirs.body.unread) >= 1;
    }, WAIT);
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { citizen: citizenPage, clerk: clerkPage });
  });
  after(async () => errand?.stop());

  it('the citizen sees the unread count in the header, and the acceptance in the inbox in Chinese', async () => {
    citizenPage = (await errand.person()).page;
    await errand.signIn(citizenPage, 'citizen-instant-approval');
    await citizenPage.locator('#unread-count').waitFor();
    const unread = Number(await text(citizenPage, '#unread-count'));
    expect(unread).to.be.at.least(1);
    await citizenPage.locator('nav a[href="/citizen/notifications"]').click();
    await citizenPage.locator('#inbox [data-kind="accepted"]').waitFor();
    expect(await text(citizenPage, 'main h1')).to.include('消息中心');
    expect(await text(citizenPage, '#inbox [data-kind="accepted"] h2')).to.include('申请已受理');
    expect(await citizenPage.locator('#inbox [data-kind="accepted"] a').getAttribute('href')).to.equal(`/citizen/cases/${caseId}`);
    expect(await text(citizenPage, '#inbox-unread')).to.include(String(unread));
  });

  it('marking it read lowers the count in the header and on the page', async () => {
    const page = citizenPage!;
    const before = Number(await text(page, '#unread-count'));
    await page.locator('#inbox [data-kind="accepted"] .mark-read').click();
    await page.locator('#inbox [data-kind="accepted"][data-read="true"]').waitFor();
    if (before === 1) await page.locator('#unread-count').waitFor({ state: 'detached' });
    else expect(Number(await text(page, '#unread-count'))).to.equal(before - 1);
    expect(await text(page, '#inbox-unread')).to.include(String(before - 1));
  });

  it('the citizen chooses SMS and English; email cannot be chosen on a server without SMTP; the messages turn English', async () => {
    const page = citizenPage!;
    expect(await page.locator('#prefs-email').isDisabled()).to.equal(true);
    await page.locator('#prefs-sms').check();
    await page.locator('#prefs-phone').fill('13800138000');
    await page.locator('#prefs-language').selectOption('en');
    await page.locator('#prefs-save').click();
    await page.locator('#flash', { hasText: '通知方式已保存' }).waitFor();
    const token = await errand.token('citizen-instant-approval');
    expect((await errand.api(token, 'GET', '/me/notification-preferences')).body).to.include({ language: 'en', sms: true, phone: '13800138000', email: false });
    await page.locator('#lang-toggle').click();
    await page.locator('#inbox [data-kind="accepted"] h2', { hasText: 'Application accepted' }).waitFor();
  });

  it('the clerk sees the red card of the overdue case in their inbox, with its count in the header', async () => {
    clerkPage = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(clerkPage, 'clerk-psb');
    await clerkPage.locator('#unread-count').waitFor();
    await clerkPage.locator('nav a[href="/clerk/notifications"]').click();
    const card = clerkPage.locator('#inbox [data-kind="deadlineOverdue"]').first();
    await card.waitFor();
    expect(await card.locator('h2').textContent()).to.include('[Red card] Overdue');
    expect(await card.locator('a').getAttribute('href')).to.equal(`/clerk/cases/${caseId}`);
    // The applicant's own messages are not in a clerk's inbox.
    expect(await clerkPage.locator('#inbox [data-kind="accepted"]').count()).to.equal(0);
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
