// Citizen portal: service catalogue, apply, upload and submit, my cases, the case page (supplement notice, evidence
// preview, certificate, rating, timeline) and "who used my data".
import { ApiError, commandHeaders, errand, newKey, send } from './api.js';
import { dataItemName, definition, departmentName, fieldLabel, providerOf, serviceName, services } from './catalogue.js';
import { field, h, replace } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, pager, problemBox, rerender, setTitle, show, startPage } from './layout.js';
import { bytes, dateTime, day, limitDays, statusBadge, statusLabel } from './format.js';
import { formControls, readForm } from './widgets.js';
import { casePage } from './citizen-case.js';
import { errorSummary, issuesFromProblem } from './form-errors.js';
import { formIssues, localToday } from './form-rules.js';
import { inboxView, refreshUnread } from './notifications.js';

const session = await startPage('citizen');

function applicantTypeOk(service) {
  return !service.applicantType || !session.principal.subjectType || service.applicantType === session.principal.subjectType;
}

// ---------------------------------------------------------------- catalogue

async function catalogueView() {
  const state = { list: null, query: '', error: null };
  const results = h('div', { id: 'service-results', 'aria-live': 'polite' });

  const matches = (s) => {
    const q = state.query.trim().toLowerCase();
    if (!q) return true;
    return [s.id, s.name?.['zh-CN'], s.name?.en, departmentName(s.department), s.department].some((v) => v && String(v).toLowerCase().includes(q));
  };

  const card = (s) => h('li', { class: 'card service-card', dataset: { service: s.id } },
    h('h2', { class: 'h3' }, localized(s.name)),
    h('p', { class: 'muted' }, `${t('services.department')}：${departmentName(s.department)}`),
    h('ul', { class: 'tags' },
      h('li', { class: 'tag' }, `${t('services.promised')} ${limitDays(s.promisedDays, s.dayKind)}`),
      s.instantApproval ? h('li', { class: 'tag tag-good' }, t('services.instant')) : null,
      s.commitment ? h('li', { class: 'tag tag-info' }, t('services.commitment')) : null,
      s.coReviewers?.length ? h('li', { class: 'tag' }, t('services.joint')) : null,
      h('li', { class: 'tag' }, t(s.applicantType === 'enterprise' ? 'services.forEnterprise' : 'services.forPerson')),
      h('li', { class: 'tag' }, s.fee?.perUnit ? t('fee.from', { amount: s.fee.amount }) : s.fee?.amount ? t('common.fee', { amount: s.fee.amount }) : t('common.free'))),
    applicantTypeOk(s)
      ? h('a', { class: 'button primary', href: `/citizen/services/${encodeURIComponent(s.id)}`, 'aria-label': t('services.applyFor', { name: localized(s.name) }) }, t('services.apply'))
      : h('p', { class: 'hint' }, t('services.wrongApplicant', { type: t(`services.applicant.${s.applicantType}`) })));

  const renderResults = () => {
    if (!state.list) return replace(results, state.error ? problemBox(state.error) : loading());
    const shown = state.list.filter(matches);
    replace(results,
      h('p', { class: 'muted' }, t('services.count', { n: shown.length })),
      shown.length ? h('ul', { class: 'grid services' }, shown.map(card)) : h('p', { class: 'empty' }, t('services.empty')));
  };

  show(() => {
    setTitle(t('services.title'));
    const search = h('input', { type: 'search', id: 'service-search', value: state.query, placeholder: t('services.search'), autocomplete: 'off',
      on: { input: (e) => { state.query = e.target.value; renderResults(); } } });
    renderResults();
    return [
      h('h1', {}, t('services.title')),
      h('div', { class: 'search', role: 'search' }, field(t('services.searchLabel'), search)),
      results,
    ];
  });
  try {
    state.list = await services();
  } catch (error) {
    state.error = error;
  }
  renderResults();
}

// ---------------------------------------------------------------- apply (step 1)

