// @ts-check
// The administrator's operations page: the projections as the workers report them, each with a rebuild button.
import { commandHeaders, errand, newKey, send } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, show } from './layout.js';

/** @typedef {import('./admin-common.js').Projection} Projection */

/** Projections as the workers report them, with a rebuild button each. */
export async function operationsView() {
  /** @type {{ items: Projection[] | null, error: unknown }} */
  const state = { items: null, error: null };

  async function load() {
    try {
      state.items = /** @type {Projection[]} */ ((await send(errand.GET('/admin/projections'))).items);
    } catch (error) {
      state.error = error;
    }
    rerender();
  }

  /** @param {string} name */
  async function rebuild(name) {
    try {
      await send(errand.POST('/admin/projections/{name}/rebuild', { params: { path: { name } }, body: {}, headers: commandHeaders(newKey()) }));
      flash(t('admin.projections.requested', { name }));
      await load();
    } catch (error) {
      state.error = error;
      rerender();
    }
  }

  function render() {
    setTitle(t('admin.projections.title'));
    return [
      h('h1', {}, t('admin.projections.title')),
      state.error ? problemBox(state.error) : null,
      state.items === null ? loading() : h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'projections' },
        h('thead', {}, h('tr', {}, ['admin.projections.name', 'admin.projections.version', 'admin.projections.state', 'admin.projections.lag', 'admin.projections.worker', 'admin.projections.rebuildState', 'admin.col.action'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, state.items.map((p) => h('tr', { dataset: { projection: p.name, state: p.state } },
          h('td', { class: 'mono' }, p.name), h('td', {}, p.activeVersion === null ? '—' : `v${p.activeVersion}`), h('td', {}, p.state),
          h('td', {}, p.lagMs === null ? '—' : String(Math.round(p.lagMs))), h('td', { class: 'small' }, p.worker ?? '—'),
          h('td', {}, p.rebuildRequest?.state ?? '—'),
          h('td', {}, h('button', { type: 'button', dataset: { rebuild: p.name }, on: { click: () => void rebuild(p.name) } }, t('admin.projections.rebuild'))))))))),
    ];
  }

  show(render);
  await load();
}
