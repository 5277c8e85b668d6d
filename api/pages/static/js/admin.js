// @ts-check
// The administrator's pages: the service catalogue (browse, edit a draft, approve, dry-run against past cases,
// publish), departments and data items (saved into a data catalogue draft, then reviewed), import and export of
// the whole catalogue, and the projections with their rebuilds. Everything goes through /api/v1/admin/...
import { ApiError, commandHeaders, errand, newKey, send } from './api.js';
import { departmentName } from './catalogue.js';
import { field, h } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, show, startPage } from './layout.js';
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

const DUTIES = ['intake', 'reviewer', 'approver'];

const session = await startPage('admin');

/**
 * A page's way to run one step: busy while it runs, its problems shown, or a confirmation and the page reloaded.
 * @param {{ busy: boolean, error: unknown }} state
 * @param {() => Promise<void>} load
 * @returns {(step: () => Promise<unknown>, done: string) => Promise<void>}
 */
function actOn(state, load) {
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
const notFound = (error) => error instanceof ApiError && error.status === 404;

/** @param {Text | null | undefined} name */
const nameOf = (name) => (name ? localized(name) : '');

/** @param {Status} status */
function statusTag(status) {
  return h('span', { class: ['badge', status === 'published' ? 'badge-good' : status === 'approved' ? 'badge-info' : 'badge-warn'], dataset: { status } }, t(`admin.status.${status}`));
}

/**
 * Field problems of a refused change as a table: file, field, problem (the server's words, written for authors).
 * @param {unknown} error
 */
function changeProblems(error) {
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
function auditTable(items) {
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

/** Services: the list, import and export, the recent changes. */
async function servicesView() {
  /** @type {{ items: Summary[] | null, audit: AuditEntry[], error: unknown, importError: unknown, busy: boolean, reason: string, file: File | null }} */
  const state = { items: null, audit: [], error: null, importError: null, busy: false, reason: '', file: null };

  async function load() {
    try {
      const [list, audit] = await Promise.all([send(errand.GET('/admin/catalogue/{kind}', { params: { path: { kind: 'services' } } })), send(errand.GET('/admin/catalogue-audit', { params: { query: { limit: 20 } } }))]);
      state.items = /** @type {Summary[]} */ (list.items);
      state.audit = audit.items;
    } catch (error) {
      state.error = error;
    }
    rerender();
  }

  async function exportCatalogue() {
    const answer = await send(errand.GET('/admin/catalogue-export'));
    const url = URL.createObjectURL(new Blob([JSON.stringify(answer, null, 2)], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: 'catalogue-export.json' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async function importCatalogue() {
    state.importError = null;
    if (!state.file) return;
    state.busy = true;
    rerender();
    try {
      /** @type {{ files?: unknown }} */
      let parsed;
      try {
        parsed = JSON.parse(await state.file.text());
      } catch (error) {
        throw new Error(t('admin.badJson', { message: error instanceof Error ? error.message : String(error) }));
      }
      const answer = await send(errand.POST('/admin/catalogue-import', { body: { reason: state.reason, files: /** @type {Array<{ name: string, content: string }>} */ (parsed.files ?? []) }, headers: commandHeaders(newKey()) }));
      flash(answer.unchanged ? t('admin.importUnchanged') : t('admin.imported', { n: answer.published.length }));
      await load();
    } catch (error) {
      state.importError = error;
    }
    state.busy = false;
    rerender();
    document.getElementById('change-problems')?.focus();
  }

  function render() {
    setTitle(t('admin.services.title'));
    const fileInput = h('input', { type: 'file', id: 'import-file', accept: 'application/json,.json', on: { change: (/** @type {Event} */ e) => {
      const input = /** @type {HTMLInputElement} */ (e.target);
      state.file = input.files?.[0] ?? null;
    } } });
    const reason = h('input', { type: 'text', id: 'import-reason', value: state.reason, on: { input: (/** @type {Event} */ e) => { state.reason = /** @type {HTMLInputElement} */ (e.target).value; } } });
    return [
      h('h1', {}, t('admin.services.title')),
      h('p', { class: 'lead' }, t('admin.services.lead')),
      state.error ? problemBox(state.error) : null,
      h('section', { class: 'card' },
        state.items === null ? loading() : h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'services' },
          h('thead', {}, h('tr', {}, ['admin.col.id', 'admin.col.name', 'admin.col.inForce', 'admin.col.open'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, state.items.map((s) => h('tr', { dataset: { service: s.id } },
            h('td', { class: 'mono' }, h('a', { href: `/admin/services/${encodeURIComponent(s.id)}` }, s.id)),
            h('td', {}, nameOf(s.name)),
            h('td', {}, s.published === null ? '—' : `v${s.published}`),
            h('td', {}, s.open ? [`v${s.open.version} `, statusTag(s.open.status)] : '—'))))))),
      h('section', { class: 'card', 'aria-labelledby': 'transfer-title' },
        h('h2', { id: 'transfer-title' }, t('admin.transfer')),
        h('p', { class: 'hint' }, t('admin.transfer.hint')),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'export', on: { click: () => void exportCatalogue().catch((error) => { state.importError = error; rerender(); }) } }, t('admin.export'))),
        h('form', { class: 'stack', on: { submit: (/** @type {Event} */ e) => { e.preventDefault(); void importCatalogue(); } } },
          field(t('admin.import.file'), fileInput),
          field(t('admin.import.reason'), reason),
          h('button', { type: 'submit', class: 'primary', id: 'import', disabled: state.busy }, t('admin.import'))),
        state.importError ? changeProblems(state.importError) : null),
      h('section', { class: 'card' }, h('h2', {}, t('admin.audit')), auditTable(state.audit)),
    ];
  }

  show(render);
  await load();
}

/** One service: its versions, the draft editor, review, dry run and publication. */
async function serviceView(/** @type {string} */ serviceId) {
  /** @type {{ versions: Entry[] | null, audit: AuditEntry[], text: string, dirty: boolean, error: unknown, dryRun: DryRun | null, months: string, override: string, busy: boolean }} */
  const state = { versions: null, audit: [], text: '', dirty: false, error: null, dryRun: null, months: '6', override: '', busy: false };
  const entry = /** @type {const} */ ({ kind: 'services', id: serviceId });
  const open = () => state.versions?.find((v) => v.status !== 'published') ?? null;
  const inForce = () => state.versions?.filter((v) => v.status === 'published').at(-1) ?? null;

  async function load() {
    try {
      const [versions, audit] = await Promise.all([send(errand.GET('/admin/catalogue/{kind}/{id}', { params: { path: entry } })), send(errand.GET('/admin/catalogue-audit', { params: { query: { kind: 'service', id: serviceId, limit: 50 } } }))]);
      state.versions = versions.items;
      state.audit = audit.items;
      const draft = open();
      const current = inForce();
      if (!state.dirty) state.text = JSON.stringify(draft ? draft.body : current ? { ...current.body, version: current.version + 1 } : {}, null, 2);
      state.dryRun = null;
      if (draft) {
        try {
          state.dryRun = await send(errand.GET('/admin/catalogue/services/{id}/versions/{version}/dry-run', { params: { path: { id: serviceId, version: String(draft.version) } } }));
        } catch (error) {
          if (!notFound(error)) throw error;
        }
      }
    } catch (error) {
      state.error = error;
    }
    rerender();
  }

  const act = actOn(state, load);

  function saveDraft() {
    return act(async () => {
      /** @type {Record<string, unknown>} */
      let body;
      try {
        body = JSON.parse(state.text);
      } catch (error) {
        throw new Error(t('admin.badJson', { message: error instanceof Error ? error.message : String(error) }));
      }
      await send(errand.PUT('/admin/catalogue/{kind}/{id}/draft', { params: { path: entry }, body, headers: commandHeaders(newKey()) }));
      state.dirty = false;
    }, 'admin.saved');
  }

  /** @param {Difference} d */
  function differenceText(d) {
    switch (d.kind) {
      case 'instant-approval':
        return t('admin.diff.instant-approval', { was: d.was ?? '', would: d.would ?? '' }) + (d.reasons?.length ? ` (${d.reasons.join('; ')})` : '');
      case 'missing-materials':
        return t('admin.diff.missing-materials', { list: (d.materials ?? []).map((m) => `${m.materialId}${m.key ? '*' : ''}`).join(', ') });
      case 'deadline':
        return t('admin.diff.deadline', { limit: t(`admin.limit.${d.limit}`), was: d.was ?? '', would: d.would ?? '' });
      default:
        return t('admin.diff.departments', { added: (d.added ?? []).map(departmentName).join(', ') || '—', removed: (d.removed ?? []).map(departmentName).join(', ') || '—' });
    }
  }

  function dryRunCard() {
    const draft = open();
    if (!draft) return null;
    const months = h('select', { id: 'dry-run-months', on: { change: (/** @type {Event} */ e) => { state.months = /** @type {HTMLSelectElement} */ (e.target).value; } } },
      ['3', '6', '12', '24', 'all'].map((m) => h('option', { value: m, selected: state.months === m }, m === 'all' ? t('admin.dryRun.all') : t('admin.dryRun.lastMonths', { n: m }))));
    const run = state.dryRun;
    /** @type {Array<[string, number]>} */
    const figures = run ? [
      ['admin.dryRun.wouldApprove', run.totals.instantApproval.wouldApprove],
      ['admin.dryRun.wouldWithhold', run.totals.instantApproval.wouldWithhold],
      ['admin.dryRun.missing', run.totals.missingMaterials],
      ['admin.dryRun.deadlines', run.totals.deadlinesMoved],
      ['admin.dryRun.departments', run.totals.departmentsChanged],
      ['admin.dryRun.unreadable', run.totals.unreadable],
    ] : [];
    return h('section', { class: 'card', 'aria-labelledby': 'dry-run-title', id: 'dry-run' },
      h('h2', { id: 'dry-run-title' }, t('admin.dryRun.title'), ` · v${draft.version}`),
      h('form', { class: 'inline-form', on: { submit: (/** @type {Event} */ e) => {
        e.preventDefault();
        void act(async () => {
          state.dryRun = await send(errand.POST('/admin/catalogue/services/{id}/versions/{version}/dry-run', { params: { path: { id: serviceId, version: String(draft.version) } }, body: state.months === 'all' ? {} : { months: Number(state.months) }, headers: commandHeaders(newKey()) }));
        }, 'admin.dryRun');
      } } }, field(t('admin.dryRun.months'), months), h('button', { type: 'submit', id: 'run-dry-run', disabled: state.busy }, t('admin.dryRun'))),
      run
        ? h('div', { class: 'stack', id: 'dry-run-result', dataset: { changed: String(run.totals.changed), cases: String(run.totals.cases) } },
          h('p', { class: 'alert alert-info' }, t('admin.dryRun.totals', { cases: run.totals.cases, changed: run.totals.changed })),
          h('table', { class: 'table values compact', id: 'dry-run-totals' }, h('tbody', {}, figures.map(([key, n]) => h('tr', {}, h('th', { scope: 'row' }, t(key)), h('td', {}, String(n)))))),
          run.cases.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'dry-run-cases' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin.dryRun.case')), h('th', { scope: 'col' }, t('admin.dryRun.differences')))),
              h('tbody', {}, run.cases.map((c) => h('tr', { dataset: { case: c.caseId } },
                h('td', { class: 'mono small' }, c.caseId, h('div', { class: 'muted' }, `v${c.serviceVersion} · ${dateTime(c.draftedAt)}`)),
                h('td', {}, h('ul', { class: 'plain' }, c.differences.map((d) => h('li', { dataset: { kind: d.kind } }, differenceText(d))))))))))
            : null)
        : h('p', { class: 'muted' }, t('admin.dryRun.none')));
  }

  function render() {
    setTitle(serviceId);
    const draft = open();
    const current = inForce();
    const editor = h('textarea', { id: 'definition', rows: '24', spellcheck: 'false', class: 'mono', on: { input: (/** @type {Event} */ e) => { state.text = /** @type {HTMLTextAreaElement} */ (e.target).value; state.dirty = true; } } });
    editor.value = state.text;
    const override = h('input', { type: 'text', id: 'override-reason', value: state.override, on: { input: (/** @type {Event} */ e) => { state.override = /** @type {HTMLInputElement} */ (e.target).value; } } });
    return [
      h('p', {}, h('a', { href: '/admin' }, '← ', t('admin.services.title'))),
      h('h1', {}, nameOf(/** @type {Text | undefined} */ (current?.body.name ?? draft?.body.name)) || serviceId, h('span', { class: 'muted h-sub' }, ` · ${serviceId}`)),
      state.error ? changeProblems(state.error) : null,
      state.versions === null ? loading() : h('section', { class: 'card' },
        h('h2', {}, t('admin.versions')),
        h('table', { class: 'table compact', id: 'versions' },
          h('thead', {}, h('tr', {}, ['admin.col.version', 'admin.col.status', 'admin.col.updated', 'admin.col.by'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, state.versions.map((v) => h('tr', { dataset: { version: String(v.version), status: v.status } },
            h('td', {}, `v${v.version}`), h('td', {}, statusTag(v.status)), h('td', { class: 'small' }, dateTime(v.updatedAt)), h('td', { class: 'small' }, v.updatedBy)))))),
      // The editor appears only once the definition is loaded: an empty one would be typed into, or read, too early.
      state.versions === null ? null : h('section', { class: 'card', 'aria-labelledby': 'editor-title' },
        h('h2', { id: 'editor-title' }, t('admin.editor')),
        field(t('admin.definition'), editor, t('admin.editor.hint')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'save-draft', disabled: state.busy, on: { click: () => void saveDraft() } }, t('admin.saveDraft')),
          draft?.status === 'draft' ? h('button', { type: 'button', id: 'approve', disabled: state.busy, on: { click: () => void act(() => send(errand.POST('/admin/catalogue/{kind}/{id}/versions/{version}/approve', { params: { path: { ...entry, version: String(draft.version) } }, body: {}, headers: commandHeaders(newKey()) })), 'admin.approved') } }, t('admin.approve')) : null,
          draft ? h('button', { type: 'button', class: 'danger-outline', id: 'discard', disabled: state.busy, on: { click: () => void act(async () => { await send(errand.DELETE('/admin/catalogue/{kind}/{id}/versions/{version}', { params: { path: { ...entry, version: String(draft.version) } }, headers: commandHeaders(newKey()) })); state.dirty = false; }, 'admin.discarded') } }, t('admin.discard')) : null)),
      dryRunCard(),
      draft?.status === 'approved' ? h('section', { class: 'card', 'aria-labelledby': 'publish-title' },
        h('h2', { id: 'publish-title' }, t('admin.publish'), ` · v${draft.version}`),
        field(t('admin.override'), override),
        h('button', { type: 'button', class: 'primary', id: 'publish', disabled: state.busy, on: { click: () => void act(() => send(errand.POST('/admin/catalogue/{kind}/{id}/versions/{version}/publish', { params: { path: { ...entry, version: String(draft.version) } }, body: state.override.trim() ? { override: { reason: state.override.trim() } } : {}, headers: commandHeaders(newKey()) })), 'admin.published') } }, t('admin.publish'))) : null,
      h('section', { class: 'card' }, h('h2', {}, t('admin.audit')), auditTable(state.audit)),
    ];
  }

  show(render);
  await load();
}

/** Departments and data items, edited into a data catalogue draft that is then reviewed like a service. */
async function dataView() {
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

/** Projections as the workers report them, with a rebuild button each. */
async function operationsView() {
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

if (session) {
  const path = location.pathname.replace(/\/+$/, '');
  const service = /^\/admin\/services\/([^/]+)$/.exec(path);
  if (service) await serviceView(decodeURIComponent(service[1] ?? ''));
  else if (path === '/admin/data') await dataView();
  else if (path === '/admin/operations') await operationsView();
  else await servicesView();
}