async function applyView(serviceId) {
  const state = { def: null, values: {}, error: null, issues: [], busy: false, loadError: null };
  const slot = h('div', { class: 'error-slot' });

  // The summary is drawn at the top of the page; focus moves there so it is announced and read first.
  const focusSummary = () => (document.getElementById('error-summary') ?? slot.querySelector('[role=alert]'))?.focus();

  async function create(event) {
    event.preventDefault();
    const form = readForm(state.def.form, state.values);
    state.error = null;
    state.issues = formIssues(state.def.form, form, localToday());
    if (state.issues.length) {
      rerender();
      focusSummary();
      return;
    }
    state.busy = true;
    rerender();
    try {
      const created = await send(errand.POST('/cases', { body: { serviceId, serviceVersion: state.def.version, form }, headers: commandHeaders(newKey()) }));
      location.assign(`/citizen/cases/${encodeURIComponent(created.caseId)}`);
    } catch (error) {
      state.busy = false;
      state.issues = issuesFromProblem(error) ?? [];
      state.error = state.issues.length ? null : error;
      rerender();
      focusSummary();
    }
  }

  show(() => {
    if (state.loadError) return problemBox(state.loadError);
    if (!state.def) return loading();
    const def = state.def;
    const title = t('services.applyFor', { name: localized(def.name) });
    setTitle(state.issues.length ? `${t('formError.titlePrefix')}${title}` : title);
    replace(slot, state.error ? problemBox(state.error) : null);
    return [
      h('p', {}, h('a', { href: '/citizen' }, `← ${t('nav.services')}`)),
      state.issues.length ? errorSummary(def.form, state.issues) : null,
      h('h1', {}, title),
      serviceFacts(def),
      h('section', { class: 'card', 'aria-labelledby': 'step1' },
        h('h2', { id: 'step1' }, t('apply.step1')),
        h('form', { id: 'apply-form', class: 'stack', novalidate: true, on: { submit: create } },
          formControls(def.form, state.values, state.issues),
          slot,
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: state.busy }, t('apply.continue'))))),
      h('section', { class: 'card', 'aria-labelledby': 'needed' },
        h('h2', { id: 'needed' }, t('apply.materialsPreview')),
        h('ul', { class: 'plain-list' }, def.materials.map((m) => h('li', {},
          h('strong', {}, localized(m.name)), ' ',
          h('span', { class: `tag ${m.key ? 'tag-warn' : ''}` }, t(m.key ? 'materials.key' : 'materials.nonKey')), ' ',
          h('span', { class: 'muted' }, m.kind === 'evidence'
            ? t(m.requiresExplicitRequest ? 'apply.explicitNote' : 'apply.fetchedNote', { department: departmentName(providerOf(m.dataItem)) })
            : t('apply.uploadNote', { types: m.mediaTypes.join(', '), size: bytes(m.maxBytes) })))))),
      h('p', { class: 'muted' }, t('apply.step2')),
    ];
  });
  try {
    state.def = await definition(serviceId);
  } catch (error) {
    state.loadError = error;
  }
  rerender();
}

function serviceFacts(def) {
  return h('dl', { class: 'facts' },
    h('div', {}, h('dt', {}, t('services.department')), h('dd', {}, departmentName(def.department))),
    h('div', {}, h('dt', {}, t('services.promised')), h('dd', {}, limitDays(def.limits.promisedDays, def.limits.dayKind))),
    h('div', {}, h('dt', {}, t('services.statutory')), h('dd', {}, limitDays(def.limits.statutoryDays, def.limits.dayKind))),
    h('div', {}, h('dt', {}, t('services.legalBasis')), h('dd', {}, def.legalBasis)));
}

// ---------------------------------------------------------------- my cases

async function casesView() {
  const state = { page: 1, data: null, list: [], error: null };
  const load = async () => {
    try {
      [state.data, state.list] = await Promise.all([send(errand.GET('/cases', { params: { query: { page: state.page, pageSize: 20 } } })), services()]);
      state.error = null;
    } catch (error) {
      state.error = error;
    }
    rerender();
  };
  show(() => {
    setTitle(t('cases.title'));
    const head = h('h1', {}, t('cases.title'));
    if (state.error) return [head, problemBox(state.error)];
    if (!state.data) return [head, loading()];
    if (!state.data.items.length) return [head, h('p', { class: 'empty' }, t('cases.empty'), ' ', h('a', { href: '/citizen' }, t('nav.services')))];
    return [
      head,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'my-cases' },
        h('thead', {}, h('tr', {}, ['cases.service', 'cases.status', 'cases.next', 'cases.due', 'cases.certificate', 'cases.updated'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, state.data.items.map((c) => h('tr', { dataset: { caseId: c.caseId } },
          h('td', {}, h('a', { href: `/citizen/cases/${encodeURIComponent(c.caseId)}` }, serviceName(c.serviceId, state.list))),
          h('td', {}, statusBadge(c.status, c.outcome)),
          h('td', {}, c.action ? h('span', { class: 'tag tag-warn' }, tOr(`action.${c.action}`, c.action)) : '—'),
          h('td', {}, day(c.promisedDueOn)),
          h('td', {}, c.certificateNo ?? '—'),
          h('td', {}, dateTime(c.updatedAt))))))),
      pager({ page: state.page, pageSize: 20, total: state.data.total }, (page) => { state.page = page; void load(); }),
    ];
  });
  await load();
}

// ---------------------------------------------------------------- who used my data

