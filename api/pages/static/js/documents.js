// @ts-check
// The documents card on the citizen's and the clerk's case pages: the case's notices as PDFs (acceptance receipt,
// not-accepted notice, one-time supplement notice, decision letter) and its electronic certificate (sealed PDF, signed
// credential, verification page). Downloads carry the bearer token, so they are fetched and handed to the browser as
// a file; a clerk's download is logged by the API as a use of the applicant's data.
import { API, commandHeaders, downloadFile, errand, newKey, send } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { getSession } from './session.js';

/**
 * @typedef {{
 *   caseId: string,
 *   receiptNo?: string | null,
 *   acceptedOn?: string | null,
 *   notAccepted?: object | null,
 *   supplement?: object | null,
 *   decision?: object | null,
 *   department?: string | null,
 *   certificate?: { certificateNo: string } | null,
 * }} CaseViewLike
 */

/** @typedef {'valid' | 'revoked' | 'expired' | 'unknown'} CertificateStatus */

/**
 * A certificate's status as anyone may read it (the public verification: no personal data, nothing logged), filled
 * into `slot` when it arrives; a failed read leaves the slot empty.
 * @param {string} number
 * @param {HTMLElement} slot
 */
async function fillStatus(number, slot) {
  try {
    const response = await fetch(`${API}/certificates/${encodeURIComponent(number)}/verify`, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) return;
    /** @type {{ status: CertificateStatus }} */
    const verdict = await response.json();
    slot.dataset.status = verdict.status;
    slot.className = `badge ${verdict.status === 'valid' ? 'badge-good' : 'badge-bad'}`;
    slot.textContent = t(`verify.status.${verdict.status}`);
  } catch {
    // The status is a convenience here; the verification page says the same.
  }
}

/**
 * The revocation form, for an approver of the issuing department.
 * @param {string} number
 * @param {HTMLElement} status the status slot, refreshed once revoked
 * @param {(error: unknown) => void} onError
 */
function revocationForm(number, status, onError) {
  const reason = /** @type {HTMLInputElement} */ (h('input', { id: 'revoke-reason', maxlength: '500', required: true }));
  const key = newKey();
  return h('details', { class: 'revoke' },
    h('summary', {}, t('documents.revoke')),
    h('form', { id: 'revoke-form', on: {
      /** @param {Event} event */
      submit: (event) => {
        event.preventDefault();
        if (!reason.value.trim()) return;
        send(errand.POST('/certificates/{number}/revocation', { params: { path: { number } }, body: { reason: reason.value.trim() }, headers: commandHeaders(key) }))
          .then(() => fillStatus(number, status))
          .catch(onError);
      },
    } },
    h('label', { for: 'revoke-reason' }, t('documents.revokeReason')), ' ', reason, ' ',
    h('button', { type: 'submit', class: 'danger' }, t('documents.revokeSubmit'))));
}

/** @typedef {'acceptance' | 'not-accepted' | 'supplement' | 'decision'} NoticeKind */

/**
 * The notices the case has now, in the order they happen.
 * @param {CaseViewLike} view
 * @returns {NoticeKind[]}
 */
export function noticesOf(view) {
  /** @type {NoticeKind[]} */
  const kinds = [];
  if (view.supplement) kinds.push('supplement');
  if (view.receiptNo && view.acceptedOn) kinds.push('acceptance');
  if (view.notAccepted) kinds.push('not-accepted');
  if (view.decision) kinds.push('decision');
  return kinds;
}


/**
 * The card, or null when the case has no document yet.
 * @param {CaseViewLike} view
 * @param {{ holder: boolean, onError: (error: unknown) => void }} options holder: the applicant (chooses what the QR code
 *   shows); otherwise staff, and an approver of the issuing department may revoke the certificate
 * @returns {HTMLElement | null}
 */
export function documentsCard(view, options) {
  const notices = noticesOf(view);
  const certificate = view.certificate ?? null;
  if (notices.length === 0 && !certificate) return null;
  const caseId = encodeURIComponent(view.caseId);
  /** @param {string} path @param {string} name */
  const save = (path, name) => () => void downloadFile(path, name).catch(options.onError);
  const items = notices.map((kind) =>
    h('li', {}, h('button', { type: 'button', class: 'small-button', dataset: { notice: kind }, on: { click: save(`/cases/${caseId}/notices/${kind}`, `${t(`notice.${kind}`)}.pdf`) } }, `${t(`notice.${kind}`)} (PDF)`)));
  /** @type {Node[]} */
  const certificateParts = [];
  if (certificate) {
    const number = certificate.certificateNo;
    const status = h('span', { id: 'certificate-status' });
    void fillStatus(number, status);
    const principal = getSession()?.principal;
    const mayRevoke = !options.holder && principal?.kind === 'clerk' && principal.department === view.department && (principal.roles ?? []).includes('approver');
    const name = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'disclose-name' }));
    const id = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'disclose-id' }));
    const disclosed = () => [name.checked ? 'holderName' : null, id.checked ? 'holderId' : null].filter(Boolean).join(',');
    const pdf = () => {
      const disclose = options.holder ? disclosed() : '';
      void downloadFile(`/cases/${caseId}/certificate/document${disclose ? `?disclose=${disclose}` : ''}`, `${number}.pdf`).catch(options.onError);
    };
    certificateParts.push(
      h('h3', {}, t('documents.certificate'), ' ', h('span', { class: 'mono' }, number), ' ', status),
      options.holder
        ? h('fieldset', { class: 'disclosure' },
          h('label', {}, name, ' ', t('documents.discloseName')),
          h('label', {}, id, ' ', t('documents.discloseId')),
          h('p', { class: 'hint' }, t('documents.discloseHint')))
        : null,
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'small-button', id: 'certificate-pdf', on: { click: pdf } }, t('documents.certificatePdf')), ' ',
        h('button', { type: 'button', class: 'small-button', id: 'certificate-credential', on: { click: save(`/cases/${caseId}/certificate`, `${number}.json`) } }, t('documents.credential')), ' ',
        h('a', { href: `/verify?no=${encodeURIComponent(number)}`, id: 'certificate-verify' }, t('documents.verifyLink'))),
      mayRevoke ? revocationForm(number, status, options.onError) : null,
    );
  }
  return h('section', { class: 'card documents', id: 'documents', 'aria-labelledby': 'documents-title' },
    h('h2', { id: 'documents-title' }, t('documents.title')),
    h('p', { class: 'hint' }, t('documents.intro'), options.holder ? '' : ` ${t('documents.logged')}`),
    items.length ? h('ul', { class: 'notice-list' }, items) : null,
    certificateParts);
}
