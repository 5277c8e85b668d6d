import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Engine } from '../../runtime/engine.ts';
import { pagesRouter } from '../../api/pages/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { PaymentProvider } from '../../adapters/payments/index.ts';
import { startErrand } from './http-engine.ts';

export { until } from './http-engine.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Generous: a page waits for projections and the evidence worker, which catch up asynchronously. */
export const WAIT = 30_000;

export interface BrowserErrand {
  engine: Engine;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage and localStorage), i.e. another person at another desk. */
  person(options?: { lang?: 'zh-CN' | 'en' }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the landing page as a demo user and waits for the role's page. */
  signIn(page: Page, userId: string): Promise<void>;
  /** A token for calling the API directly (setting up or changing a case behind a page's back). */
  token(userId: string): Promise<string>;
  /** JSON in and out; a Buffer body is sent raw with the Content-Type given in headers (uploads). */
  api(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A residence permit application drafted, photo uploaded and submitted over the API; accepted too when a clerk token is given. */
  submittedCase(citizenToken: string, options?: { acceptAs?: string }): Promise<string>;
  /** Errors a page logged or threw, so a spec can assert the pages run clean under the CSP. */
  pageErrors: string[];
  stop(): Promise<void>;
}

/**
 * A whole Errand (real PostgreSQL, Redis with BullMQ, projections, the evidence worker with the demo departments'
 * gateways) serving the pages, and a headless Chromium to drive them.
 */
export async function startBrowserErrand(label: string, options: { clock?: Clock; payments?: PaymentProvider } = {}): Promise<BrowserErrand> {
  const errand = await startErrand(label, { clock: options.clock, payments: options.payments, pages: pagesRouter() });
  const cleanups: Array<() => Promise<void> | void> = [() => errand.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0)) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`browser test cleanup failed: ${(error as Error).message}`);
      }
    }
  };
  try {
    const { engine, baseUrl } = errand;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const pageErrors: string[] = [];

    const api: BrowserErrand['api'] = async (token, method, path, body, headers = {}) => {
      const { status, body: answer } = await errand.api(token, method, path, body, headers);
      return { status, body: answer };
    };
    const expectOk = (what: string, response: { status: number; body: Record<string, unknown> }) => {
      if (response.status >= 300) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const submittedCase: BrowserErrand['submittedCase'] = async (citizenToken, { acceptAs } = {}) => {
      const draft = expectOk('draft', await api(citizenToken, 'POST', '/cases', { serviceId: 'residence-permit', form: RESIDENCE_FORM }));
      const caseId = String(draft.caseId);
      expectOk('photo', await api(citizenToken, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, TINY_JPEG, { 'Content-Type': 'image/jpeg' }));
      expectOk('submit', await api(citizenToken, 'POST', `/cases/${caseId}/submit`, {}));
      if (acceptAs) expectOk('accept', await api(acceptAs, 'POST', `/cases/${caseId}/accept`, {}));
      return caseId;
    };

    return {
      engine,
      baseUrl,
      browser,
      pageErrors,
      async person(options = {}) {
        const context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', viewport: { width: 1360, height: 900 } });
        if (options.lang) await context.addInitScript(`try { localStorage.setItem('errand.lang', ${JSON.stringify(options.lang)}); } catch {}`);
        context.setDefaultTimeout(WAIT);
        const page = await context.newPage();
        page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
        page.on('console', (message) => {
          // Chromium reports failed requests (the 4xx answers a spec provokes) as console errors; CSP violations and
          // script errors are what matter here.
          if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
        });
        return { context, page };
      },
      async signIn(page, userId) {
        await page.goto('/');
        await page.locator(`select[data-role] option[value="${userId}"]`).waitFor({ state: 'attached' });
        const select = page.locator('select[data-role]', { has: page.locator(`option[value="${userId}"]`) });
        const role = await select.getAttribute('data-role');
        await select.selectOption(userId);
        await page.locator(`button[data-sign-in="${role}"]`).click();
        await page.waitForURL(new RegExp(`/${role}$`));
      },
      async token(userId) {
        const response = await fetch(`${baseUrl}/api/v1/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }) });
        const body = (await response.json()) as { token?: string };
        if (!body.token) throw new Error(`sign-in as ${userId} failed`);
        return body.token;
      },
      api,
      submittedCase,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where specs put screenshots: docs/screenshots when ERRAND_SCREENSHOTS is set, else a temp dir (the step still runs). */
export function screenshotDir(): string {
  const dir = process.env.ERRAND_SCREENSHOTS ? join(process.cwd(), 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'errand-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A full-page screenshot without the transient confirmation toast. */
export async function screenshot(page: Page, path: string): Promise<void> {
  await page.evaluate(`document.getElementById('flash')?.replaceChildren()`);
  await page.screenshot({ path, fullPage: true });
}

/** For afterEach: when a step failed, prints what each page showed and where its screenshot is, to read instead of guess. */
export async function showPagesOnFailure(test: Mocha.Test | undefined, pages: Record<string, Page | undefined>): Promise<void> {
  if (test?.state !== 'failed') return;
  for (const [name, page] of Object.entries(pages)) {
    if (!page) continue;
    const path = join(tmpdir(), `errand-failed-${name}-${Date.now()}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    const text = ((await page.locator('main').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 800);
    console.error(`  [${name}] ${page.url()} (screenshot ${path})\n  ${text}`);
  }
}

/** A small real JPEG, drawn and encoded by the browser itself. */
export async function makeJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 96; canvas.height = 128;
    const g = canvas.getContext('2d');
    g.fillStyle = '#e8f0fc'; g.fillRect(0, 0, 96, 128);
    g.fillStyle = '#1d5bbf'; g.beginPath(); g.arc(48, 48, 26, 0, Math.PI * 2); g.fill();
    g.fillRect(14, 84, 68, 44);
    return canvas.toDataURL('image/jpeg', 0.85);
  })()`);
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

export const RESIDENCE_FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/** Enough of a JPEG for uploads made over the API (the server checks the media type and size, not the pixels). */
const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF'), 0xff, 0xd9]);

/** A minimal PDF for uploads that take documents. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
