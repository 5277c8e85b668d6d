// Clerk workbench: the department's work queue (filters, deadline flags, paging) and the case page with evidence
// provenance, materials, timeline and the actions the case takes next. Every action sends If-Match with the case
// revision the clerk is looking at and a fresh Idempotency-Key.
import { commandHeaders, errand, newKey, send } from './api.js';
import { departmentName, serviceName, services } from './catalogue.js';
import { field, h, replace } from './dom.js';
import { localized, t, tOr } from './i18n.js';
import { flash, loading, pager, problemBox, rerender, setTitle, show, showProblem, startPage } from './layout.js';
import { dateTime, day, daysLeft, statusBadge, statusLabel } from './format.js';
import { casePage } from './clerk-case.js';
import { heldByCell } from './clerk-work.js';
import { inboxView, refreshUnread } from './notifications.js';

const session = await startPage('clerk');

// ---------------------------------------------------------------- work queue

const STATUSES = ['submitted', 'awaitingSupplement', 'gatheringEvidence', 'review', 'jointReview', 'suspended', 'approved', 'certificateIssued'];
const PAGE_SIZE = 20;

async function queueView() {
  const params = new URLSearchParams(location.search);
  const state = {
    filters: { status: params.get('status') ?? '', serviceId: params.get('serviceId') ?? '', overdue: params.get('overdue') === 'true', mine: params.get('waiting') === 'false', held: params.has('heldBy') },
    page: Number(params.get('page') ?? '1') || 1,
    data: null,
    list: [],
    error: null,
    busy: false,
  };
  const claimError = h('div', { class: 'error-slot', id: 'claim-error' });

  /** Claims an unclaimed item from the queue; someone quicker gets a 409, shown, and the queue reloads. */
  async function claim(caseId) {
    if (state.busy) return;
    state.busy = true;
    replace(claimError);
    rerender();
    try {
      await send(errand.POST('/cases/{caseId}/claim', { params: { path: { caseId } }, body: {}, headers: commandHeaders(newKey()) }));
      flash(t('clerk.done', { action: t('cmd.ClaimCase') }));
    } catch (error) {
      showProblem(claimError, error);
    }
    state.busy = false;
    await load();
  }

  async function load() {
    const query = new URLSearchParams({ page: String(state.page), pageSize: String(PAGE_SIZE) });
    if (state.filters.status) query.set('status', state.filters.status);
    if (state.filters.serviceId) query.set('serviceId', state.filters.serviceId);
    if (state.filters.overdue) query.set('overdue', 'true');
    if (state.filters.mine) query.set('waiting', 'false');
    if (state.filters.held) query.set('heldBy', session.principal.id);
    history.replaceState(null, '', `/clerk?${query.toString().replace(/&?pageSize=\d+/, '')}`);
    try {
      [state.data, state.list] = await Promise.all([send(errand.GET('/work-queue', { params: { query: /** @type {any} */ (Object.fromEntries(query)) } })), services()]);
      state.error = null;
    } catch (error) {
      state.error = error;
    }
    rerender();
  }

  function filters() {
    const department = session.principal.department;
    const own = state.list.filter((s) => s.department === department || (s.coReviewers ?? []).includes(department));
    const status = h('select', { id: 'filter-status', name: 'status' },
      h('option', { value: '' }, t('queue.any')),
      STATUSES.map((s) => h('option', { value: s, selected: state.filters.status === s }, statusLabel(s))));
    const service = h('select', { id: 'filter-service', name: 'serviceId' },
      h('option', { value: '' }, t('queue.any')),
      own.map((s) => h('option', { value: s.id, selected: state.filters.serviceId === s.id }, localized(s.name))));
    const overdue = h('input', { type: 'checkbox', id: 'filter-overdue', checked: state.filters.overdue });
    const mine = h('input', { type: 'checkbox', id: 'filter-mine', checked: state.filters.mine });
    const held = h('input', { type: 'checkbox', id: 'filter-held', checked: state.filters.held });
    return h('form', { class: 'filters card', 'aria-label': t('queue.filters'), on: { submit: (e) => {
      e.preventDefault();
      state.filters = { status: status.value, serviceId: service.value, overdue: overdue.checked, mine: mine.checked, held: held.checked };
      state.page = 1;
      void load();
    } } },
    field(t('queue.status'), status),
    field(t('queue.service'), service),
    h('div', { class: 'check' }, overdue, h('label', { for: 'filter-overdue' }, t('queue.overdue'))),
    h('div', { class: 'check' }, mine, h('label', { for: 'filter-mine' }, t('queue.mine'))),
    h('div', { class: 'check' }, held, h('label', { for: 'filter-held' }, t('queue.heldMine'))),
    h('button', { type: 'submit', class: 'primary' }, t('queue.apply')));
  }

  function flag(item) {
    if (item.overdue) return h('span', { class: 'flag flag-red', dataset: { flag: 'red' } }, t('case.overdue'));
    if (item.warning) return h('span', { class: 'flag flag-yellow', dataset: { flag: 'yellow' } }, t('case.warning'));
    return h('span', { class: 'sr-only' }, t('common.none'));
  }

  show(() => {
    setTitle(`${t('queue.title')} · ${departmentName(session.principal.department)}`);
    const head = [h('h1', {}, t('queue.title'), h('span', { class: 'muted h-sub' }, ` · ${departmentName(session.principal.department)}`)), filters(), claimError];
    if (state.error) return [...head, problemBox(state.error)];
    if (!state.data) return [...head, loading()];
    if (!state.data.items.length) return [...head, h('p', { class: 'empty' }, t('queue.empty'))];
    return [
      ...head,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table queue', id: 'work-queue' },
        h('thead', {}, h('tr', {}, ['queue.flag', 'queue.due', 'queue.service', 'queue.action', 'queue.status', 'queue.role', 'queue.heldBy', 'queue.submitted'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, state.data.items.map((item) => h('tr', { class: item.overdue ? 'row-red' : item.warning ? 'row-yellow' : '', dataset: { caseId: item.caseId, action: item.action, due: item.dueOn ?? '' } },
          h('td', {}, flag(item)),
          h('td', {}, h('strong', {}, day(item.dueOn)),
            item.daysLeft !== null && item.daysLeft !== undefined
              ? h('div', { class: `small days-left${item.daysLeft < 0 ? ' bad' : ''}`, dataset: { daysLeft: String(item.daysLeft) } }, daysLeft(item.daysLeft, item.dayKind), item.provisional ? h('span', { class: 'tag', title: t('case.provisional') }, t('queue.provisional')) : null)
              : null,
            item.dueKind ? h('div', { class: 'muted small' }, tOr(`queue.dueKind.${item.dueKind}`, item.dueKind)) : null),
          h('td', {}, h('a', { href: `/clerk/cases/${encodeURIComponent(item.caseId)}`, class: 'case-link' }, serviceName(item.serviceId, state.list)),
            h('div', { class: 'muted small mono', dataset: { receipt: item.receiptNo ?? '' } }, item.receiptNo ?? item.caseId.slice(0, 8))),
          h('td', {}, tOr(`queueAction.${item.action}`, item.action), item.waiting ? h('div', {}, h('span', { class: 'tag' }, t('queue.waiting'))) : null,
            item.note ? h('div', { class: 'small note', dataset: { note: 'instant' } }, item.note) : null,
            item.followUpsOwed ? h('div', { class: `small${item.followUpOverdue ? ' flag flag-red' : ''}`, dataset: { followUp: String(item.followUpsOwed) } }, t('queue.followUp', { n: item.followUpsOwed, date: day(item.followUpDueOn) })) : null),
          h('td', {}, statusBadge(item.status)),
          h('td', {}, tOr(`queue.role.${item.role}`, item.role)),
          heldByCell(item, session.principal, { busy: state.busy, claim: (caseId) => void claim(caseId) }),
          h('td', {}, dateTime(item.submittedAt))))))),
      pager({ page: state.page, pageSize: PAGE_SIZE, total: state.data.total }, (page) => { state.page = page; void load(); }),
    ];
  });
  await load();
}

// ---------------------------------------------------------------- route (last: every declaration above is initialised)

if (session) {
  const path = location.pathname.replace(/\/+$/, '');
  const match = path.match(/^\/clerk\/cases\/([^/]+)$/);
  if (match) await casePage(decodeURIComponent(match[1]), session);
  else if (path === '/clerk/notifications') await inboxView();
  else await queueView();
  if (path !== '/clerk/notifications') void refreshUnread();
}
