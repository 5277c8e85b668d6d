// Pieces more than one page uses: the service form generated from its definition, and the case timeline.
import { caseView, errand, send } from './api.js';
import { h } from './dom.js';
import { rerender } from './layout.js';
import { hasText, localized, t, tOr } from './i18n.js';
import { actorText, dateTime, day } from './format.js';
import { definition, departmentName, fieldLabel, materialName } from './catalogue.js';
import { fieldError, fieldId } from './form-errors.js';
import { localToday } from './form-rules.js';

/**
 * Form controls for a service definition's fields; values (an object) is kept up to date as the user types. issues
 * (from form-errors.js) puts a message beside each wrong field and marks its control invalid.
 */
export function formControls(fields, values, issues = []) {
  return fields.map((f) => {
    const id = fieldId(f.name);
    const issue = issues.find((i) => i.field === f.name);
    const error = issue ? fieldError(fields, issue) : null;
    const common = {
      id, name: f.name, required: f.required ? true : null, 'aria-required': f.required ? 'true' : null, dataset: { field: f.name },
      'aria-invalid': issue ? 'true' : null, 'aria-describedby': error ? error.id : null,
    };
    const label = h('label', { for: id }, localized(f.label), f.required ? h('span', { class: 'required', title: t('common.required') }, ' *') : null);
    const wrap = (...children) => h('div', { class: ['field', issue ? 'field-invalid' : ''] }, ...children);
    const current = values[f.name] === undefined || values[f.name] === null ? '' : String(values[f.name]);
    if (f.type === 'boolean') {
      const box = h('input', { ...common, required: null, type: 'checkbox', checked: values[f.name] === true, on: { change: (e) => { values[f.name] = e.target.checked; } } });
      return h('div', { class: 'check' }, box, label, error);
    }
    if (f.options) {
      const select = h('select', { ...common, on: { change: (e) => { values[f.name] = e.target.value; } } },
        h('option', { value: '' }, t('formError.choose')),
        f.options.map((o) => h('option', { value: o.value, selected: o.value === current }, localized(o.label))));
      return wrap(label, error, select);
    }
    const type = f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : f.format === 'phone' ? 'tel' : 'text';
    const today = localToday();
    const input = h('input', {
      ...common,
      type,
      maxlength: f.maxLength ? String(f.maxLength) : null,
      minlength: f.minLength ? String(f.minLength) : null,
      min: f.type === 'date' ? (f.notPast ? today : f.earliest) ?? null : f.minimum ?? null,
      max: f.type === 'date' ? (f.notFuture ? today : f.latest) ?? null : f.maximum ?? null,
      step: f.type === 'number' ? (f.integer ? '1' : 'any') : null,
      inputmode: f.format === 'phone' ? 'tel' : f.format ? 'text' : null,
      value: current,
      autocomplete: f.format === 'phone' ? 'tel' : 'off',
      on: { input: (e) => { values[f.name] = e.target.value; } },
    });
    return wrap(label, error, input);
  });
}

/**
 * The form body the API expects: numbers as numbers, booleans as booleans, empty optional fields left out.
 * @returns {Record<string, unknown>}
 */
export function readForm(fields, values) {
  /** @type {Record<string, unknown>} */
  const form = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.type === 'boolean') {
      form[f.name] = raw === true;
      continue;
    }
    if (raw === undefined || raw === null || String(raw).trim() === '') {
      if (f.required) form[f.name] = '';
      continue;
    }
    form[f.name] = f.type === 'number' ? Number(raw) : String(raw).trim();
  }
  return form;
}

/** The case timeline, oldest first, each entry with its time, what happened, who did it and the summary line. */
/**
 * Reads the case into `state.view` and its service definition into `state.def` once; a failure is kept in
 * `state.loadError` for the page to show. The API serves a caller's own writes at once, so nothing is waited for.
 */
export async function loadCase(state, caseId) {
  try {
    state.view = await caseView(caseId);
    state.def ??= await definition(state.view.serviceId, state.view.serviceVersion);
    state.loadError = null;
  } catch (error) {
    state.loadError = error;
  }
}

/** One fact of a timeline entry as this page's language says it: materials and departments by name, dates as dates. */
function factText(key, value, def) {
  if (Array.isArray(value)) return value.map((v) => factText(key.replace(/s$/, ''), v, def)).join('、');
  if (key === 'materialId') return materialName(def, value);
  if (key === 'provider' || key === 'department') return departmentName(value);
  if (key === 'reason') return tOr(`reason.${value}`, value);
  if (key === 'kind') return tOr(`suspend.${value}`, value);
  if (key === 'limit') return tOr(`limit.${value}`, value);
  if (key === 'opinion') return tOr(`opinion.${value}`, value);
  if (key === 'by') return tOr(`case.decision.by.${value}`, value);
  if (key.endsWith('On')) return day(value);
  return String(value);
}

