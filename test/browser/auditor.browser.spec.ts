import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { screenshot, screenshotDir, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const SHOTS = screenshotDir();

describe('browser: the auditor page shows trails, the hash chain check and statistics', function () {
  this.timeout(120_000);
  let errand: BrowserErrand;
  let page: Page;
  let caseId: string;
  let subjectId: string;

  before(async () => {
    errand = await startBrowserErrand('br_audit');
    const citizen = await errand.token('citizen-instant-approval');
    const clerk = await errand.token('clerk-psb');
    const auditor = await errand.token('auditor');
    caseId = await errand.submittedCase(citizen, { acceptAs: clerk });
    const users = (await errand.api(citizen, 'GET', '/dev/users')).body.users as Array<{ userId: string; principal: { id: string } }>;
    subjectId = users.find((u) => u.userId === 'citizen-instant-approval')!.principal.id;
    await until('the case trail and its statistics', async () => {
      const trail = await errand.api(auditor, 'GET', `/audit/cases/${caseId}`);
      const stats = await errand.api(auditor, 'GET', '/statistics');
      const received = (stats.body.services as Array<{ serviceId: string; received: number }> | undefined)?.find((s) => s.serviceId === 'residence-permit')?.received;
      return trail.status === 200 && (trail.body.items as Array<{ eventType: string }>).some((e) => e.eventType === 'EvidenceGatheringCompleted') && received === 1;
    }, WAIT);
    page = (await errand.person({ lang: 'en' })).page;
    await errand.signIn(page, 'auditor');
  });
  after(async () => errand?.stop());

  it('verifies the chain on arrival and says it is intact', async () => {
    const result = page.locator('#chain-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).to.equal('true');
    expect(await result.textContent()).to.match(/The chain is intact: \d+ entries checked/);
  });

  it('looks up the audit trail of a case: commands with before -> after states and data accesses', async () => {
    await page.locator('#lookup-id').fill(caseId);
    await page.locator('#lookup-id').press('Enter');
    const accepted = page.locator('#audit-trail tr[data-event="CaseAccepted"]');
    await accepted.waitFor();
    const row = (await accepted.textContent()) ?? '';
    expect(row).to.include('Submitted, awaiting intake → Accepted, gathering evidence');
    expect(row).to.include('clerk-psb');
    expect(await page.locator('#audit-trail tr[data-event="EvidenceReceived"]').count()).to.be.greaterThan(0);
  });

  it('looks up the audit trail of a data subject, which records the auditor reading it', async () => {
    await page.locator('#lookup-kind').selectOption('subject');
    await page.locator('#lookup-id').fill(subjectId);
    await page.locator('form.inline-form button[type="submit"]').click();
    await page.locator('#audit-trail tr[data-event="ApplicationDrafted"]').waitFor();
    expect(new URL(page.url()).searchParams.get('subject')).to.equal(subjectId);
  });

  it('shows statistics as a table and inline SVG bar charts', async () => {
    await page.locator('#stats').waitFor();
    expect(await page.locator('#stats tbody tr', { hasText: 'Residence permit application' }).count()).to.equal(1);
    expect(await page.locator('svg.chart').count()).to.equal(3);
    expect(await page.locator('svg.chart').first().getAttribute('aria-label')).to.include('Residence permit application: Received 1');
    await screenshot(page, join(SHOTS, 'auditor.png'));
  });

  it('reports a broken link when an event in the log is altered, and rebuilding the trail cannot hide it', async () => {
    const events = errand.engine.config.eventStore;
    if (events.kind !== 'postgres') throw new Error('this test edits the PostgreSQL log');
    const db = new pg.Client({ connectionString: events.url });
    await db.connect();
    let position: string;
    try {
      // An attacker with the database's superuser: the triggers off for the session, one event's data changed.
      await db.query("SET session_replication_role = 'replica'");
      const { rows } = await db.query<{ position: string }>(
        "UPDATE events SET data = jsonb_set(data, '{forged}', 'true') WHERE global_position = (SELECT min(global_position) FROM events WHERE type = 'CaseAccepted' AND stream_id = $1) RETURNING global_position::text AS position",
        [`case-${caseId}`],
      );
      position = rows[0]!.position;
    } finally {
      await db.end();
    }
    await page.locator('#verify-chain').click();
    await page.locator('#chain-result[data-ok="false"]').waitFor();
    expect(await page.locator('#chain-result').textContent()).to.include(`#${position}`);
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
