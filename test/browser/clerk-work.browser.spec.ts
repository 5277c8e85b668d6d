import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

/**
 * Clerk work in one department (PSB) through the pages: a clerk claims a case from the work queue, a colleague sees
 * it held and is offered nothing to take it, the supervisor (approver) gives it to the colleague, who then holds it
 * and lets it go.
 */
describe('browser: claim, hold, assign and release a case (work queue and case page)', function () {
  this.timeout(240_000);
  let errand: BrowserErrand;
  let first: Page;
  let second: Page;
  let supervisor: Page;
  let caseId: string;
  let supervisorToken: string;

  const row = (page: Page) => page.locator(`#work-queue tr[data-case-id="${caseId}"]`);
  const holderOnCase = (page: Page, text: string) => page.locator('#work #holder', { hasText: text }).waitFor({ timeout: WAIT });
  const workButtons = (page: Page) => page.locator('#work button[data-action]').evaluateAll((buttons) => buttons.map((b) => (b as unknown as { dataset: { action: string } }).dataset.action));
  const holderInApi = (clerk: string | undefined) =>
    until(`the holder ${clerk ?? 'none'} in the case view`, async () => {
      const view = await errand.api(supervisorToken, 'GET', `/cases/${caseId}`);
      return (view.body.holders as Record<string, string> | undefined)?.PSB === clerk ? view : null;
    }, WAIT);

  before(async () => {
    errand = await startBrowserErrand('br_work');
    supervisorToken = await errand.token('clerk-psb');
    caseId = await errand.submittedCase(await errand.token('citizen-address-conflict'));
    first = (await errand.person({ lang: 'en' })).page;
    second = (await errand.person({ lang: 'en' })).page;
    supervisor = (await errand.person({ lang: 'zh-CN' })).page;
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { first, second, supervisor });
  });
  after(async () => errand?.stop());

  it('a clerk claims the case from the work queue; the row then says it is theirs', async () => {
    await errand.signIn(first, 'clerk-psb-2');
    await row(first).waitFor();
    expect(await row(first).locator('td.held-by').getAttribute('data-held-by')).to.equal('');
    expect(await row(first).locator('td.held-by').textContent()).to.include('Unclaimed');
    await row(first).locator(`button[data-claim="${caseId}"]`).click();
    await holderInApi('clerk-psb-2');
    // The queue follows the projection: it may take a moment to show the holder.
    await until('the row to show the holder', async () => {
      await first.reload();
      await row(first).waitFor();
      return (await row(first).locator('td.held-by').getAttribute('data-held-by')) === 'clerk-psb-2';
    }, WAIT);
    expect(await row(first).locator('td.held-by').textContent()).to.include('Held by you');
    expect(await row(first).locator('button[data-claim]').count()).to.equal(0);
    await first.locator('#filter-held').check();
    await first.locator('form.filters button[type="submit"]').click();
    await first.waitForURL(/heldBy=clerk-psb-2/);
    await row(first).waitFor();
  });

  it('a colleague sees it held, in the queue and on the case page, and is offered no way to take it', async () => {
    await errand.signIn(second, 'clerk-psb-3');
    await row(second).waitFor();
    expect(await row(second).locator('td.held-by').textContent()).to.include('Held by clerk-psb-2');
    expect(await row(second).locator('button[data-claim]').count()).to.equal(0);
    await row(second).locator('a.case-link').click();
    await holderOnCase(second, 'Held by clerk-psb-2');
    expect(await workButtons(second)).to.deep.equal([]);
  });

  it('the supervisor sees the holder and assigns the case to the colleague; the page then names the new holder', async () => {
    await errand.signIn(supervisor, 'clerk-psb');
    await supervisor.goto(`/clerk/cases/${caseId}`);
    await holderOnCase(supervisor, '由 clerk-psb-2 经办');
    expect(await workButtons(supervisor)).to.deep.equal(['ReleaseCase', 'AssignCase']);
    await supervisor.locator('#work button[data-action="AssignCase"]').click();
    const form = supervisor.locator('form[data-form="AssignCase"]');
    // An empty staff id is refused on the page, beside the field, before anything is sent.
    await form.locator('button[data-confirm="AssignCase"]').click();
    await form.locator('.field-error', { hasText: '请填写要指派的工作人员工号' }).waitFor();
    expect(await form.locator('input').getAttribute('aria-invalid')).to.equal('true');
    await form.locator('input').fill('clerk-psb-3');
    await form.locator('button[data-confirm="AssignCase"]').click();
    await holderOnCase(supervisor, '由 clerk-psb-3 经办');
    await holderInApi('clerk-psb-3');
    expect(await supervisor.locator('form[data-form="AssignCase"]').count()).to.equal(0);
    // The timeline words clerk work in the page's language, never as event codes.
    const timeline = (await supervisor.locator('#timeline').textContent()) ?? '';
    expect(timeline).to.include('由 clerk-psb-2 认领经办').and.include('clerk-psb 指派给 clerk-psb-3');
    expect(timeline).to.not.match(/CaseClaimed|CaseAssigned/);
  });

  it('the colleague now holds it and releases it; then anyone of the department may claim it again', async () => {
    await second.reload();
    await holderOnCase(second, 'Held by you');
    expect(await workButtons(second)).to.deep.equal(['ReleaseCase']);
    await second.locator('#work button[data-action="ReleaseCase"]').click();
    await holderOnCase(second, 'Not claimed yet');
    expect(await workButtons(second)).to.deep.equal(['ClaimCase']);
    await holderInApi(undefined);
    expect(errand.pageErrors).to.deep.equal([]);
  });

  it('a claim that lost the race shows the problem and the queue reloads with the winner', async () => {
    await first.goto('/clerk');
    await row(first).waitFor();
    await until('the row unclaimed again', async () => {
      await first.reload();
      await row(first).waitFor();
      return (await row(first).locator('td.held-by').getAttribute('data-held-by')) === '';
    }, WAIT);
    // The supervisor claims it behind the page's back; the clerk then clicks Claim on the stale row.
    expect((await errand.api(supervisorToken, 'POST', `/cases/${caseId}/claim`, {})).status).to.equal(200);
    await row(first).locator(`button[data-claim="${caseId}"]`).click();
    await first.locator('#claim-error [role="alert"]').waitFor();
    expect(((await first.locator('#claim-error').textContent()) ?? '').length).to.be.greaterThan(0);
    await holderInApi('clerk-psb');
    await until('the row to name the winner', async () => (await row(first).locator('td.held-by').getAttribute('data-held-by')) === 'clerk-psb' || (await first.reload(), false), WAIT);
    expect(await row(first).locator('button[data-claim]').count()).to.equal(0);
  });
});
