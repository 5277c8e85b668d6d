import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { showPagesOnFailure, startBrowserErrand, until, WAIT, type BrowserErrand } from '../support/browser.ts';

const WIDTHS = [1280, 390] as const;
const LANGS = ['zh-CN', 'en'] as const;
/** Codes and server English that must never reach a citizen or clerk as page text. */
const RAW = /material:|case-view|urn:errand|\/body\/|must NOT|INVALID_COMMAND|undefined|\[object Object\]/;

async function overflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** Fails naming what was shown around the first raw code, so a failure says where to look. */
function expectNoRaw(text: string): void {
  const found = RAW.exec(text);
  if (found) expect.fail(`raw code or server text shown: "${found[0]}" in …${text.slice(Math.max(0, found.index - 80), found.index + 80)}…`);
}

describe('browser: pages a citizen can use without help (error summary, field messages, receipt, small screens)', function () {
  this.timeout(300_000);
  let errand: BrowserErrand;
  let page: Page | undefined;
  let caseId: string;

  before(async () => {
    errand = await startBrowserErrand('br_usable');
    const citizen = await errand.token('citizen-instant-approval');
    const clerk = await errand.token('clerk-psb');
    caseId = await errand.submittedCase(citizen);
    // A second, accepted case so the queue and the auditor have rows with receipt numbers.
    await errand.submittedCase(citizen, { acceptAs: clerk });
    await until('both cases in the work queue', async () => ((await errand.api(clerk, 'GET', '/work-queue')).body.items as unknown[] | undefined)?.length === 2, WAIT);
  });
  afterEach(async function () {
    await showPagesOnFailure(this.currentTest, { page });
    await page?.context().close();
    page = undefined;
  });
  after(async () => errand?.stop());

  async function person(lang: (typeof LANGS)[number], width: number, userId: string): Promise<Page> {
    const opened = (await errand.person({ lang })).page;
    await opened.setViewportSize({ width, height: 900 });
    await errand.signIn(opened, userId);
    page = opened;
    return opened;
  }

  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`${lang} at ${width}px: wrong answers get a summary linking to each field and a message beside it, before anything is sent`, async () => {
        const p = await person(lang, width, 'citizen-instant-approval');
        let posted = 0;
        p.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/cases')) posted += 1; });
        await p.goto('/citizen/services/residence-permit');
        await p.locator('#apply-form').waitFor();
        await p.locator('input[data-field="residenceSince"]').fill('2030-01-01');
        await p.locator('input[data-field="residenceReason"]').fill('就业');
        await p.locator('input[data-field="phone"]').fill('abc');
        await p.locator('#apply-form button[type="submit"]').click();

        const summary = p.locator('#error-summary');
        await summary.waitFor();
        expect(await p.evaluate<string | undefined>('document.activeElement?.id')).to.equal('error-summary');
        const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-field')));
        expect(links).to.deep.equal(['residenceAddress', 'residenceSince', 'phone']);
        const beside = (field: string) => p.locator(`[data-error-for="${field}"]`).innerText();
        if (lang === 'zh-CN') {
          expect(await summary.innerText()).to.include('有问题需要处理');
          expect(await beside('residenceAddress')).to.include('请填写居住地址');
          expect(await beside('residenceSince')).to.include('居住起始日期不能晚于今天');
          expect(await beside('phone')).to.include('联系电话须为11位手机号码');
          expect(await p.title()).to.match(/^错误：/);
        } else {
          expect(await summary.innerText()).to.include('There is a problem');
          expect(await beside('residenceAddress')).to.include('Enter Address of residence');
          expect(await beside('residenceSince')).to.include('must be today or in the past');
          expect(await beside('phone')).to.include('11-digit mobile number');
        }
        expect(await p.locator('input[data-field="phone"]').getAttribute('aria-invalid')).to.equal('true');
        expect(await p.locator('input[data-field="phone"]').getAttribute('aria-describedby')).to.equal('field-phone-error');
        // The summary's link takes the keyboard to the field.
        await summary.locator('a[data-field="phone"]').click();
        expect(await p.evaluate<string | undefined>('document.activeElement?.id')).to.equal('field-phone');
        expect(posted, 'nothing is sent while the page knows the answers are wrong').to.equal(0);
        expectNoRaw(await mainText(p));
        expect(await overflow(p)).to.be.at.most(width);
      });
    }

    it(`${lang}: the API's 422 is shown the same way, beside each field it names, never as server English in Chinese`, async () => {
      const p = await person(lang, 390, 'citizen-instant-approval');
      // The page is given the definition without its constraints, so only the API knows the answers are wrong.
      await p.route('**/api/v1/services/residence-permit*', async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as { form: Array<Record<string, unknown>> };
        body.form = body.form.map((f) => ({ name: f.name, type: f.type, required: f.required, label: f.label }));
        await route.fulfill({ response, json: body });
      });
      let answered = 0;
      p.on('response', (r) => { if (r.request().method() === 'POST' && r.url().endsWith('/api/v1/cases')) answered = r.status(); });
      await p.goto('/citizen/services/residence-permit');
      await p.locator('#apply-form').waitFor();
      await p.locator('input[data-field="residenceAddress"]').fill('深圳市南山区科技园1号');
      await p.locator('input[data-field="residenceSince"]').fill('2030-01-01');
      await p.locator('input[data-field="residenceReason"]').fill('就业');
      await p.locator('input[data-field="phone"]').fill('abc');
      await p.locator('#apply-form button[type="submit"]').click();
      await p.locator('#error-summary').waitFor();
      expect(answered).to.equal(422);
      const links = await p.locator('#error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('data-field')));
      expect(links).to.deep.equal(['residenceSince', 'phone']);
      const phone = await p.locator('[data-error-for="phone"]').innerText();
      expect(phone).to.include(lang === 'zh-CN' ? '联系电话须为11位手机号码' : '11-digit mobile number');
      const text = await mainText(p);
      expectNoRaw(text);
      if (lang === 'zh-CN') expect(text).not.to.match(/must be|rejected/);
      expect(await overflow(p)).to.be.at.most(390);
    });
  }

  it('the draft\'s form on the case page gets the same summary and field messages, and nothing is saved', async () => {
    const citizen = await errand.token('citizen-instant-approval');
    const form = { residenceAddress: '深圳市南山区科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form });
    const p = await person('zh-CN', 390, 'citizen-instant-approval');
    await p.goto(`/citizen/cases/${String(draft.body.caseId)}`);
    await p.locator('#draft-form').waitFor();
    await p.locator('#draft-form input[data-field="phone"]').fill('12345');
    await p.locator('#draft-form button[type="submit"]').click();
    await p.locator('#error-summary').waitFor();
    expect(await p.locator('[data-error-for="phone"]').innerText()).to.include('联系电话须为11位手机号码');
    const saved = await errand.api(citizen, 'GET', `/cases/${String(draft.body.caseId)}`);
    expect((saved.body.form as Record<string, unknown>).phone).to.equal('13800138000');
    expect(await overflow(p)).to.be.at.most(390);
  });

  it('right after submitting, the citizen sees a submission receipt with the case number and time; the acceptance number follows', async () => {
    const p = await person('zh-CN', 390, 'citizen-instant-approval');
    await p.goto(`/citizen/cases/${caseId}`);
    const receipt = p.locator('#submission-receipt');
    await receipt.waitFor();
    const text = await receipt.innerText();
    expect(text).to.include(caseId);
    expect(text).to.include('提交于');
    expect(text).to.include('受理后另发受理编号');
    expectNoRaw(await mainText(p));
    expect(await overflow(p)).to.be.at.most(390);
  });

  for (const lang of LANGS) {
    it(`${lang}: "who used my data" names a clerk's reading of an uploaded file in words, not as material:<id>`, async () => {
      const clerk = await errand.token('clerk-psb');
      const citizen = await errand.token('citizen-instant-approval');
      const read = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/materials/photo/file`, { headers: { Authorization: `Bearer ${clerk}` } });
      expect(read.status).to.equal(200);
      await read.arrayBuffer();
      await until('the reading in the citizen\'s data-use list', async () => {
        const items = ((await errand.api(citizen, 'GET', '/me/data-use?pageSize=100')).body.items ?? []) as Array<{ fields?: string[] }>;
        return items.some((i) => (i.fields ?? []).some((f) => f.startsWith('material:')));
      }, WAIT);
      const p = await person(lang, 390, 'citizen-instant-approval');
      await p.goto('/citizen/data-use');
      await p.locator('#data-use').waitFor();
      const text = await mainText(p);
      expect(text).to.include(lang === 'zh-CN' ? '上传的材料' : 'an uploaded material');
      expectNoRaw(text);
      expect(await overflow(p)).to.be.at.most(390);
    });

    it(`${lang} at 390px: the clerk's work queue, case page and the auditor page fit the screen, with no raw codes`, async () => {
      const clerk = await person(lang, 390, 'clerk-psb');
      await clerk.locator('#work-queue').waitFor();
      expect(await overflow(clerk), 'work queue').to.be.at.most(390);
      expectNoRaw(await mainText(clerk));
      await clerk.goto(`/clerk/cases/${caseId}`);
      await clerk.locator('.case-head [data-status]').waitFor();
      await clerk.locator('button[data-action="AcceptCase"]').waitFor();
      expect(await overflow(clerk), 'clerk case page').to.be.at.most(390);
      expectNoRaw(await mainText(clerk));
      await clerk.context().close();

      const auditor = await person(lang, 390, 'auditor');
      await auditor.locator('#stats, #stats-empty').first().waitFor();
      await auditor.locator('#lookup-id').fill(caseId);
      await auditor.locator('#lookup-id').press('Enter');
      await auditor.locator('#audit-trail').waitFor();
      expect(await overflow(auditor), 'auditor page').to.be.at.most(390);
      expectNoRaw(await mainText(auditor));
    });
  }

  it('zh-CN: a clerk\'s 400 is titled in Chinese and names the field in words, without the server\'s English or paths', async () => {
    const clerk = await person('zh-CN', 390, 'clerk-psb');
    await clerk.goto(`/clerk/cases/${caseId}`);
    await clerk.locator('button[data-action="NotAcceptCase"]').click();
    await clerk.locator('button[data-confirm="NotAcceptCase"]').click();
    const alert = clerk.locator('#action-error [role="alert"]');
    await alert.waitFor();
    const shown = (await alert.innerText()).replace(/\s+/g, ' ');
    expect(shown).to.include('(400)');
    expect(shown).to.include('请检查：理由');
    expect(shown).not.to.match(/must|body|reasons/);
    expectNoRaw(shown);
  });

  it('a deep link opened without a session signs in and comes back to it; the landing page offers the administrator', async () => {
    const opened = (await errand.person({ lang: 'zh-CN' })).page;
    page = opened;
    await opened.goto(`/clerk/cases/${caseId}`);
    await opened.locator('a.button.primary[href^="/?role=clerk"]').click();
    await opened.locator('#role-admin').waitFor();
    await opened.locator('select[data-role="clerk"]').selectOption('clerk-psb');
    await opened.locator('button[data-sign-in="clerk"]').click();
    await opened.waitForURL(new RegExp(`/clerk/cases/${caseId}$`));
    await opened.locator('.case-head [data-status]').waitFor();

    await opened.goto('/?next=https://elsewhere.example/');
    await opened.locator('select[data-role="admin"]').selectOption('admin');
    await opened.locator('button[data-sign-in="admin"]').click();
    await opened.waitForURL(/\/admin$/);
    await opened.locator('#services tr[data-service="residence-permit"]').waitFor();
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
