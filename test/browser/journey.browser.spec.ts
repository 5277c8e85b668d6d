import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { makeJpeg, PDF, RESIDENCE_FORM, screenshot, screenshotDir, showPagesOnFailure, startBrowserErrand, WAIT, type BrowserErrand } from '../support/browser.ts';

const SHOTS = screenshotDir();

const status = (page: Page, value: string) => page.locator(`.case-head [data-status="${value}"]`).waitFor({ timeout: WAIT * 2 });

describe('browser: a residence permit applied for, supplemented, decided and certified through the pages', function () {
  this.timeout(240_000);
  let errand: BrowserErrand;
  let citizen: Page;
  let clerk: Page;
  let caseId: string;

  before(async () => {
    errand = await startBrowserErrand('br_journey');
    citizen = (await errand.person()).page;
    clerk = (await errand.person()).page;
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { citizen, clerk });
  });
  after(async () => errand?.stop());

  it('the citizen finds the service, fills in the form, uploads a photo and submits asking for the home record to be fetched', async () => {
    await errand.signIn(citizen, 'citizen-instant-approval');
    await citizen.locator('#service-search').fill('居住证');
    await expect(await citizen.locator('.service-card').count()).to.equal(1);
    await citizen.locator('a[href="/citizen/services/residence-permit"]').click();

    await citizen.locator('#apply-form').waitFor();
    for (const [name, value] of Object.entries(RESIDENCE_FORM)) await citizen.locator(`input[data-field="${name}"]`).fill(value);
    await citizen.locator('#apply-form button[type="submit"]').click();
    await citizen.waitForURL(/\/citizen\/cases\/[0-9a-f-]{36}$/);
    caseId = citizen.url().split('/').pop()!;

    await status(citizen, 'draft');
    const jpeg = await makeJpeg(citizen);
    expect(jpeg.subarray(0, 3).toString('hex')).to.equal('ffd8ff');
    await citizen.locator('input[data-upload="photo"]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await citizen.locator('li[data-material="photo"] [data-material-status="uploaded"]').waitFor();
    // The uploaded file is named beside its status, and the applicant can fetch their own copy back.
    const own = citizen.locator('li[data-material="photo"] button[data-file="photo"]');
    await own.waitFor();
    expect(await own.textContent()).to.equal('photo.jpg');
    const [download] = await Promise.all([citizen.waitForEvent('download'), own.click()]);
    expect(download.suggestedFilename()).to.equal('photo.jpg');
    expect((await readFile((await download.path())!)).equals(jpeg)).to.equal(true);

    await citizen.locator('input[data-explicit="housing"]').check();
    await citizen.locator('button[data-action="SubmitApplication"]').click();
    await status(citizen, 'submitted');
  });

  it('the PSB clerk opens it from the work queue and asks once for the rental contract', async () => {
    await errand.signIn(clerk, 'clerk-psb');
    const row = clerk.locator(`#work-queue tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    await expect(await row.getAttribute('data-action')).to.equal('intake');
    await row.locator('a.case-link').click();
    await clerk.waitForURL(new RegExp(`/clerk/cases/${caseId}$`));
    await status(clerk, 'submitted');

    await clerk.locator('button[data-action="RequestSupplement"]').click();
    const form = clerk.locator('form[data-form="RequestSupplement"]');
    await form.waitFor();
    // Every material is on the checklist; the one already uploaded cannot be asked for again.
    await expect(await form.locator('input[data-pick]').count()).to.equal(5);
    await expect(await form.locator('input[data-pick="photo"]').isDisabled()).to.equal(true);
    await form.locator('input[data-pick="rental-contract"]').check();
    await form.locator('input[data-note="rental-contract"]').fill('请上传签字的租赁合同');
    await form.locator('button[data-confirm="RequestSupplement"]').click();
    await status(clerk, 'awaitingSupplement');
  });

  it('the citizen sees the notice listing the contract, uploads it and answers', async () => {
    const notice = citizen.locator('#supplement-notice');
    await notice.waitFor({ timeout: WAIT });
    await expect(await notice.locator('li[data-material]').count()).to.equal(1);
    await expect(await notice.textContent()).to.include('请上传签字的租赁合同');
    // The timeline says it in the page's language, naming the material as the catalogue does.
    const asked = citizen.locator('#timeline li[data-event="SupplementRequested"] .summary');
    await expect(await asked.textContent()).to.match(/^一次性告知补正：租赁合同（租住的提供），\d{4}年\d{1,2}月\d{1,2}日 前$/);
    await screenshot(citizen, join(SHOTS, 'citizen-supplement.png'));
    await notice.locator('input[data-upload="rental-contract"]').setInputFiles({ name: 'rental-contract.pdf', mimeType: 'application/pdf', buffer: PDF });
    await notice.locator('li[data-material="rental-contract"] [data-material-status="uploaded"]').waitFor();
    await citizen.locator('button[data-action="ProvideSupplement"]').click();
    await status(citizen, 'submitted');
  });

  it('the clerk accepts; the evidence is fetched from PSB, HRSS and NRB and shown with its provenance', async () => {
    // The clerk's page does not poll (each read is logged as a use of the applicant's data): refresh by hand.
    await clerk.locator('#refresh').click();
    const accept = clerk.locator('button[data-action="AcceptCase"]');
    await accept.waitFor({ timeout: WAIT });
    await accept.click();
    await status(clerk, 'review');
    const household = clerk.locator('#evidence tr[data-material="household-registration"]');
    await household.waitFor();
    const text = (await household.textContent()) ?? '';
    expect(text).to.include('公安局');
    expect(await household.locator('.trust').textContent()).to.equal('A');
    expect(await household.locator('code.hash').getAttribute('title')).to.match(/^[a-f0-9]{64}$/);
    await clerk.locator('#evidence tr[data-material="social-insurance"]').waitFor();
    await clerk.locator('#evidence tr[data-material="housing"]').waitFor();
    await screenshot(clerk, join(SHOTS, 'clerk-workbench.png'));
  });

  it('the clerk approves with a reason and issues the certificate', async () => {
    await clerk.locator('button[data-action="ApproveCase"]').click();
    await clerk.locator('form[data-form="ApproveCase"] textarea').fill('材料齐全，符合《居住证暂行条例》第九条');
    await clerk.locator('button[data-confirm="ApproveCase"]').click();
    await status(clerk, 'approved');
    await clerk.locator('button[data-action="IssueCertificate"]').click();
    await clerk.locator('#certificate-no').waitFor();
  });

  it('the citizen sees the certificate number and rates the service', async () => {
    const number = citizen.locator('#certificate-no');
    await number.waitFor({ timeout: WAIT });
    expect(await number.textContent()).to.match(/^.+-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}-[0-9A-HJKMNP-TV-Z]$/);
    await citizen.locator('label[for="star-5"]').click();
    await citizen.locator('#rating-comment').fill('一次都没跑，很方便');
    await citizen.locator('button[data-action="RateCase"]').click();
    await citizen.locator('#rating .stars-shown').waitFor();
    await screenshot(citizen, join(SHOTS, 'citizen-case.png'));
  });

  it('"who used my data" lists the PSB clerk looking at the case and the evidence fetched from its holders', async () => {
    await citizen.goto('/citizen/data-use');
    await citizen.locator('#data-use tr[data-channel="case-view"][data-department="PSB"]').first().waitFor();
    await citizen.locator('#data-use tr[data-channel="evidence"][data-holder="PSB"]').first().waitFor();
    await citizen.locator('#data-use tr[data-channel="evidence"][data-holder="HRSS"]').first().waitFor();
    const fetched = (await citizen.locator('#data-use tr[data-channel="evidence"][data-holder="PSB"]').first().textContent()) ?? '';
    expect(fetched).to.include('户籍信息');
    // Names of fields, never their values.
    expect(await citizen.locator('#data-use').textContent()).to.not.include(RESIDENCE_FORM.phone);
  });

  it('no page threw or hit the content security policy', () => {
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
