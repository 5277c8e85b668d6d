// @ts-check
// The public certificate verification page (/verify): no sign-in. The QR code on a certificate opens it with the
// number and the holder's disclosure token; anyone may also type a number or check a PDF file for alterations.
import { API } from './api.js';
import { h } from './dom.js';
import { localized, t } from './i18n.js';
import { setTitle, show, startPage } from './layout.js';

/**
 * @typedef {{
 *   certificateNo: string,
 *   status: 'valid' | 'revoked' | 'expired' | 'unknown',
 *   certificate?: { certificateType: string, name: { 'zh-CN': string, en: string }, issuer: { department: string, name: { 'zh-CN': string, en: string } }, issuedOn: string, validUntil: string | null },
 *   revokedOn?: string,
 *   disclosed?: { holderName?: string, holderId?: string },
 *   signature?: { valid: boolean, reason?: string },
 * }} Verdict
 */

const query = new URLSearchParams(location.search);
/** @type {{ number: string, token: string | null, verdict: Verdict | null, error: string | null }} */
const state = { number: query.get('no') ?? '', token: query.get('t'), verdict: null, error: null };

/**
 * @param {Response} response
 * @returns {Promise<Verdict>}
 */
async function verdictOf(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${response.status}`);
  return /** @type {Verdict} */ (body);
}

async function verify() {
  state.error = null;
  try {
    const token = state.token ? `?t=${encodeURIComponent(state.token)}` : '';
    state.verdict = await verdictOf(await fetch(`${API}/certificates/${encodeURIComponent(state.number)}/verify${token}`, { cache: 'no-store', credentials: 'omit' }));
  } catch (error) {
    state.verdict = null;
    state.error = error instanceof Error ? error.message : String(error);
  }
  render();
}

/** @param {File} file */
async function checkFile(file) {
  state.error = null;
  try {
    const response = await fetch(`${API}/certificates/${encodeURIComponent(state.number)}/verify/document`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: file, cache: 'no-store', credentials: 'omit' });
    state.verdict = await verdictOf(response);
  } catch (error) {
    state.verdict = null;
    state.error = error instanceof Error ? error.message : String(error);
  }
  render();
}

/**
 * A number as typed: numbers are upper case and spaceless, so case and spaces a reader adds copying one by hand are
 * dropped rather than reported as a malformed number.
 * @param {string} typed
 */
const asTyped = (typed) => typed.replace(/\s+/g, '').toUpperCase();

/** @param {Verdict} verdict */
function result(verdict) {
  const c = verdict.certificate;
  /** @type {Array<[string, string]>} */
  const rows = [];
  if (c) {
    rows.push([t('verify.certificate'), localized(c.name)], [t('verify.issuer'), localized(c.issuer.name)], [t('verify.issuedOn'), c.issuedOn], [t('verify.validUntil'), c.validUntil ?? t('verify.noExpiry')]);
  }
  if (verdict.revokedOn) rows.push([t('verify.revokedOn'), verdict.revokedOn]);
  if (verdict.disclosed?.holderName) rows.push([t('verify.holderName'), verdict.disclosed.holderName]);
  if (verdict.disclosed?.holderId) rows.push([t('verify.holderId'), verdict.disclosed.holderId]);
  const tone = verdict.status === 'valid' ? 'alert-good' : 'alert-error';
  return h('section', { class: 'card', id: 'verdict', 'aria-live': 'polite', dataset: { status: verdict.status } },
    h('div', { class: `alert ${tone}`, role: 'status' }, h('strong', { id: 'verify-status' }, t(`verify.status.${verdict.status}`)), ' ', h('span', { class: 'mono' }, verdict.certificateNo)),
    verdict.signature
      ? h('p', { id: 'verify-signature', class: verdict.signature.valid ? 'good' : 'bad', dataset: { valid: String(verdict.signature.valid) } }, t(verdict.signature.valid ? 'verify.signature.valid' : 'verify.signature.invalid'))
      : null,
    rows.length ? h('dl', { class: 'facts' }, rows.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value)))) : null);
}

function render() {
  show(() => {
    setTitle(t('verify.title'));
    const input = /** @type {HTMLInputElement} */ (h('input', { id: 'verify-number', name: 'no', value: state.number, required: true, autocomplete: 'off', class: 'mono' }));
    const file = /** @type {HTMLInputElement} */ (h('input', { id: 'verify-file', type: 'file', accept: 'application/pdf' }));
    const form = h('form', { class: 'card narrow', id: 'verify-form', on: {
      /** @param {Event} event */
      submit: (event) => {
        event.preventDefault();
        if (asTyped(input.value) !== state.number) state.token = null;
        state.number = asTyped(input.value);
        void verify();
      },
    } },
    h('h1', {}, t('verify.title')),
    h('p', {}, t('verify.intro')),
    h('label', { for: 'verify-number' }, t('verify.number')), input, ' ',
    h('button', { type: 'submit', class: 'primary' }, t('verify.submit')),
    h('p', {}, h('label', { for: 'verify-file' }, t('verify.pdf')), ' ', file, ' ',
      h('button', { type: 'button', id: 'verify-file-submit', on: { click: () => {
        const chosen = file.files?.[0];
        state.number = asTyped(input.value);
        if (chosen && state.number) void checkFile(chosen);
      } } }, t('verify.pdfSubmit'))));
    return [
      form,
      state.error ? h('div', { class: 'alert alert-error', role: 'alert', id: 'verify-error' }, h('strong', {}, t('verify.failed')), ' ', state.error) : null,
      state.verdict ? result(state.verdict) : null,
    ];
  });
}

await startPage(null);
render();
if (state.number) await verify();
