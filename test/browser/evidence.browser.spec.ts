import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { screenshot, screenshotDir, startBrowserErrand, WAIT, type BrowserErrand } from '../support/browser.ts';
import { until } from '../support/http-engine.ts';

const SHOTS = screenshotDir();

describe('browser: evidence on the pages — conflicts flagged to the clerk, previews confirmed by the citizen', function () {
  this.timeout(150_000);
  let errand: BrowserErrand;

  before(async () => {
    errand = await startBrowserErrand('br_evidence');
  });
  after(async () => errand?.stop());

  it('sources that disagree on the name: the clerk sees the evidence row highlighted as a CONFLICT with both values', async () => {
    const citizen = await errand.token('citizen-name-conflict');
    const caseId = await errand.submittedCase(citizen, { acceptAs: await errand.token('clerk-psb') });
    const { page } = await errand.person({ lang: 'en' });
    await errand.signIn(page, 'clerk-psb');
    await page.goto(`/clerk/cases/${caseId}`);
    // The page follows the case while the evidence worker fetches.
    const flag = page.locator('#evidence [data-conflict="household-registration"]');
    await flag.waitFor({ timeout: WAIT });
    expect(await flag.textContent()).to.equal('CONFLICT');
    expect(await page.locator('#evidence tr.row-conflict[data-material="household-registration"]').count()).to.equal(1);
    const detail = (await page.locator('#evidence tr.row-conflict.detail').textContent()) ?? '';
    expect(detail).to.include('Sources disagree on name');
    expect(detail).to.include('≠');
    expect(await page.locator('#materials tr[data-material="household-registration"] .flag-red').count()).to.equal(1);
    await screenshot(page, join(SHOTS, 'clerk-conflict.png'));
  });

  it('an uploaded photo: the clerk downloads it from the materials table, and the applicant sees that use of their data', async () => {
    const citizen = await errand.token('citizen-address-conflict');
    const caseId = await errand.submittedCase(citizen);
    const { page } = await errand.person({ lang: 'en' });
    await errand.signIn(page, 'clerk-psb');
    await page.goto(`/clerk/cases/${caseId}`);
    const row = page.locator('#materials tr[data-material="photo"]');
    await row.locator('button[data-file="photo"]').waitFor({ timeout: WAIT });
    expect((await row.textContent()) ?? '').to.match(/photo\.jpg · \d+ B/);
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-file="photo"]').click()]);
    expect(download.suggestedFilename()).to.equal('photo.jpg');
    const saved = await readFile((await download.path())!);
    expect(saved.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0xd8]));
    expect(await page.locator('#action-error [role="alert"]').count()).to.equal(0);

    const opened = await until('the download in the applicant\'s data-use log', async () => {
      const uses = await errand.api(citizen, 'GET', '/me/data-use');
      const found = (uses.body.items as Array<Record<string, unknown>>).filter((u) => u.caseId === caseId && u.channel === 'material-file');
      return found.length > 0 ? found : null;
    });
    expect(opened.map((u) => u.fields)).to.deep.equal([['material:photo']]);
    expect(errand.pageErrors).to.deep.equal([]);
  });

  it('a record the citizen previews: confirmed on the case page, after which the rule approves and certifies at once', async () => {
    const citizen = await errand.token('citizen-instant-approval');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'social-insurance-certificate', form: { purpose: '办理落户' } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    // 秒批: the platform accepts it in the submission's own append; no clerk takes part.
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).body).to.include({ status: 'gatheringEvidence' });

    const { page } = await errand.person();
    await errand.signIn(page, 'citizen-instant-approval');
    await page.goto(`/citizen/cases/${caseId}`);
    const preview = page.locator('[data-preview="true"][data-material="social-insurance"]');
    await preview.waitFor({ timeout: WAIT });
    expect(await preview.locator('table.values tr').count()).to.be.greaterThan(3);
    expect(await preview.textContent()).to.include('人力资源和社会保障局');
    await preview.locator('button[data-action="ConfirmEvidencePreview"]').click();
    await page.locator('#certificate-no').waitFor({ timeout: WAIT });
    expect(await page.locator('#certificate-no').textContent()).to.match(/^SOCIAL-INSURANCE-CERTIFICATE-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}-[0-9A-HJKMNP-TV-Z]$/);
    expect((await page.locator('.case-head').textContent()) ?? '').to.include('已办结');
    expect(await page.locator('#decision-title').count()).to.equal(1);
    expect((await page.locator('main').textContent()) ?? '').to.include('秒批');
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
