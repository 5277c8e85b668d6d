import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowserErrand, type BrowserErrand } from '../support/browser.ts';

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('browser: Chinese by default, English on request, remembered', function () {
  this.timeout(120_000);
  let errand: BrowserErrand;
  let page: Page;

  before(async () => {
    errand = await startBrowserErrand('br_lang');
    page = (await errand.person()).page;
  });
  after(async () => errand?.stop());

  it('shows the landing page and the catalogue in Chinese, service names from the definitions', async () => {
    await errand.signIn(page, 'citizen-instant-approval');
    await page.locator('[data-service="residence-permit"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).to.equal('zh-CN');
    expect(await text(page, 'main h1')).to.equal('办事服务');
    expect(await text(page, '[data-service="residence-permit"] h2')).to.equal('居住证申领');
    expect(await text(page, '#lang-toggle')).to.equal('English');
  });

  it('the toggle switches every text to English in place, keeping what was typed', async () => {
    await page.locator('#service-search').fill('permit');
    await page.locator('#lang-toggle').click();
    await page.locator('main h1', { hasText: 'Services' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await text(page, '[data-service="residence-permit"] h2')).to.equal('Residence permit application');
    expect(await text(page, 'nav a[aria-current="page"]')).to.equal('Services');
    expect(await page.locator('#service-search').inputValue()).to.equal('permit');
    expect(await text(page, '#lang-toggle')).to.equal('中文');
  });

  it('the choice is remembered across pages and reloads, and switching back restores Chinese', async () => {
    await page.goto('/citizen/cases');
    await page.locator('main h1', { hasText: 'My cases' }).waitFor();
    await page.goto('/');
    await page.locator('main h2', { hasText: 'Choose a role and sign in' }).waitFor();
    await page.goto('/citizen');
    await page.locator('[data-service="residence-permit"] h2', { hasText: 'Residence permit application' }).waitFor();
    await page.locator('#lang-toggle').click();
    await page.locator('main h1', { hasText: '办事服务' }).waitFor();
    await page.reload();
    await page.locator('[data-service="residence-permit"] h2', { hasText: '居住证申领' }).waitFor();
    expect(errand.pageErrors).to.deep.equal([]);
  });
});
