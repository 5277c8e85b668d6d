// @ts-check
// Fees, agents, appeals and complaints on the case pages: shown to the applicant (and their agent) and to the clerk.
import { h } from './dom.js';
import { t } from './i18n.js';
import { day } from './format.js';

/**
 * @typedef {{ amount: number, currency: 'CNY', gross: number, waivedBy: string | null, payBeforeCertificate: boolean,
 *   payment: { provider: string, providerRef: string, amount: number, paidAt: string, refundDue?: string } | null,
 *   refunds: Array<{ refundId: string, amount: number, reason: string, refundedAt: string }>,
 *   failedRefunds?: Array<{ refundId: string, amount: number, reportedAt: string }> }} FeeView
 * @typedef {{ id: string, basis: 'legalRepresentative' | 'authorisation', authorisationId?: string }} AgentView
 * @typedef {{ appealCaseId: string, reviewingBody: string, requestedOn: string, deadline: string,
 *   outcome: 'upheld' | 'overturned' | 'withdrawn' | 'notAccepted' | null, decidedOn: string | null }} ReconsiderationView
 * @typedef {{ score: number, openedOn: string, dueOn: string, response: string | null, respondedOn: string | null, overdue: boolean }} ComplaintView
 * @typedef {{ status: string, applicant: { type: string, id: string }, agent?: AgentView | null, fee?: FeeView,
 *   reconsideration?: ReconsiderationView | null, legalHolds?: Array<{ holdId: string, reason: string }>,
 *   complaint?: ComplaintView | null, decision?: { outcome: string, decidedOn: string } | null,
 *   notAccepted?: { decidedOn: string } | null, allowed?: string[], reconsiderableUntil?: string }} OfficeView
 * @typedef {(label: string, call: () => Promise<unknown>) => unknown} Run
 * @typedef {(action: string, body?: Record<string, unknown>) => () => Promise<unknown>} Command
 */

/** @param {number} fen */
export const yuan = (fen) => (fen / 100).toFixed(2);

/** @param {OfficeView} view */
export function agentLine(view) {
  const agent = view.agent;
  if (!agent) return null;
  return h('p', { class: 'agent-line', id: 'agent' }, t('agent.line', { applicant: view.applicant.id, agent: agent.id, basis: t(`agent.${agent.basis}`) }));
}

/**
 * The fee, whether it is paid, waived or refunded; with the pay button for the applicant while it is owed.
 * @param {OfficeView} view
 * @param {{ run?: Run, command?: Command, busy?: boolean }} [actions]
 */
export function feeCard(view, actions = {}) {
  const fee = view.fee;
  if (!fee) return null;
  const canPay = (view.allowed ?? []).includes('PayFee') && actions.run && actions.command;
  // Taken after the approval was revoked: what is still to go back, until refunded.
  const owedBack = fee.payment?.refundDue ? fee.payment.amount - fee.refunds.reduce((sum, r) => sum + r.amount, 0) : 0;
  const lines = [
    h('p', {}, h('strong', {}, t('fee.amount')), ' ', h('span', { id: 'fee-amount' }, t('fee.yuan', { amount: yuan(fee.amount) }))),
    fee.waivedBy ? h('p', { class: 'muted', id: 'fee-waived' }, t('fee.waived', { rule: fee.waivedBy })) : null,
    fee.payBeforeCertificate && fee.amount > 0 ? h('p', { class: 'muted small' }, t('fee.beforeCertificate')) : null,
    fee.amount > 0
      ? h('p', { id: 'fee-status' }, fee.payment ? t('fee.paidOn', { date: day(fee.payment.paidAt.slice(0, 10)), provider: fee.payment.provider, ref: fee.payment.providerRef }) : t('fee.unpaid'))
      : null,
    ...fee.refunds.map((r) => h('p', { class: 'refund' }, t('fee.refund', { amount: yuan(r.amount), reason: r.reason }))),
    ...(fee.failedRefunds ?? []).map((r) => h('p', { class: 'refund-failed muted' }, t('fee.refundFailed', { amount: yuan(r.amount), refundId: r.refundId }))),
    owedBack > 0 ? h('p', { class: 'note', id: 'fee-refund-due' }, t('fee.refundDue', { amount: yuan(owedBack) })) : null,
  ];
  const pay = canPay
    ? h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'primary', disabled: actions.busy, dataset: { action: 'PayFee' },
      on: { click: () => void actions.run?.(t('fee.paid'), /** @type {Command} */ (actions.command)('payment')) },
    }, t('fee.pay', { amount: yuan(fee.amount) })))
    : null;
  return h('section', { class: 'card', id: 'fee', 'aria-labelledby': 'fee-title' }, h('h2', { id: 'fee-title' }, t('fee.title')), lines, pay);
}

/**
 * Reconsideration: its progress once asked, or the form to ask while the 60 days run.
 * @param {OfficeView} view
 * @param {{ run?: Run, command?: Command, busy?: boolean }} [actions]
 */
export function reconsiderationCard(view, actions = {}) {
  const r = view.reconsideration;
  const holds = (view.legalHolds ?? []).map((hold) => h('p', { class: 'muted small legal-hold' }, t('appeal.hold', { reason: hold.reason })));
  if (r) {
    const status = r.outcome
      ? t(`appeal.${r.outcome}`, { date: day(r.decidedOn ?? '') })
      : t('appeal.pending', { date: day(r.requestedOn), body: r.reviewingBody, caseId: r.appealCaseId });
    return h('section', { class: 'card', id: 'reconsideration', 'aria-labelledby': 'appeal-title' },
      h('h2', { id: 'appeal-title' }, t('appeal.title')), h('p', { id: 'appeal-status' }, status), holds);
  }
  if (!(view.allowed ?? []).includes('RequestReconsideration') || !actions.run || !actions.command) return null;
  // The platform's count, which moves an end on a day off to the next working day.
  const deadline = view.reconsiderableUntil ?? '';
  const grounds = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'appeal-grounds', rows: '3', maxlength: '2000', required: true }));
  const run = actions.run;
  const command = actions.command;
  return h('details', { class: 'card', id: 'reconsideration' },
    h('summary', {}, t('appeal.title')),
    h('p', { class: 'muted small' }, t('appeal.hint', { deadline: day(deadline) })),
    h('form', { class: 'stack', on: { submit: (/** @type {Event} */ e) => {
      e.preventDefault();
      if (!grounds.value.trim()) return;
      void run(t('appeal.requested'), command('reconsideration', { grounds: grounds.value.trim() }));
    } } },
    h('label', { for: 'appeal-grounds' }, t('appeal.grounds')), grounds,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: actions.busy, dataset: { action: 'RequestReconsideration' } }, t('appeal.submit')))));
}

/** @param {OfficeView} view */
export function complaintCard(view) {
  const c = view.complaint;
  if (!c) return null;
  return h('section', { class: 'card', id: 'complaint', 'aria-labelledby': 'complaint-title' },
    h('h2', { id: 'complaint-title' }, t('complaint.title')),
    c.response
      ? h('p', { id: 'complaint-answer' }, t('complaint.answer', { date: day(c.respondedOn ?? ''), response: c.response }))
      : h('p', {}, t('complaint.due', { date: day(c.dueOn) }), c.overdue ? h('strong', { class: 'overdue' }, ` ${t('complaint.overdue')}`) : null));
}

/** Everything this module shows, for a page that only reads (the clerk's facts column). @param {OfficeView} view */
export function officeFacts(view) {
  return [agentLine(view), feeCard(view), reconsiderationCard(view), complaintCard(view)];
}
