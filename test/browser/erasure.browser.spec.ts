import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

describe('browser: a citizen asks for the erasure of their data and sees the decision (GOV.UK error pattern)', function () {
  this.timeout(300_000);
  let errand: BrowserErrand;
  let page: Page | undefined;
  let citizen: string;
  let admin: string;
  let ended: string;
  let open: string;

  before(async () => {
    errand = await startBrowserErrand('br_erasure');
    citizen = await errand.token('citizen-instant-approval');
    admin = await errand.token('admin');
    ended = await errand.submittedCase(citizen);
    expect((await errand.api(citizen, 'POST', `/cases/${ended}/withdraw`, { reason: '不再需要' })).status).to.equal(200);
    open = await errand.submittedCase(citizen);
    await until('both cases listed', async () => ((await errand.api(citizen, 'GET', '/cases')).body.items as unknown[] | undefined)?.length === 2, WAIT);
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { page });
    await page?.context().close();
    page = undefined;
  });
  after(async () => errand?.stop());

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: sending nothing shows a summary linking to both questions and a message beside each, and sends no request`, async () => {
      const opened = (await errand.person({ lang })).page;
      page = opened;
      await errand.signIn(opened, 'citizen-instant-approval');
      let posted = 0;
      opened.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/erasure-requests')) posted += 1; });
      await opened.goto('/citizen/erasure');
      await opened.locator('#erasure-send').click();
      const summary = opened.locator('#error-summary');
      await summary.waitFor();
      expect(await opened.evaluate<string>("document.activeElement?.id ?? ''")).to.equal('error-summary');
      const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).to.deep.equal(['#erasure-cases', '#erasure-reason']);
      expect(await opened.locator('#erasure-cases-error').innerText()).to.match(lang === 'en' ? /Select at least one case/ : /请至少选择一个事项/);
      expect(await opened.locator('#erasure-reason-error').isVisible()).to.equal(true);
      await summary.locator('a[href="#erasure-reason"]').click();
      expect(await opened.evaluate<string>("document.activeElement?.id ?? ''")).to.equal('erasure-reason');
      expect(posted).to.equal(0);
    });
  }

  it('given a choice and a reason, when sent, then the request is listed; once the administrator decides, the page shows the decision and what was kept', async () => {
    const opened = (await errand.person({ lang: 'en' })).page;
    page = opened;
    await errand.signIn(opened, 'citizen-instant-approval');
    await opened.goto('/citizen/erasure');
    await opened.locator(`input[data-case-id="${ended}"]`).check();
    await opened.locator(`input[data-case-id="${open}"]`).check();
    await opened.locator('#erasure-reason').fill('The case is finished; I no longer need it kept.');
    await opened.locator('#erasure-send').click();
    const row = opened.locator('#erasure-requests tr[data-status="requested"]');
    await row.waitFor();
    expect(await row.innerText()).to.match(/Requested/);
    const requestId = await row.getAttribute('data-request-id');

    const decided = await errand.api(admin, 'POST', `/admin/erasure-requests/${requestId}/decision`, { decision: 'accepted', explanation: 'Purpose achieved.' });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    await until('the decision on the page', async () => {
      await opened.reload();
      return (await opened.locator('#erasure-requests tr[data-status="accepted"]').count()) === 1 ? true : null;
    }, WAIT);
    const text = await opened.locator('#erasure-requests').innerText();
    expect(text).to.include('Accepted').and.include('Purpose achieved.').and.include('personal data of 1 case(s) erased').and.include('still in progress and was kept');
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
