import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowserErrand, WAIT, type BrowserErrand } from '../support/browser.ts';

describe('browser: the clerk sees the problem+json the API answers with', function () {
  this.timeout(120_000);
  let errand: BrowserErrand;
  let page: Page;
  let clerkToken: string;
  let caseId: string;

  before(async () => {
    errand = await startBrowserErrand('br_errors');
    const citizen = await errand.token('citizen-instant-approval');
    clerkToken = await errand.token('clerk-psb');
    caseId = await errand.submittedCase(citizen);
    page = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(page, 'clerk-psb');
    await page.goto(`/clerk/cases/${caseId}`);
    await page.locator('.case-head [data-status="submitted"]').waitFor({ timeout: WAIT });
  });
  after(async () => errand?.stop());

  it('"do not accept" without a reason: the 400 with its field errors is shown, and nothing changes', async () => {
    await page.locator('button[data-action="NotAcceptCase"]').click();
    await page.locator('button[data-confirm="NotAcceptCase"]').click();
    const alert = page.locator('#action-error [role="alert"]');
    await alert.waitFor();
    const shown = (await alert.textContent()) ?? '';
    expect(shown).to.include('(400)');
    expect(shown).to.match(/reason/);
    expect(await page.locator('.case-head [data-status="submitted"]').count()).to.equal(1);
  });

  it('a click on a case another clerk changed meanwhile: the 409 stale revision is shown, and Refresh brings the case up to date', async () => {
    await page.locator('form[data-form="NotAcceptCase"] button[type="button"]').click();
    const current = await errand.api(clerkToken, 'GET', `/cases/${caseId}?actions=true`);
    // Hold the page at what it has on screen while someone else moves the case on.
    const stale = (url: URL) => url.pathname === `/api/v1/cases/${caseId}`;
    await page.route(stale, (route) => (route.request().method() === 'GET' ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(current.body) }) : route.fallback()));
    const moved = await errand.api(clerkToken, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note: 'signed copy please' }] }, { 'If-Match': `"${String(current.body.revision)}"` });
    expect(moved.status).to.equal(200);

    await page.locator('button[data-action="AcceptCase"]').click();
    const alert = page.locator('#action-error [role="alert"]');
    await alert.waitFor();
    const shown = (await alert.textContent()) ?? '';
    expect(shown).to.include('(409)');
    expect(shown).to.include(`not ${String(current.body.revision)}`);
    expect(shown).to.include('The case changed meanwhile');

    await page.unroute(stale);
    await page.locator('#refresh').click();
    await page.locator('.case-head [data-status="awaitingSupplement"]').waitFor({ timeout: WAIT });
    expect(await page.locator('button[data-action="AcceptCase"]').count()).to.equal(0);
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