async function dataUseView() {
  const state = { page: 1, data: null, unavailable: false, error: null, list: [] };
  const load = async () => {
    try {
      [state.data, state.list] = await Promise.all([send(errand.GET('/me/data-use', { params: { query: { page: state.page, pageSize: 50 } } })), services().catch(() => [])]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) state.unavailable = true;
      else state.error = error;
    }
    rerender();
  };
  show(() => {
    setTitle(t('dataUse.title'));
    const head = [h('h1', {}, t('dataUse.title')), h('p', { class: 'lead' }, t('dataUse.intro'))];
    if (state.unavailable) return [...head, h('p', { class: 'empty', id: 'data-use-empty' }, t('dataUse.unavailable'))];
    if (state.error) return [...head, problemBox(state.error)];
    if (!state.data) return [...head, loading()];
    if (!state.data.items.length) return [...head, h('p', { class: 'empty', id: 'data-use-empty' }, t('dataUse.empty'))];
    return [
      ...head,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'data-use' },
        h('thead', {}, h('tr', {}, ['dataUse.at', 'dataUse.department', 'dataUse.accessor', 'dataUse.channel', 'dataUse.holder', 'dataUse.what', 'dataUse.purpose', 'dataUse.case', 'dataUse.result'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, state.data.items.map((u) => h('tr', { dataset: { channel: u.channel, department: u.department ?? '', holder: u.holder ?? '' } },
          h('td', {}, dateTime(u.at)),
          h('td', {}, departmentName(u.department) || '—'),
          h('td', {}, tOr(`accessor.${u.accessorKind}`, u.accessorKind)),
          h('td', {}, tOr(`channel.${u.channel}`, u.channel)),
          h('td', {}, u.holder ? departmentName(u.holder) : '—'),
          h('td', {}, u.dataItem ? h('span', {}, h('strong', {}, dataItemName(u.dataItem)), u.fields?.length ? h('span', { class: 'muted small' }, ` (${u.fields.map((f) => fieldLabel(u.dataItem, f)).join('、')})`) : null) : (u.fields ?? []).map((f) => fieldLabel(null, f)).join('、') || '—'),
          h('td', {}, tOr(`purpose.${u.purpose}`, u.purpose)),
          h('td', {}, u.caseId ? h('a', { href: `/citizen/cases/${encodeURIComponent(u.caseId)}` }, u.serviceId ? serviceName(u.serviceId, state.list) : u.caseId.slice(0, 8)) : '—'),
          h('td', {}, h('span', { class: `tag ${u.result === 'granted' ? 'tag-good' : 'tag-warn'}` }, tOr(`result.${u.result}`, u.result)))))))),
      pager({ page: state.page, pageSize: 50, total: state.data.total }, (page) => { state.page = page; void load(); }),
    ];
  });
  await load();
}

// ---------------------------------------------------------------- erasure of my data (PIPL art. 47)

const ENDED = new Set(['closed', 'withdrawn', 'notAccepted', 'denied', 'revoked']);

