import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createViews } from '../../api/routes/views.ts';
import { screenshot, screenshotDir, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const SHOTS = screenshotDir();
const SERVICE = 'tax-clearance-certificate';

describe('browser: the administrator drafts, reviews, dry-runs and publishes the catalogue, and sees the projections', function () {
  this.timeout(180_000);
  let errand: BrowserErrand;
  let admin: Page;
  let caseId: string;

  before(async () => {
    errand = await startBrowserErrand('br_admin');
    // History for the dry run: one certificate approved by rule (秒批).
    const citizen = await errand.token('citizen-enterprise-active');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: SERVICE, form: { purpose: '招投标' } });
    caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
    const views = createViews(errand.engine.stores.readStore);
    await until('the case closed by rule and in the case view', async () => {
      const found = await views.find('caseView', { where: { serviceId: SERVICE } });
      return (found.items[0] as { status?: string } | undefined)?.status === 'closed' ? true : null;
    }, WAIT);
    admin = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(admin, 'admin');
  });
  after(async () => errand?.stop());

  it('the landing page signs the administrator in to the service catalogue', async () => {
    await admin.locator(`#services tr[data-service="${SERVICE}"]`).waitFor();
    expect(await admin.locator(`#services tr[data-service="${SERVICE}"]`).textContent()).to.include('v1');
    expect(await admin.locator('nav a[aria-current="page"]').textContent()).to.equal('Services');
  });

  it('a draft with a mistake is refused naming the file and field; a valid one is saved, then dry-run against the case history', async () => {
    // A slow answer for the definition (as on a loaded server): the editor must not be there, empty, before it.
    const slow = `**/api/v1/admin/catalogue/services/${SERVICE}`;
    await admin.route(slow, async (route) => { await new Promise((r) => setTimeout(r, 750)); await route.continue(); });
    await admin.locator(`#services a[href="/admin/services/${SERVICE}"]`).click();
    await admin.locator('#definition').waitFor();
    await admin.unroute(slow);
    const text = await admin.locator('#definition').inputValue();
    const next = JSON.parse(text) as { version: number; department: string; limits: { statutoryDays: number }; instantApproval: { conditions: unknown[] } };
    expect(next.version).to.equal(2);
    await admin.locator('#definition').fill(JSON.stringify({ ...next, department: 'NOWHERE' }, null, 2));
    await admin.locator('#save-draft').click();
    await admin.locator('#change-problems tr[data-field="department"]').waitFor();
    expect(await admin.locator('#change-problems').textContent()).to.include(`services/${SERVICE}.v2.json`);

    const stricter = { ...next, limits: { ...next.limits, statutoryDays: 3 }, instantApproval: { conditions: [...next.instantApproval.conditions, { material: 'tax-record', field: 'arrearsAmount', op: 'lt', value: -1 }] } };
    await admin.locator('#definition').fill(JSON.stringify(stricter, null, 2));
    await admin.locator('#save-draft').click();
    await admin.locator('#versions tr[data-version="2"][data-status="draft"]').waitFor();
    await admin.locator('#dry-run-months').selectOption('12');
    await admin.locator('#run-dry-run').click();
    await admin.locator('#dry-run-result').waitFor();
    expect(await admin.locator('#dry-run-result').getAttribute('data-changed')).to.equal('1');
    const row = admin.locator(`#dry-run-cases tr[data-case="${caseId}"]`);
    expect(await row.locator('li[data-kind="instant-approval"]').textContent()).to.include('was approved, would withhold');
    expect(await row.locator('li[data-kind="deadline"]').count()).to.be.greaterThan(0);
    await screenshot(admin, join(SHOTS, 'admin-dry-run.png'));
  });

  it('the author cannot approve their own draft; another administrator does, and the author publishes it on the dry run', async () => {
    await admin.locator('#approve').click();
    await admin.locator('.alert-error').waitFor();
    expect(await admin.locator('.alert-error').textContent()).to.include('another administrator approves it');

    const reviewer = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(reviewer, 'admin-reviewer');
    await reviewer.goto(`/admin/services/${SERVICE}`);
    await reviewer.locator('#approve').click();
    await reviewer.locator('#versions tr[data-version="2"][data-status="approved"]').waitFor();

    await admin.reload();
    await admin.locator('#publish').click();
    await admin.locator('#versions tr[data-version="2"][data-status="published"]').waitFor();
    const actions = await admin.locator('#catalogue-audit tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')).filter(Boolean));
    expect(actions).to.deep.equal(['published', 'approved', 'dry-run', 'draft-saved']);
    expect((await errand.api(await errand.token('auditor'), 'GET', `/services/${SERVICE}`)).body.version).to.equal(2);
  });

  it('a department is added into a data catalogue draft, and a data item is edited there', async () => {
    await admin.goto('/admin/data');
    await admin.locator('#departments tr[data-department="PSB"]').waitFor();
    await admin.locator('#department-code').fill('SPORT');
    await admin.locator('#department-zh').fill('体育局');
    await admin.locator('#department-en').fill('Sports Bureau');
    await admin.locator('#save-department').click();
    await admin.locator('#departments tr[data-department="SPORT"]').waitFor();
    expect(await admin.locator('#data-review').textContent()).to.include('v2');
    await admin.locator('#data-items button[data-edit="household-registration"]').click();
    const item = JSON.parse(await admin.locator('#data-item').inputValue()) as Record<string, unknown>;
    await admin.locator('#data-item').fill(JSON.stringify({ ...item, provider: 'NOWHERE' }));
    await admin.locator('#save-data-item').click();
    await admin.locator('#change-problems tr[data-field="items[0].provider"]').waitFor();
  });

  it('records a clerk\'s duties, which then decide what the clerk may do, and removes them', async () => {
    await admin.goto('/admin/data');
    await admin.locator('#duties-staff').fill('clerk-tax');
    await admin.locator('#duties-department').selectOption('TAX');
    await admin.locator('#duty-reviewer').check();
    await admin.locator('#save-duties').click();
    await admin.locator('#duties tr[data-staff="clerk-tax"]').waitFor();
    expect(await admin.locator('#duties tr[data-staff="clerk-tax"]').textContent()).to.include('review');
    const duties = (await errand.api(await errand.token('admin'), 'GET', '/admin/duties')).body.items;
    expect(duties).to.deep.equal([{ staffId: 'clerk-tax', department: 'TAX', roles: ['reviewer'] }]);
    await admin.locator('#duties button[data-remove-duties="clerk-tax"]').click();
    await admin.locator('#duties').waitFor({ state: 'detached' });
  });

  it('an import with mistakes lists them by file and field and changes nothing', async () => {
    const files = (await errand.api(await errand.token('admin'), 'GET', '/admin/catalogue-export')).body.files as Array<{ name: string; content: string }>;
    const broken = { files: [...files, { name: `services/${SERVICE}.v9.json`, content: '{ "id": ' }] };
    await admin.goto('/admin');
    await admin.locator('#import-file').setInputFiles({ name: 'catalogue-export.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await admin.locator('#import-reason').fill('moving the staging catalogue');
    await admin.locator('#import').click();
    await admin.locator(`#change-problems tr[data-file="services/${SERVICE}.v9.json"]`).waitFor();
    expect((await errand.api(await errand.token('auditor'), 'GET', `/services/${SERVICE}`)).body.version).to.equal(2);
  });

  it('shows the projections and asks for a rebuild', async () => {
    await admin.goto('/admin/operations');
    await admin.locator('#projections tr[data-projection="case-view"]').waitFor();
    await admin.locator('#projections button[data-rebuild="case-view"]').click();
    await admin.locator('#flash .alert').waitFor();
    expect(await admin.locator('#flash').textContent()).to.include('Rebuild of case-view requested');
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
