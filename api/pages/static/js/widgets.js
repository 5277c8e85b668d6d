// Pieces more than one page uses: the service form generated from its definition, and the case timeline.
import { caseView } from './api.js';
import { h, uid } from './dom.js';
import { rerender } from './layout.js';
import { localized, t, tOr } from './i18n.js';
import { actorText, dateTime } from './format.js';

/** Form controls for a service definition's fields; values (an object) is kept up to date as the user types. */
export function formControls(fields, values) {
  return fields.map((f) => {
    const id = uid(`form-${f.name}`);
    const common = { id, name: f.name, required: f.required ? true : null, 'aria-required': f.required ? 'true' : null, dataset: { field: f.name } };
    const label = h('label', { for: id }, localized(f.label), f.required ? h('span', { class: 'required', title: t('common.required') }, ' *') : null);
    if (f.type === 'boolean') {
      const box = h('input', { ...common, required: null, type: 'checkbox', checked: values[f.name] === true, on: { change: (e) => { values[f.name] = e.target.checked; } } });
      return h('div', { class: 'check' }, box, label);
    }
    const type = f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text';
    const input = h('input', {
      ...common,
      type,
      maxlength: f.maxLength ? String(f.maxLength) : null,
      value: values[f.name] === undefined || values[f.name] === null ? '' : String(values[f.name]),
      autocomplete: f.name === 'phone' ? 'tel' : 'off',
      on: { input: (e) => { values[f.name] = e.target.value; } },
    });
    return h('div', { class: 'field' }, label, input);
  });
}

/** The form body the API expects: numbers as numbers, booleans as booleans, empty optional fields left out. */
export function readForm(fields, values) {
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
export function timeline(entries = []) {
  if (!entries.length) return h('p', { class: 'muted' }, t('common.none'));
  return h('ol', { class: 'timeline', id: 'timeline' }, entries.map((e) => h('li', { dataset: { event: e.type } },
    h('time', { datetime: e.at }, dateTime(e.at)),
    h('div', {},
      h('strong', {}, tOr(`event.${e.type}`, e.type)), ' ',
      h('span', { class: 'muted' }, `· ${actorText(e)}`),
      // Summaries are written by the server in English; they name materials, departments and dates only.
      e.summary ? h('div', { class: 'summary small', lang: 'en' }, e.summary) : null))));
}

/**
 * Re-reads a case every 3 s while `wanted(view)` holds, re-rendering when its revision moved and `wanted` still
 * holds (nobody started typing or acting meanwhile). At most `maxPolls` reads until `reset()`; a failed read is
 * retried on the next tick.
 */
export function followCase(caseId, state, wanted, { maxPolls = Infinity } = {}) {
  let polling = false;
  let polls = 0;
  setInterval(async () => {
    if (polling || !state.view || polls >= maxPolls || document.hidden || !wanted(state.view)) return;
    polling = true;
    polls += 1;
    try {
      const next = await caseView(caseId);
      if (next.revision !== state.view.revision && wanted(state.view)) {
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
