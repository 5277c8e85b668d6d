// Auditor page: the audit trail of a case or a data subject, the hash chain check, and service statistics with
// inline SVG charts. Endpoints that are not there (yet) render as "not available" rather than as errors.
import { ApiError, errand, send } from './api.js';
import { barChart } from './charts.js';
import { dataItemName, definition, departmentName, fieldLabel, serviceName, services } from './catalogue.js';
import { field, h } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { loading, problemBox, rerender, setTitle, show, startPage } from './layout.js';
import { dateTime, shortHash, statusBadge, statusLabel } from './format.js';
import { pastBanner, pastCase, timeline } from './widgets.js';

const session = await startPage('auditor');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT = /^[0-9A-Z]{18}$/;

const missing = (error) => error instanceof ApiError && (error.status === 404 || error.status === 405);
const percent = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
const number = (v, digits = 1) => (v === null || v === undefined ? '—' : Number(v).toFixed(digits).replace(/\.0$/, ''));

async function auditorView() {
  const params = new URLSearchParams(location.search);
  const state = {
    chain: null, chainError: null, chainMissing: false, verifying: false,
    lookup: { kind: params.get('subject') ? 'subject' : 'case', id: params.get('subject') ?? params.get('case') ?? '' },
    trail: null, trailError: null, trailLoading: false,
    // The looked-up case's timeline, and the past view a decision entry opened (the case and its trail as of then).
    caseView: null, def: null, past: null, pastError: null,
    stats: null, statsError: null, statsMissing: false, department: params.get('department') ?? '',
    list: [],
  };

  async function verify() {
    state.verifying = true;
    rerender();
    try {
      state.chain = await send(errand.GET('/audit/verify'));
      state.chainError = null;
    } catch (error) {
      if (missing(error)) state.chainMissing = true;
      else state.chainError = error;
    }
    state.verifying = false;
    rerender();
  }

  async function lookUp() {
    const id = state.lookup.id.trim();
    state.trailError = null;
    state.trail = null;
    state.caseView = null;
    state.past = null;
    state.pastError = null;
    if (state.lookup.kind === 'case' ? !UUID.test(id) : !SUBJECT.test(id.toUpperCase())) {
      state.trailError = new Error(t('auditor.invalidId'));
      return rerender();
    }
    const query = new URLSearchParams(location.search);
    query.delete('case');
    query.delete('subject');
    query.set(state.lookup.kind, id);
    history.replaceState(null, '', `/auditor?${query}`);
    state.trailLoading = true;
    rerender();
    try {
      state.trail = await send(
        state.lookup.kind === 'case'
          ? errand.GET('/audit/cases/{caseId}', { params: { path: { caseId: id }, query: { pageSize: 200 } } })
          : errand.GET('/audit/subjects/{subjectId}', { params: { path: { subjectId: id.toUpperCase() }, query: { pageSize: 200 } } }),
      );
      if (state.lookup.kind === 'case') await loadCaseTimeline(id);
    } catch (error) {
      // No entries for a case id answers 404: shown as an empty trail, not as a failure.
      if (error instanceof ApiError && error.status === 404 && error.detail) state.trail = { items: [], total: 0 };
      else state.trailError = error;
    }
    state.trailLoading = false;
    rerender();
  }

  /** The case's timeline, whose decision entries open what their decider saw; a failure leaves the trail alone. */
  async function loadCaseTimeline(id) {
    try {
      state.caseView = await send(errand.GET('/cases/{caseId}', { params: { path: { caseId: id } } }));
      state.def = await definition(state.caseView.serviceId, state.caseView.serviceVersion).catch(() => null);
    } catch {
      state.caseView = null;
    }
  }

  /** "What the clerk saw": the case as of the revision a decision was made on, and the audit trail up to it. */
  async function openPast(revision) {
    const id = state.caseView.caseId;
    state.pastError = null;
    try {
      const [view, trail] = await Promise.all([pastCase(id, revision), send(errand.GET('/audit/cases/{caseId}', { params: { path: { caseId: id }, query: { asOf: revision, pageSize: 200 } } }))]);
      state.past = { view, trail };
    } catch (error) {
      state.past = null;
      state.pastError = error;
    }
    rerender();
    document.getElementById('past-view-banner')?.scrollIntoView({ block: 'start' });
    document.getElementById('past-close')?.focus({ preventScroll: true });
  }

  function caseCard() {
    if (!state.caseView) return null;
    const close = () => {
      state.past = null;
      rerender();
    };
    const past = state.past;
    return h('section', { class: 'card', 'aria-labelledby': 'case-timeline-title' },
      h('h2', { id: 'case-timeline-title' }, t('auditor.caseTimeline'), state.def ? ` · ${localized(state.def.name)}` : ''),
      state.pastError ? [h('p', {}, t('past.loadFailed')), problemBox(state.pastError)] : null,
      past
        ? h('div', { class: 'stack past-view', id: 'past-view', dataset: { revision: String(past.view.revision) } },
          pastBanner(past.view, close),
          h('p', {}, statusBadge(past.view.status, past.view.decision?.outcome)),
          timeline(past.view.timeline, state.def, { id: 'past-timeline' }),
          h('h3', {}, t('auditor.pastTrail')),
          trailTable(past.trail, 'past-audit-trail'))
        : timeline(state.caseView.timeline, state.def, { onSeen: (rev) => void openPast(rev) }));
  }

  async function loadStats() {
    try {
      const query = state.department ? { department: state.department } : {};
      [state.stats, state.list] = await Promise.all([send(errand.GET('/statistics', { params: { query } })), services().catch(() => [])]);
      state.statsError = null;
    } catch (error) {
      if (missing(error)) state.statsMissing = true;
      else state.statsError = error;
    }
    rerender();
  }

  function chainCard() {
    let body;
    if (state.chainMissing) body = h('p', { class: 'muted' }, t('auditor.notAvailable'));
    else if (state.chainError) body = problemBox(state.chainError);
    else if (!state.chain) body = loading();
    else if (state.chain.ok) body = h('p', { class: 'alert alert-good', id: 'chain-result', dataset: { ok: 'true' } }, '✔ ', t('auditor.chainOk', { n: state.chain.checked }));
    else {
      const b = state.chain.firstBroken;
      const where = b ? `#${b.position ?? b.seq ?? '?'}${b.id ? ` (${b.id})` : ''}${b.reason ? ` — ${b.reason}` : ''}` : '?';
      body = h('p', { class: 'alert alert-error', id: 'chain-result', dataset: { ok: 'false' } }, '✘ ', t('auditor.chainBroken', { n: state.chain.checked, where }));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'chain-title', 'aria-busy': state.verifying ? 'true' : 'false' },
      h('div', { class: 'card-title-row' }, h('h2', { id: 'chain-title' }, t('auditor.chain')),
        state.chainMissing ? null : h('button', { type: 'button', disabled: state.verifying, id: 'verify-chain', on: { click: () => void verify() } }, t('auditor.verify'))),
      body);
  }

  function lookupCard() {
    const kind = h('select', { id: 'lookup-kind', on: { change: (e) => { state.lookup.kind = e.target.value; } } },
      h('option', { value: 'case', selected: state.lookup.kind === 'case' }, t('auditor.byCase')),
      h('option', { value: 'subject', selected: state.lookup.kind === 'subject' }, t('auditor.bySubject')));
    const id = h('input', { type: 'text', id: 'lookup-id', value: state.lookup.id, autocomplete: 'off', spellcheck: 'false', on: { input: (e) => { state.lookup.id = e.target.value; } } });
    return h('section', { class: 'card', 'aria-labelledby': 'lookup-title' },
      h('h2', { id: 'lookup-title' }, t('auditor.lookup')),
      h('form', { class: 'inline-form', on: { submit: (e) => { e.preventDefault(); void lookUp(); } } },
        field(t('auditor.lookupKind'), kind), field(t('auditor.id'), id),
        h('button', { type: 'submit', class: 'primary' }, t('auditor.show'))),
      state.trailError ? problemBox(state.trailError) : null,
      state.trailLoading ? loading() : null,
      state.trail ? trailTable(state.trail) : null);
  }

  function trailTable(trail, id = 'audit-trail') {
    if (!trail.items.length) return h('p', { class: 'empty' }, t('auditor.noEntries'));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'table audit', id },
      h('thead', {}, h('tr', {}, ['auditor.seq', 'auditor.at', 'auditor.event', 'auditor.actor', 'auditor.transition', 'auditor.access', 'auditor.hash'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, trail.items.map((e) => h('tr', { dataset: { event: e.eventType, category: e.category } },
        h('td', { class: 'mono' }, String(e.seq)),
        h('td', { class: 'small' }, dateTime(e.at)),
        h('td', {}, tOr(`event.${e.eventType}`, e.eventType), h('div', { class: 'muted small mono' }, e.eventType)),
        h('td', {}, tOr(`by.${e.actorKind}`, e.actorKind), h('div', { class: 'muted small' }, [e.actorId, e.actorDepartment ? departmentName(e.actorDepartment) : null, (e.actorRoles ?? []).map((r) => tOr(`staffRole.${r}`, r)).join('、') || null].filter(Boolean).join(' · '))),
        h('td', {}, e.statusBefore || e.statusAfter ? `${e.statusBefore ? statusLabel(e.statusBefore) : '∅'} → ${e.statusAfter ? statusLabel(e.statusAfter) : '∅'}` : '—'),
        h('td', { class: 'small' }, e.access ? [
          h('div', {}, [departmentName(e.access.department), tOr(`channel.${e.access.channel}`, e.access.channel)].filter(Boolean).join(' · ')),
          e.access.dataItem ? h('div', {}, `${dataItemName(e.access.dataItem)}${e.access.holder ? ` ← ${departmentName(e.access.holder)}` : ''}`) : null,
          e.access.fields?.length ? h('div', { class: 'muted' }, e.access.fields.map((f) => fieldLabel(e.access.dataItem, f)).join('、')) : null,
          h('div', { class: 'muted' }, `${tOr(`purpose.${e.access.purpose}`, e.access.purpose)} · ${tOr(`result.${e.access.result}`, e.access.result)}`),
        ] : '—'),
        h('td', {}, h('code', { class: 'hash', title: `${e.prevHash} → ${e.hash}`, tabindex: '0' }, shortHash(e.hash))))))),
    trail.total > trail.items.length ? h('p', { class: 'muted small' }, t('common.pageOf', { page: 1, pages: Math.ceil(trail.total / trail.items.length), total: trail.total })) : null);
  }

  function statsCard() {
    const departments = h('select', { id: 'stats-department', on: { change: (e) => { state.department = e.target.value; void loadStats(); } } },
      h('option', { value: '' }, t('auditor.allDepartments')),
      [...new Set(state.list.map((s) => s.department))].map((code) => h('option', { value: code, selected: state.department === code }, departmentName(code))));
    let body;
    if (state.statsMissing) body = h('p', { class: 'muted' }, t('auditor.notAvailable'));
    else if (state.statsError) body = problemBox(state.statsError);
    else if (!state.stats) body = loading();
    else body = statsBody(state.stats);
    return h('section', { class: 'card', 'aria-labelledby': 'stats-title' },
      h('div', { class: 'card-title-row' }, h('h2', { id: 'stats-title' }, t('auditor.stats')), state.statsMissing ? null : field(t('auditor.department'), departments)),
      body);
  }

  function statsBody(stats) {
    const rows = (stats.services ?? []).map((s) => ({ ...s.summary, name: serviceName(s.serviceId ?? s.id, state.list) })).filter((s) => s.received > 0 || s.decided > 0);
    if (!rows.length) return h('p', { class: 'empty', id: 'stats-empty' }, t('auditor.noStats'));
    const ratings = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const r of rows) for (const k of Object.keys(ratings)) ratings[k] += r.ratings?.distribution?.[k] ?? 0;
    return [
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'stats' },
        h('thead', {}, h('tr', {}, ['cases.service', 'auditor.received', 'auditor.accepted', 'auditor.decided', 'auditor.approved', 'auditor.denied', 'auditor.onTime', 'auditor.median', 'auditor.p90', 'auditor.autoFetch', 'auditor.instant', 'auditor.supplement', 'auditor.rating'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.name), h('td', {}, r.received), h('td', {}, r.accepted), h('td', {}, r.decided), h('td', {}, r.approved), h('td', {}, r.denied),
          h('td', {}, percent(r.onTimeRate)), h('td', {}, number(r.medianDays)), h('td', {}, number(r.p90Days)), h('td', {}, percent(r.autoFetchShare)),
          h('td', {}, percent(r.instantApprovalRate)), h('td', {}, percent(r.supplementRate)), h('td', {}, r.ratings?.average ? `${number(r.ratings.average)} ★` : '—')))))),
      h('div', { class: 'charts' },
        h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('auditor.chartVolume')),
          barChart({ title: t('auditor.chartVolume'), series: [{ name: t('auditor.received'), tone: 'info' }, { name: t('auditor.decided'), tone: 'good' }], rows: rows.map((r) => ({ label: r.name, values: [{ value: r.received }, { value: r.decided }] })) })),
        h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('auditor.chartOnTime')),
          barChart({ title: t('auditor.chartOnTime'), series: [{ name: t('auditor.onTime'), tone: 'good' }], max: 1, format: percent, rows: rows.map((r) => ({ label: r.name, values: [{ value: r.onTimeRate }] })) })),
        h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('auditor.chartRatings')),
          barChart({ title: t('auditor.chartRatings'), series: [{ name: t('auditor.rating'), tone: 'warn' }], rows: [5, 4, 3, 2, 1].map((n) => ({ label: '★'.repeat(n), values: [{ value: ratings[n] }] })) }))),
    ];
  }

  show(() => {
    setTitle(t('auditor.title'));
    return [h('h1', {}, t('auditor.title')), chainCard(), lookupCard(), caseCard(), statsCard()];
  });
  const jobs = [verify(), loadStats()];
  if (state.lookup.id) jobs.push(lookUp());
  await Promise.all(jobs);
}

if (session) await auditorView();
