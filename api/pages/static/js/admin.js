// @ts-check
// The administrator's pages: the service catalogue (browse, edit a draft, approve, dry-run against past cases,
// publish), departments and data items (saved into a data catalogue draft, then reviewed), import and export of
// the whole catalogue, and the projections with their rebuilds. Everything goes through /api/v1/admin/...
import { commandHeaders, errand, newKey, send } from './api.js';
import { departmentName } from './catalogue.js';
import { field, h } from './dom.js';
import { t } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, show, startPage } from './layout.js';
import { dateTime } from './format.js';
import { actOn, auditTable, changeProblems, nameOf, notFound, statusTag } from './admin-common.js';
import { dataView } from './admin-data.js';
import { operationsView } from './admin-operations.js';

/** @typedef {import('./admin-common.js').Text} Text */
/** @typedef {import('./admin-common.js').Summary} Summary */
/** @typedef {import('./admin-common.js').Entry} Entry */
/** @typedef {import('./admin-common.js').AuditEntry} AuditEntry */
/** @typedef {import('./admin-common.js').Difference} Difference */
/** @typedef {import('./admin-common.js').DryRun} DryRun */

const session = await startPage('admin');

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

if (session) {
  const path = location.pathname.replace(/\/+$/, '');
  const service = /^\/admin\/services\/([^/]+)$/.exec(path);
  if (service) await serviceView(decodeURIComponent(service[1] ?? ''));
  else if (path === '/admin/data') await dataView();
  else if (path === '/admin/operations') await operationsView();
  else await servicesView();
}
