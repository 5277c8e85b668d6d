// @ts-check
// What the administrator's pages share: the types of what /api/v1/admin answers, and the helpers every view uses
// to run a step, show a refused change and list the catalogue's recent changes.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, problemBox, rerender } from './layout.js';
import { dateTime } from './format.js';

/**
 * @typedef {{ 'zh-CN': string, en: string }} Text
 * @typedef {'draft' | 'approved' | 'published'} Status
 * @typedef {{ kind: string, id: string, published: number | null, open: { version: number, status: Status, updatedAt: string, updatedBy: string } | null, name: Text | null }} Summary
 * @typedef {{ kind: string, id: string, version: number, status: Status, body: Record<string, any>, updatedAt: string, updatedBy: string }} Entry
 * @typedef {{ seq: number, at: string, actor: { kind: string, id: string }, action: string, kind: string, id: string, version: number | null, details: Record<string, any> }} AuditEntry
 * @typedef {{ kind: string, was?: string, would?: string, reasons?: string[], materials?: Array<{ materialId: string, key: boolean }>, limit?: string, added?: string[], removed?: string[] }} Difference
 * @typedef {{ cases: number, changed: number, unreadable: number, instantApproval: { wouldApprove: number, wouldWithhold: number }, missingMaterials: number, deadlinesMoved: number, departmentsChanged: number }} Totals
 * @typedef {{ serviceId: string, version: number, since: string | null, ranAt: string, by: { kind: string, id: string }, totals: Totals, cases: Array<{ caseId: string, serviceVersion: number, draftedAt: string, differences: Difference[] }>, truncated: boolean }} DryRun
 * @typedef {{ code: string, name: Text }} Department
 * @typedef {{ id: string, name: Text, provider: string, sharing: string, fields: unknown[] } & Record<string, unknown>} DataItem
 * @typedef {{ departments: Department[], items: DataItem[] }} DataCatalogue
 * @typedef {{ name: string, activeVersion: number | null, state: string, lagMs: number | null, worker: string | null, rebuildRequest: { state: string } | null }} Projection
 * @typedef {{ staffId: string, department: string, roles: string[], name?: string }} Duties
 */

/**
 * A page's way to run one step: busy while it runs, its problems shown, or a confirmation and the page reloaded.
 * @param {{ busy: boolean, error: unknown }} state
 * @param {() => Promise<void>} load
 * @returns {(step: () => Promise<unknown>, done: string) => Promise<void>}
 */
export function actOn(state, load) {
  return async (step, done) => {
    state.busy = true;
    state.error = null;
    rerender();
    try {
      await step();
      flash(t(done));
      // The reload's render is the last one: a later re-render would replace controls a person may be using.
      state.busy = false;
      await load();
    } catch (error) {
      state.error = error;
      state.busy = false;
      rerender();
    }
    document.getElementById('change-problems')?.focus();
  };
}

/** @param {unknown} error */
export const notFound = (error) => error instanceof ApiError && error.status === 404;

/** @param {Text | null | undefined} name */
export const nameOf = (name) => (name ? localized(name) : '');

/** @param {Status} status */
export function statusTag(status) {
  return h('span', { class: ['badge', status === 'published' ? 'badge-good' : status === 'approved' ? 'badge-info' : 'badge-warn'], dataset: { status } }, t(`admin.status.${status}`));
}

/**
 * Field problems of a refused change as a table: file, field, problem (the server's words, written for authors).
 * @param {unknown} error
 */
export function changeProblems(error) {
  if (!(error instanceof ApiError) || error.errors.length === 0 || !error.errors[0].file) return problemBox(error);
  /** @type {Array<{ file: string, field: string, message: string }>} */
  const errors = error.errors;
  return h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1', id: 'change-problems' },
    h('p', { class: 'alert-title' }, h('strong', {}, tOr('problem.catalogue-invalid', error.title ?? '')), ' · ', t('admin.problems', { n: errors.length })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, ['admin.file', 'admin.field', 'admin.message'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, errors.map((e) => h('tr', { dataset: { file: e.file, field: e.field } }, h('td', { class: 'mono small' }, e.file), h('td', { class: 'mono small' }, e.field), h('td', {}, e.message)))))));
}

/** @param {AuditEntry[]} items */
export function auditTable(items) {
  if (items.length === 0) return h('p', { class: 'muted' }, t('admin.none'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'catalogue-audit' },
    h('thead', {}, h('tr', {}, ['admin.col.at', 'admin.col.action', 'admin.col.id', 'admin.col.version', 'admin.col.by', 'admin.col.details'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, items.slice().reverse().map((a) => h('tr', { dataset: { action: a.action } },
      h('td', { class: 'small' }, dateTime(a.at)),
      h('td', { class: 'mono' }, a.action),
      h('td', { class: 'mono small' }, `${a.kind}:${a.id}`),
      h('td', {}, a.version === null ? '—' : `v${a.version}`),
      h('td', { class: 'small' }, `${a.actor.kind}:${a.actor.id}`),
      h('td', { class: 'small' }, typeof a.details.reason === 'string' ? a.details.reason : a.details.totals ? JSON.stringify(a.details.totals) : ''))))));
}
