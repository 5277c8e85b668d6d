// @ts-check
// Clerk work within a department: who holds the department's part of a case, and the buttons to claim it, let it go,
// or (a supervisor, the approver role) give it to a colleague. The case page offers what the case's `allowed` names
// for this clerk; the work queue offers Claim on unclaimed rows (the API answers 409 if someone was quicker).
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * @typedef {{ id: string, department?: string, roles?: string[] }} Clerk
 * @typedef {{ holders?: Record<string, string>, allowed?: string[] }} HeldCase
 * @typedef {{ caseId: string, heldBy?: string | null }} QueueItem
 * @typedef {'ClaimCase' | 'ReleaseCase' | 'AssignCase'} WorkCommand
 * @typedef {(type: WorkCommand, path: string, body: Record<string, unknown>) => Promise<boolean>} Execute
 */

/** @type {ReadonlyArray<readonly [WorkCommand, string]>} */
export const WORK_COMMANDS = [
  ['ClaimCase', 'claim'],
  ['ReleaseCase', 'release'],
  ['AssignCase', 'assignment'],
];

/** Staff ids are free text in the API (up to 80 characters); the page refuses only what cannot be one. */
const STAFF_ID = /^\S{1,80}$/;

/**
 * The clerk holding this department's part of the case, or null while nobody does.
 * @param {HeldCase} view
 * @param {string | undefined} department
 * @returns {string | null}
 */
export function holderOf(view, department) {
  return department === undefined ? null : view.holders?.[department] ?? null;
}

/**
 * "Held by X", "Held by you" or "Not claimed yet".
 * @param {string | null | undefined} holder
 * @param {Clerk} clerk
 * @returns {string}
 */
export function holderText(holder, clerk) {
  if (!holder) return t('work.unclaimed');
  return holder === clerk.id ? t('work.heldByYou') : t('work.heldBy', { clerk: holder });
}

/**
 * The "who handles it" block of the case page's actions panel: the holder, and Claim, Release and Assign as far as
 * `allowed` offers them to this clerk. Assign opens a small form for the colleague's staff id. The block keeps what
 * was typed across re-renders.
 * @param {{ clerk: Clerk, execute: Execute, rerender: () => void }} options
 */
export function workSection(options) {
  const { clerk, execute, rerender } = options;
  let assigning = false;
  let assignee = '';
  /** @type {string | null} */
  let problem = null;

  /** @param {WorkCommand} type @param {string} path @param {Record<string, unknown>} body */
  const run = async (type, path, body) => {
    if (await execute(type, path, body)) {
      assigning = false;
      assignee = '';
      problem = null;
      rerender();
    }
  };

  /** @param {string} path */
  function assignForm(path) {
    const input = /** @type {HTMLInputElement} */ (h('input', {
      type: 'text', id: 'AssignCase-assignee', name: 'assignee', maxlength: '80', autocomplete: 'off', spellcheck: 'false', value: assignee,
      'aria-invalid': problem ? 'true' : null, 'aria-describedby': problem ? 'AssignCase-assignee-error' : null,
      on: { input: (/** @type {Event} */ e) => { assignee = /** @type {HTMLInputElement} */ (e.target).value; } },
    }));
    return h('form', { class: 'stack command-form', id: 'form-AssignCase', dataset: { form: 'AssignCase' }, novalidate: true, on: { submit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const value = assignee.trim();
      problem = STAFF_ID.test(value) ? null : t('cmdForm.assigneeMissing');
      if (problem) {
        rerender();
        document.getElementById('AssignCase-assignee')?.focus();
        return;
      }
      void run('AssignCase', path, { assignee: value });
    } } },
    h('div', { class: problem ? 'field field-invalid' : 'field' },
      h('label', { for: input.id }, t('cmdForm.assignee')),
      problem ? h('p', { class: 'field-error', id: 'AssignCase-assignee-error' }, h('span', { class: 'sr-only' }, `${t('common.error')}: `), problem) : null,
      input),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', dataset: { confirm: 'AssignCase' } }, t('cmdForm.run', { action: t('cmd.AssignCase') })),
      h('button', { type: 'button', on: { click: () => { assigning = false; problem = null; rerender(); } } }, t('common.cancel'))));
  }

  /**
   * @param {HeldCase} view
   * @param {boolean} busy
   * @returns {HTMLElement}
   */
  function render(view, busy) {
    const holder = holderOf(view, clerk.department);
    const allowed = new Set(view.allowed ?? []);
    const offered = WORK_COMMANDS.filter(([type]) => allowed.has(type));
    return h('section', { class: 'work', id: 'work', 'aria-labelledby': 'work-title', dataset: { holder: holder ?? '' } },
      h('h3', { id: 'work-title' }, t('work.title')),
      h('p', { id: 'holder', class: holder ? (holder === clerk.id ? 'tag tag-good' : 'tag') : 'muted' }, holderText(holder, clerk)),
      offered.length
        ? h('div', { class: 'action-buttons' }, offered.map(([type, path]) => h('div', { class: 'action' },
          h('button', {
            type: 'button',
            class: type === 'ClaimCase' ? 'primary' : '',
            disabled: busy,
            'aria-expanded': type === 'AssignCase' ? String(assigning) : null,
            'aria-controls': type === 'AssignCase' ? 'form-AssignCase' : null,
            dataset: { action: type },
            on: { click: () => {
              if (type !== 'AssignCase') return void run(type, path, {});
              assigning = !assigning;
              problem = null;
              rerender();
              document.getElementById('AssignCase-assignee')?.focus();
            } },
          }, t(`cmd.${type}`)),
          type === 'AssignCase' && assigning ? assignForm(path) : null)))
        : null);
  }

  return { render };
}

/**
 * The work queue's "held by" cell: the holder, and a Claim button while nobody holds the item.
 * @param {QueueItem} item
 * @param {Clerk} clerk
 * @param {{ busy: boolean, claim: (caseId: string) => void }} options
 * @returns {HTMLElement}
 */
export function heldByCell(item, clerk, options) {
  const holder = item.heldBy ?? null;
  return h('td', { class: 'held-by', dataset: { heldBy: holder ?? '' } },
    h('div', { class: holder ? (holder === clerk.id ? 'tag tag-good' : 'small') : 'muted small' }, holder ? holderText(holder, clerk) : t('queue.unclaimed')),
    holder ? null : h('button', { type: 'button', class: 'small-button', disabled: options.busy, dataset: { claim: item.caseId }, on: { click: () => options.claim(item.caseId) } }, t('cmd.ClaimCase')));
}

