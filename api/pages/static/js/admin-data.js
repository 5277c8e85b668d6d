// @ts-check
// The administrator's data page: departments, staff duties and data items, edited into a data catalogue draft that is
// then reviewed, approved and published like a service.
import { commandHeaders, errand, newKey, send } from './api.js';
import { departmentName } from './catalogue.js';
import { field, h } from './dom.js';
import { t, tOr } from './i18n.js';
import { loading, rerender, setTitle, show } from './layout.js';
import { actOn, changeProblems, nameOf, statusTag } from './admin-common.js';

/** @typedef {import('./admin-common.js').Entry} Entry */
/** @typedef {import('./admin-common.js').DataCatalogue} DataCatalogue */
/** @typedef {import('./admin-common.js').Duties} Duties */

const DUTIES = ['intake', 'reviewer', 'approver'];

/** Departments and data items, edited into a data catalogue draft that is then reviewed like a service. */
export async function dataView() {
  /** @type {{ versions: Entry[] | null, duties: Duties[], error: unknown, busy: boolean, dept: { code: string, zh: string, en: string }, editing: string | null, itemText: string, clerk: { staffId: string, department: string, roles: string[] } }} */
  const state = { versions: null, duties: [], error: null, busy: false, dept: { code: '', zh: '', en: '' }, editing: null, itemText: '', clerk: { staffId: '', department: '', roles: [] } };
  const entry = /** @type {const} */ ({ kind: 'data-catalogue', id: 'data-catalogue' });
  const open = () => state.versions?.find((v) => v.status !== 'published') ?? null;
  /** @returns {DataCatalogue | null} */
  const doc = () => /** @type {DataCatalogue | null} */ ((open() ?? state.versions?.filter((v) => v.status === 'published').at(-1))?.body ?? null);

  async function load() {
    try {
      const [versions, duties] = await Promise.all([send(errand.GET('/admin/catalogue/{kind}/{id}', { params: { path: entry } })), send(errand.GET('/admin/duties'))]);
      state.versions = versions.items;
      state.duties = duties.items;
    } catch (error) {
      state.error = error;
    }
    rerender();
  }

  const act = actOn(state, load);

  function reviewCard() {
    const draft = open();
    return h('section', { class: 'card', id: 'data-review' },
      h('h2', {}, t('admin.data.review')),
      draft
        ? h('div', { class: 'actions' }, `v${draft.version} `, statusTag(draft.status), ` ${draft.updatedBy}`,
          draft.status === 'draft' ? h('button', { type: 'button', id: 'data-approve', disabled: state.busy, on: { click: () => void act(() => send(errand.POST('/admin/catalogue/{kind}/{id}/versions/{version}/approve', { params: { path: { ...entry, version: String(draft.version) } }, body: {}, headers: commandHeaders(newKey()) })), 'admin.approved') } }, t('admin.approve')) : null,
          draft.status === 'approved' ? h('button', { type: 'button', class: 'primary', id: 'data-publish', disabled: state.busy, on: { click: () => void act(() => send(errand.POST('/admin/catalogue/{kind}/{id}/versions/{version}/publish', { params: { path: { ...entry, version: String(draft.version) } }, body: {}, headers: commandHeaders(newKey()) })), 'admin.published') } }, t('admin.publish')) : null,
          h('button', { type: 'button', class: 'danger-outline', disabled: state.busy, on: { click: () => void act(() => send(errand.DELETE('/admin/catalogue/{kind}/{id}/versions/{version}', { params: { path: { ...entry, version: String(draft.version) } }, headers: commandHeaders(newKey()) })), 'admin.discarded') } }, t('admin.discard')))
        : h('p', { class: 'muted' }, t('admin.data.noDraft')));
  }

  function departmentsCard() {
    const catalogue = doc();
    /** @param {'code' | 'zh' | 'en'} key */
    const input = (key) => h('input', { type: 'text', id: `department-${key}`, value: state.dept[key], on: { input: (/** @type {Event} */ e) => { state.dept[key] = /** @type {HTMLInputElement} */ (e.target).value; } } });
    return h('section', { class: 'card', 'aria-labelledby': 'departments-title' },
      h('h2', { id: 'departments-title' }, t('admin.departments')),
      h('table', { class: 'table compact', id: 'departments' }, h('tbody', {}, (catalogue?.departments ?? []).map((d) => h('tr', { dataset: { department: d.code } }, h('td', { class: 'mono' }, d.code), h('td', {}, d.name['zh-CN']), h('td', {}, d.name.en))))),
      h('form', { class: 'inline-form', on: { submit: (/** @type {Event} */ e) => {
        e.preventDefault();
        void act(() => send(errand.PUT('/admin/departments/{code}', { params: { path: { code: state.dept.code.trim() } }, body: { name: { 'zh-CN': state.dept.zh.trim(), en: state.dept.en.trim() } }, headers: commandHeaders(newKey()) })), 'admin.saved');
      } } }, field(t('admin.department.code'), input('code')), field(t('admin.department.zh'), input('zh')), field(t('admin.department.en'), input('en')),
      h('button', { type: 'submit', id: 'save-department', disabled: state.busy }, t('admin.department.save'))));
  }

  function dutiesCard() {
    const departments = (doc()?.departments ?? []).filter((d) => d.code !== 'ERRAND');
    const staffId = h('input', { type: 'text', id: 'duties-staff', value: state.clerk.staffId, autocomplete: 'off', on: { input: (/** @type {Event} */ e) => { state.clerk.staffId = /** @type {HTMLInputElement} */ (e.target).value; } } });
    const department = h('select', { id: 'duties-department', on: { change: (/** @type {Event} */ e) => { state.clerk.department = /** @type {HTMLSelectElement} */ (e.target).value; } } },
      h('option', { value: '' }, '—'), departments.map((d) => h('option', { value: d.code, selected: state.clerk.department === d.code }, `${d.code} · ${nameOf(d.name)}`)));
    const roles = h('fieldset', { class: 'inline-form' }, h('legend', {}, t('admin.duties.roles')), DUTIES.map((role) => h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `duty-${role}`, checked: state.clerk.roles.includes(role), on: { change: (/** @type {Event} */ e) => {
        const on = /** @type {HTMLInputElement} */ (e.target).checked;
        state.clerk.roles = on ? [...new Set([...state.clerk.roles, role])] : state.clerk.roles.filter((r) => r !== role);
      } } }),
      h('label', { for: `duty-${role}` }, tOr(`staffRole.${role}`, role)))));
    return h('section', { class: 'card', 'aria-labelledby': 'duties-title' },
      h('h2', { id: 'duties-title' }, t('admin.duties')),
      h('p', { class: 'hint' }, t('admin.duties.hint')),
      state.duties.length
        ? h('table', { class: 'table compact', id: 'duties' },
          h('thead', {}, h('tr', {}, ['admin.duties.staffId', 'admin.duties.department', 'admin.duties.roles', 'admin.col.action'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, state.duties.map((d) => h('tr', { dataset: { staff: d.staffId } },
            h('td', { class: 'mono' }, d.staffId), h('td', {}, departmentName(d.department)), h('td', {}, d.roles.map((r) => tOr(`staffRole.${r}`, r)).join('、') || '—'),
            h('td', {}, h('button', { type: 'button', class: 'danger-outline', dataset: { removeDuties: d.staffId }, on: { click: () => void act(() => send(errand.DELETE('/admin/duties/{staffId}', { params: { path: { staffId: d.staffId } }, headers: commandHeaders(newKey()) })), 'admin.saved') } }, t('admin.duties.remove')))))))
        : h('p', { class: 'muted' }, t('admin.duties.none')),
      h('form', { class: 'stack', on: { submit: (/** @type {Event} */ e) => {
        e.preventDefault();
        void act(() => send(errand.PUT('/admin/duties/{staffId}', { params: { path: { staffId: state.clerk.staffId.trim() } }, body: { department: state.clerk.department, roles: /** @type {Array<'intake' | 'reviewer' | 'approver'>} */ (state.clerk.roles) }, headers: commandHeaders(newKey()) })), 'admin.saved');
      } } }, h('div', { class: 'inline-form' }, field(t('admin.duties.staffId'), staffId), field(t('admin.duties.department'), department)), roles,
      h('button', { type: 'submit', id: 'save-duties', disabled: state.busy }, t('admin.duties.save'))));
  }

  function itemsCard() {
    const catalogue = doc();
    const editor = h('textarea', { id: 'data-item', rows: '18', spellcheck: 'false', class: 'mono', on: { input: (/** @type {Event} */ e) => { state.itemText = /** @type {HTMLTextAreaElement} */ (e.target).value; } } });
    editor.value = state.itemText;
    return h('section', { class: 'card', 'aria-labelledby': 'items-title' },
      h('h2', { id: 'items-title' }, t('admin.dataItems')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'data-items' },
        h('thead', {}, h('tr', {}, ['admin.col.id', 'admin.col.name', 'admin.dataItem.provider', 'admin.dataItem.sharing', 'admin.dataItem.fields', 'admin.col.action'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, (catalogue?.items ?? []).map((item) => h('tr', { dataset: { item: item.id } },
          h('td', { class: 'mono small' }, item.id), h('td', {}, nameOf(item.name)), h('td', {}, departmentName(item.provider)),
          h('td', {}, tOr(`admin.sharing.${item.sharing}`, item.sharing)), h('td', {}, String(item.fields.length)),
          h('td', {}, h('button', { type: 'button', class: 'link', dataset: { edit: item.id }, on: { click: () => { state.editing = item.id; state.itemText = JSON.stringify(item, null, 2); rerender(); document.getElementById('data-item')?.focus(); } } }, t('admin.dataItem.edit')))))))),
      state.editing
        ? h('div', { class: 'stack' },
          field(t('admin.dataItem.editor', { id: state.editing }), editor),
          h('button', { type: 'button', class: 'primary', id: 'save-data-item', disabled: state.busy, on: { click: () => void act(async () => {
            /** @type {Record<string, unknown>} */
            let body;
            try {
              body = JSON.parse(state.itemText);
            } catch (error) {
              throw new Error(t('admin.badJson', { message: error instanceof Error ? error.message : String(error) }));
            }
            await send(errand.PUT('/admin/data-items/{itemId}', { params: { path: { itemId: state.editing ?? '' } }, body, headers: commandHeaders(newKey()) }));
          }, 'admin.saved') } }, t('admin.dataItem.save')))
        : null);
  }

  function render() {
    setTitle(t('admin.data.title'));
    return [
      h('h1', {}, t('admin.data.title')),
      state.error ? changeProblems(state.error) : null,
      state.versions === null ? loading() : [reviewCard(), departmentsCard(), dutiesCard(), itemsCard()],
    ];
  }

  show(render);
  await load();
}
