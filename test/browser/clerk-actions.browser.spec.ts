import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PDF, showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const FORM = { shopName: '老街面馆', premisesAddress: '深圳市南山区南头街道南头古城 8 号', floorArea: 80, seats: 30 };

describe('browser: the clerk actions — extend, suspend and resume, joint review with opinions, deny with reasons', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let lead: Page;
  let fire: Page;
  let caseId: string;
  const status = (page: Page, value: string) => page.locator(`.case-head [data-status="${value}"]`).waitFor({ timeout: WAIT });
  const run = async (page: Page, action: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>) => {
    await page.locator(`button[data-action="${action}"]`).click();
    if (fill) {
      const form = page.locator(`form[data-form="${action}"]`);
      await fill(form);
      await form.locator(`button[data-confirm="${action}"]`).click();
    }
  };

  before(async () => {
    errand = await startBrowserErrand('br_actions');
    const business = await errand.token('citizen-enterprise-active');
    const amr = await errand.token('clerk-amr');
    const draft = await errand.api(business, 'POST', '/cases', { serviceId: 'restaurant-opening', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    caseId = String(draft.body.caseId);
    expect((await errand.api(business, 'POST', `/cases/${caseId}/materials/floor-plan?fileName=plan.pdf`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(business, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    expect((await errand.api(amr, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    // The platform holds no business licence for this business: it asks for an upload, which the applicant makes.
    await until('the licence asked for', async () => ((await errand.api(amr, 'GET', `/cases/${caseId}`)).body.materials as Record<string, { status: string }> | undefined)?.['business-licence']?.status === 'upload_required', WAIT);
    expect((await errand.api(business, 'POST', `/cases/${caseId}/materials/business-licence?fileName=licence.pdf`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    await until('the case in review', async () => (await errand.api(amr, 'GET', `/cases/${caseId}`)).body.status === 'review', WAIT);
    lead = (await errand.person({ lang: 'en' })).page;
    fire = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(lead, 'clerk-amr');
    await lead.goto(`/clerk/cases/${caseId}`);
    await status(lead, 'review');
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { lead, fire });
  });
  after(async () => errand?.stop());

  it('extends the time limit by some days with a reason told to the applicant', async () => {
    const before = (await lead.locator('.case-head').textContent()) ?? '';
    await run(lead, 'ExtendDeadline', async (form) => {
      await form.locator('input[type="number"]').fill('3');
      await form.locator('textarea').fill('需要补充现场照片核对');
    });
    await lead.locator('main', { hasText: 'Extended by 3 days: 需要补充现场照片核对' }).waitFor();
    expect((await lead.locator('.case-head').textContent()) ?? '').to.not.equal(before);
  });

  it('suspends for an inspection, then resumes', async () => {
    await run(lead, 'SuspendCase', async (form) => {
      await form.locator('select').selectOption('inspection');
      await form.locator('textarea').fill('现场核查消防通道');
    });
    await status(lead, 'suspended');
    expect(await lead.locator('.case-head').textContent()).to.include('The clock is stopped while suspended');
    await run(lead, 'ResumeCase');
    await status(lead, 'review');
  });

  it('starts joint review; the fire department clerk sees only "give opinion" and approves with a comment', async () => {
    await run(lead, 'StartJointReview');
    await status(lead, 'jointReview');

    await errand.signIn(fire, 'clerk-fire');
    const row = fire.locator(`#work-queue tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-action')).to.equal('opinion');
    expect(await row.textContent()).to.include('Co-reviewer');
    await row.locator('a.case-link').click();
    await status(fire, 'jointReview');
    // Who handles the co-reviewing department's part (claim, assign) is the work block's; the decision buttons are the opinion alone.
    const decisions = (await fire.locator('.actions-panel button[data-action]').evaluateAll((buttons) => buttons.map((b) => (b as unknown as { dataset: { action: string } }).dataset.action)))
      .filter((action) => !['ClaimCase', 'ReleaseCase', 'AssignCase'].includes(action));
    expect(decisions).to.deep.equal(['GiveOpinion']);
    await run(fire, 'GiveOpinion', async (form) => {
      await form.locator('input[data-opinion="deny"]').check();
      await form.locator('input[data-opinion="approve"]').check();
      await form.locator('textarea').fill('消防通道符合要求');
    });
    await fire.locator('main', { hasText: 'Fire and Rescue Detachment：Approve — 消防通道符合要求' }).waitFor();
  });

  it('with every opinion in, the lead denies with two reasons, shown one by one', async () => {
    for (const userId of ['clerk-health', 'clerk-housing']) {
      const token = await errand.token(userId);
      const given = await errand.api(token, 'POST', `/cases/${caseId}/opinion`, { opinion: 'approve', comment: 'ok' });
      expect(given.status, JSON.stringify(given.body)).to.equal(200);
    }
    const amr = await errand.token('clerk-amr');
    await until('every opinion in the view', async () => Object.keys(((await errand.api(amr, 'GET', `/cases/${caseId}`)).body.jointReview as { opinions: object } | null)?.opinions ?? {}).length === 3, WAIT);
    await lead.locator('#refresh').click();
    await lead.locator('main', { hasText: 'Housing and Urban-Rural Development Bureau：Approve — ok' }).waitFor();
    await lead.locator('button[data-action="DenyCase"]').waitFor({ timeout: WAIT });
    await run(lead, 'DenyCase', async (form) => {
      await form.locator('textarea').fill('经营场所为历史风貌保护建筑\n\n不得设置明火厨房');
    });
    await lead.locator('.case-head [data-status="closed"].badge-bad, .case-head [data-status="denied"]').first().waitFor({ timeout: WAIT });
    const reasons = await lead.locator('#decision-title + * li, #decision-title ~ ul li').allTextContents();
    expect(reasons).to.include.members(['经营场所为历史风貌保护建筑', '不得设置明火厨房']);
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