/** The line under an entry's heading, in this page's language; null when the heading says it all. */
function timelineLine(entry, def) {
  const facts = entry.facts;
  if (!facts) return entry.summary ?? null;
  const variant = facts.commitment ? '.commitment' : facts.deemed ? '.deemed' : facts.suspendedOn ? '.suspension' : '';
  const key = `timeline.${entry.type}${variant}`;
  if (!hasText(key)) return null;
  const params = { service: def ? localized(def.name) : facts.serviceId };
  for (const [name, value] of Object.entries(facts)) params[name] = factText(name, value, def);
  if (Array.isArray(facts.fields)) {
    const dataItem = def?.materials?.find((m) => m.id === facts.materialId)?.dataItem;
    params.fields = facts.fields.map((field) => fieldLabel(dataItem, field)).join('、');
  }
  return t(key, params);
}

/**
 * The case's timeline; `def` (the service definition) names its materials. With `onSeen`, each decision entry that
 * names the revision its decider was looking at (facts.seenRevision) gets a button calling onSeen(revision).
 */
export function timeline(entries = [], def = null, { onSeen = null, id = 'timeline' } = {}) {
  if (!entries.length) return h('p', { class: 'muted' }, t('common.none'));
  return h('ol', { class: 'timeline', id }, entries.map((e) => {
    const line = timelineLine(e, def);
    const seen = e.facts?.seenRevision;
    return h('li', { dataset: { event: e.type } },
      h('time', { datetime: e.at }, dateTime(e.at)),
      h('div', {},
        h('strong', {}, tOr(`event.${e.type}`, e.type)), ' ',
        h('span', { class: 'muted' }, `· ${actorText(e)}`),
        line ? h('div', { class: 'summary small' }, line) : null,
        onSeen && seen !== undefined
          ? h('button', { type: 'button', class: 'small-button seen-button', dataset: { seen: String(seen) }, title: t('past.seenHint', { rev: seen }), on: { click: () => onSeen(String(seen)) } },
            t('past.seen', { rev: seen }))
          : null));
  }));
}

/** The case as it was after `revision` (read-only; the read is logged as a use of the applicant's data). */
export function pastCase(caseId, revision) {
  return send(errand.GET('/cases/{caseId}', { params: { path: { caseId }, query: { asOf: revision } } }));
}

/** The banner that says a page shows the past, which revision and when, with the way back to the present. */
export function pastBanner(view, onClose) {
  const asOf = view.asOf ?? { revision: view.revision, instant: view.updatedAt, currentRevision: null };
  return h('div', { class: 'alert alert-warn past-banner', id: 'past-view-banner', role: 'status', dataset: { revision: String(asOf.revision) } },
    h('strong', {}, t('past.title', { rev: asOf.revision })), ' · ',
    t('past.asOf', { at: dateTime(asOf.instant) }),
    asOf.currentRevision ? ` · ${t('past.current', { rev: asOf.currentRevision })}` : '',
    h('p', { class: 'small' }, t('past.readOnly')),
    h('button', { type: 'button', class: 'small-button', id: 'past-close', on: { click: onClose } }, t('past.close')));
}

/**
 * Re-reads a case every 3 s while `wanted(view)` holds, re-rendering when its revision moved and `wanted` still
 * holds (nobody started typing or acting meanwhile). Each poll asks only whether the case moved (If-None-Match), so
 * an unchanged case costs a 304 and is not logged as a use of the applicant's data. At most `maxPolls` reads until
 * `reset()`; a failed read is retried on the next tick.
 */
export function followCase(caseId, state, wanted, { maxPolls = Infinity } = {}) {
  let polling = false;
  let polls = 0;
  setInterval(async () => {
    if (polling || !state.view || polls >= maxPolls || document.hidden || !wanted(state.view)) return;
    polling = true;
    polls += 1;
    try {
      const next = await caseView(caseId, { unchangedFrom: state.view.revision });
      if (next && next.revision !== state.view.revision && wanted(state.view)) {
        state.view = next;
        rerender();
      }
    } catch {
      // Retried on the next tick.
    } finally {
      polling = false;
    }
  }, 3000);
  // After the user acts the case moves again: the read budget starts over.
  return { reset: () => (polls = 0) };
}
