import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { screenshot, screenshotDir, showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const SHOTS = screenshotDir();

/** One click from a decision in the timeline to the case as the deciding clerk saw it, on the clerk's and auditor's pages. */
describe('browser: "what the clerk saw" opens the case as of the revision a decision was made on', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let clerk: Page;
  let auditor: Page;
  let caseId: string;
  /** The revision on the clerk's screen when it accepted. */
  let seen: string;

  before(async () => {
    errand = await startBrowserErrand('br_seen');
    const citizen = await errand.token('citizen-instant-approval');
    caseId = await errand.submittedCase(citizen);
    clerk = (await errand.person({ lang: 'en' })).page;
    auditor = (await errand.person({ lang: 'zh-CN' })).page;
    await errand.signIn(clerk, 'clerk-psb');
    await clerk.goto(`/clerk/cases/${caseId}`);
    await clerk.locator('.case-head [data-status="submitted"]').waitFor();
    seen = (await clerk.locator('.actions-panel').textContent())!.match(/revision (\d+)/)![1]!;
    // The page sends the revision on screen as If-Match.
    await clerk.locator('button[data-action="AcceptCase"]').click();
    await clerk.locator('#timeline li[data-event="CaseAccepted"]').waitFor();
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { clerk, auditor });
  });
  after(async () => errand?.stop());

  it('on the clerk\'s page, the accept entry opens the case read-only as it was when the clerk accepted it', async () => {
    const button = clerk.locator('#timeline li[data-event="CaseAccepted"] button[data-seen]');
    expect(await button.getAttribute('data-seen')).to.equal(seen);
    expect(await button.textContent()).to.equal(`What the clerk saw (revision ${seen})`);
    // The applicant's own steps decided nothing: no such button there.
    expect(await clerk.locator('#timeline li[data-event="ApplicationSubmitted"] button[data-seen]').count()).to.equal(0);
    await button.click();

    const banner = clerk.locator('#past-view-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-revision')).to.equal(seen);
    expect(await banner.textContent()).to.match(new RegExp(`Past view: revision ${seen} · as of .+ · now at revision \\d+`));
    // Same cards, as they were: still awaiting intake, no acceptance in the timeline, and nothing to act on.
    await clerk.locator('#past-view .case-head [data-status="submitted"]').waitFor();
    expect(await clerk.locator('#past-timeline li').count()).to.equal(Number(seen) + 1);
    expect(await clerk.locator('#past-timeline li[data-event="CaseAccepted"]').count()).to.equal(0);
    expect(await clerk.locator('.actions-panel').count()).to.equal(0);
    expect(await clerk.locator('button[data-action]').count()).to.equal(0);
    await screenshot(clerk, join(SHOTS, 'clerk-past-view.png'));

    await clerk.locator('#past-close').click();
    await clerk.locator('.actions-panel').waitFor();
    expect(await clerk.locator('#past-view-banner').count()).to.equal(0);
    expect(await clerk.locator('.case-head [data-status="submitted"]').count()).to.equal(0);
  });

  it('on the auditor\'s page, the case timeline opens the same past view with the audit trail up to it', async () => {
    const token = await errand.token('auditor');
    await until('the accept in the audit trail', async () => {
      const trail = await errand.api(token, 'GET', `/audit/cases/${caseId}`);
      return trail.status === 200 && (trail.body.items as Array<{ eventType: string }>).some((e) => e.eventType === 'CaseAccepted');
    }, WAIT);
    await errand.signIn(auditor, 'auditor');
    await auditor.goto(`/auditor?case=${caseId}`);
    await auditor.locator('#audit-trail tr[data-event="CaseAccepted"]').waitFor();
    const button = auditor.locator('#timeline li[data-event="CaseAccepted"] button[data-seen]');
    expect(await button.textContent()).to.equal(`查看决定时所见（版本 ${seen}）`);
    await button.click();

    const banner = auditor.locator('#past-view-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-revision')).to.equal(seen);
    expect(await banner.textContent()).to.include(`历史视图：版本 ${seen}`);
    expect(await auditor.locator('#past-timeline li').count()).to.equal(Number(seen) + 1);
    // The trail as it stood then ends before the acceptance; the full one above still has it.
    await auditor.locator('#past-audit-trail tr[data-event="ApplicationSubmitted"]').waitFor();
    expect(await auditor.locator('#past-audit-trail tr[data-event="CaseAccepted"]').count()).to.equal(0);
    expect(await auditor.locator('#audit-trail tr[data-event="CaseAccepted"]').count()).to.equal(1);
    await screenshot(auditor, join(SHOTS, 'auditor-past-view.png'));

    await auditor.locator('#past-close').click();
    await auditor.locator('#timeline li[data-event="CaseAccepted"] button[data-seen]').waitFor();
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