async function erasureView() {
  const state = { cases: null, requests: null, list: [], error: null, issues: [], chosen: new Set(), reason: '', busy: false, sent: null };
  const load = async () => {
    try {
      [state.cases, state.requests, state.list] = await Promise.all([
        send(errand.GET('/cases', { params: { query: { page: 1, pageSize: 100 } } })),
        send(errand.GET('/erasure-requests', { params: { query: { page: 1, pageSize: 50 } } })),
        services().catch(() => [])]);
      state.error = null;
    } catch (error) {
      state.error = error;
    }
    rerender();
  };
  const ISSUE_TEXT = { cases: 'erasure.error.cases', reason: 'erasure.error.reason' };
  const summary = () => state.issues.length
    ? h('div', { class: 'error-summary', id: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
      h('h2', { class: 'error-summary-title', id: 'error-summary-title' }, t('formError.summary')),
      h('ul', { class: 'error-summary-list' }, state.issues.map((name) => h('li', {}, h('a', { href: `#erasure-${name}`, dataset: { field: name } }, t(ISSUE_TEXT[name]))))))
    : null;
  const fieldError = (name) => state.issues.includes(name)
    ? h('p', { class: 'field-error', id: `erasure-${name}-error` }, h('span', { class: 'sr-only' }, `${t('common.error')}: `), t(ISSUE_TEXT[name]))
    : null;

  const submit = async (event) => {
    event.preventDefault();
    state.issues = [];
    if (state.chosen.size === 0) state.issues.push('cases');
    if (!state.reason.trim()) state.issues.push('reason');
    state.sent = null;
    if (state.issues.length) {
      rerender();
      document.getElementById('error-summary')?.focus();
      return;
    }
    state.busy = true;
    rerender();
    try {
      await send(errand.POST('/erasure-requests', { body: { caseIds: [...state.chosen], reason: state.reason.trim() }, headers: commandHeaders(newKey()) }));
      state.sent = true;
      state.chosen = new Set();
      state.reason = '';
      flash(t('erasure.sent'));
      // The list follows the request log; look again shortly.
      for (let i = 0; i < 20 && !(state.requests?.items ?? []).some((r) => r.status === 'requested'); i += 1) {
        await load();
        if ((state.requests?.items ?? []).some((r) => r.status === 'requested')) break;
        await new Promise((r) => setTimeout(r, 300));
      }
    } catch (error) {
      state.error = error;
    } finally {
      state.busy = false;
      rerender();
    }
  };

  const decisionText = (r) => {
    if (!r.decision) return t('erasure.pending');
    const parts = [r.decision.explanation];
    if (r.decision.erased.length) parts.push(t('erasure.erasedCount', { n: r.decision.erased.length }));
    for (const k of r.decision.kept) parts.push(t(`erasure.kept.${k.why}`, { id: k.caseId.slice(0, 8) }));
    return parts.join(' · ');
  };

  show(() => {
    setTitle(t('erasure.title'));
    const head = [summary(), h('h1', {}, t('erasure.title')), h('p', { class: 'lead' }, t('erasure.intro'))];
    if (state.error && !state.cases) return [...head, problemBox(state.error)];
    if (!state.cases) return [...head, loading()];
    const caseRows = state.cases.items.map((c) => {
      const id = `erasure-case-${c.caseId}`;
      const ended = ENDED.has(c.status);
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, value: c.caseId, checked: state.chosen.has(c.caseId), dataset: { caseId: c.caseId },
          on: { change: (e) => { if (e.target.checked) state.chosen.add(c.caseId); else state.chosen.delete(c.caseId); } } }),
        h('label', { for: id }, `${serviceName(c.serviceId, state.list)} · ${statusLabel(c.status)}`, ended ? null : h('span', { class: 'muted small' }, ` (${t('erasure.stillOpen')})`)));
    });
    const reason = h('textarea', { id: 'erasure-reason', rows: 3, maxlength: 2000, 'aria-describedby': state.issues.includes('reason') ? 'erasure-reason-error' : null,
      on: { input: (e) => { state.reason = e.target.value; } } });
    reason.value = state.reason;
    const form = h('form', { id: 'erasure-form', novalidate: true, on: { submit } },
      h('fieldset', { id: 'erasure-cases', tabindex: '-1', class: state.issues.includes('cases') ? 'has-error' : null },
        h('legend', {}, t('erasure.cases')),
        fieldError('cases'),
        caseRows.length ? caseRows : h('p', { class: 'empty' }, t('cases.empty'))),
      h('div', { class: state.issues.includes('reason') ? 'field has-error' : 'field' },
        h('label', { for: 'erasure-reason' }, t('erasure.reason')),
        h('p', { class: 'hint' }, t('erasure.reasonHint')),
        fieldError('reason'),
        reason),
      state.error ? problemBox(state.error) : null,
      h('button', { type: 'submit', class: 'button primary', id: 'erasure-send', disabled: state.busy }, t('erasure.send')));
    const requests = state.requests?.items ?? [];
    return [
      ...head,
      form,
      h('h2', {}, t('erasure.mine')),
      requests.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'erasure-requests' },
          h('thead', {}, h('tr', {}, ['erasure.on', 'erasure.casesCol', 'erasure.status', 'erasure.decision'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, requests.map((r) => h('tr', { dataset: { requestId: r.requestId, status: r.status } },
            h('td', {}, day(r.requestedOn)),
            h('td', {}, String(r.caseIds.length)),
            h('td', {}, h('span', { class: `tag ${r.status === 'accepted' ? 'tag-good' : r.status === 'refused' ? 'tag-warn' : ''}` }, t(`erasure.state.${r.status}`))),
            h('td', {}, decisionText(r)))))))
        : h('p', { class: 'empty', id: 'erasure-none' }, t('erasure.none')),
    ];
  });
  await load();
}

// ---------------------------------------------------------------- route (last: every declaration above is initialised)

if (session) {
  const path = location.pathname.replace(/\/+$/, '');
  let match;
  if (path === '/citizen') await catalogueView();
  else if ((match = path.match(/^\/citizen\/services\/([^/]+)$/))) await applyView(decodeURIComponent(match[1]));
  else if (path === '/citizen/cases') await casesView();
  else if ((match = path.match(/^\/citizen\/cases\/([^/]+)$/))) await casePage(decodeURIComponent(match[1]));
  else if (path === '/citizen/data-use') await dataUseView();
  else if (path === '/citizen/notifications') await inboxView();
  else if (path === '/citizen/erasure') await erasureView();
  if (path !== '/citizen/notifications') void refreshUnread();
}
