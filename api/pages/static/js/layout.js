// The frame every page shares: header with navigation, user and language toggle; the sign-in guard; error boxes;
// re-rendering the current view when the language changes.
import { ApiError } from './api.js';
import { loadLabels } from './catalogue.js';
import { h, replace } from './dom.js';
import { applyStatic, lang, onLanguageChange, t, toggleLang, tOr } from './i18n.js';
import { clearSession, getSession } from './session.js';

const NAV = {
  citizen: [['/citizen', 'nav.services'], ['/citizen/cases', 'nav.myCases'], ['/citizen/data-use', 'nav.dataUse'], ['/citizen/notifications', 'nav.inbox'], ['/citizen/erasure', 'nav.erasure']],
  clerk: [['/clerk', 'nav.queue'], ['/clerk/notifications', 'nav.inbox']],
  auditor: [['/auditor', 'nav.auditor']],
  admin: [['/admin', 'nav.adminServices'], ['/admin/data', 'nav.adminData'], ['/admin/operations', 'nav.adminOperations'], ['/auditor', 'nav.auditor']],
};

let renderCurrent = null;
let headerRole = null;
/** Unread messages, shown beside the inbox link once known (js/notifications.js fetches it). */
let unread = null;

/** Sets the unread count shown in the header (null: unknown, nothing shown). */
export function setUnread(count) {
  unread = count;
  renderHeader();
}

export const main = () => document.getElementById('main');

function currentNav(path, href) {
  if (href === path) return true;
  // The longest matching prefix wins, so /citizen/cases/x highlights "My cases", not "Services".
  return path.startsWith(`${href}/`) && href !== '/citizen' && !(href === '/admin' && /^\/admin\/(data|operations)/.test(path));
}

function renderHeader() {
  const top = document.getElementById('top');
  if (!top) return;
  const session = getSession();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const links = (NAV[headerRole] ?? []).map(([href, key]) => {
    const active = currentNav(path, href) || (href === '/citizen' && (path === '/citizen' || path.startsWith('/citizen/services')));
    const badge = key === 'nav.inbox' && unread ? h('span', { class: 'badge badge-bad unread-count', id: 'unread-count', 'aria-label': t('inbox.unread', { n: unread }) }, String(unread)) : null;
    return h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, t(key), badge ? ' ' : null, badge));
  });
  const user = session ? h('span', { class: 'user', title: session.label ?? '' }, t('session.signedInAs', { name: session.principal?.name ?? session.label ?? session.principal?.id })) : null;
  const signOut = session
    ? h('button', { type: 'button', class: 'link-button', on: { click: () => { clearSession(); location.assign('/'); } } }, t('session.signOut'))
    : null;
  replace(
    top,
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '办'), h('span', {}, t('app.name'))),
    links.length ? h('nav', { 'aria-label': t('nav.main') }, h('ul', {}, links)) : h('span', { class: 'spacer' }),
    h('div', { class: 'top-tools' },
      user,
      h('button', { type: 'button', class: 'lang-toggle', id: 'lang-toggle', 'aria-label': t('lang.toggle.label'), lang: t('lang.toggle') === 'English' ? 'en' : 'zh-CN', on: { click: toggleLang } }, t('lang.toggle')),
      signOut),
  );
}

/** Sets up a page for a role: header, labels, language switching. Returns the session, or null after showing a sign-in prompt. */
export async function startPage(role) {
  headerRole = role;
  applyStatic();
  renderHeader();
  onLanguageChange(() => {
    renderHeader();
    if (renderCurrent) renderCurrent();
  });
  await loadLabels();
  if (!role) return null;
  const session = getSession();
  // The administrator also reads the auditor's page (statistics, the hash-chain check).
  const kinds = role === 'auditor' ? ['auditor', 'admin'] : [role];
  if (!session || !kinds.includes(session.principal?.kind)) {
    show(() => signInPrompt(role));
    return null;
  }
  return session;
}

function signInPrompt(role) {
  document.title = `${t('session.required')} · ${t('app.name')}`;
  return h('section', { class: 'card narrow' },
    h('h1', {}, t('session.required')),
    h('p', {}, t('session.requiredRole', { role: t(`role.${role}`) })),
    h('a', { class: 'button primary', href: signInHref(role) }, t('session.goSignIn')));
}

/** The landing page, asked to come back here (the deep link) after signing in. */
export function signInHref(role) {
  const next = encodeURIComponent(`${location.pathname}${location.search}${location.hash}`);
  return role ? `/?role=${role}&next=${next}` : `/?next=${next}`;
}

/**
 * Shows a view: render() returns the nodes for <main>; it is called again when the language changes, so it must
 * build everything from state it already holds.
 */
export function show(render) {
  renderCurrent = () => {
    const nodes = render();
    replace(main(), ...(Array.isArray(nodes) ? nodes : [nodes]));
  };
  renderCurrent();
}

/** Re-renders the current view in place (after its state changed). */
export function rerender() {
  if (renderCurrent) renderCurrent();
}

export function setTitle(text) {
  document.title = `${text} · ${t('app.name')}`;
}

/** An alert box for an ApiError (problem+json title, detail and every field error) or any other failure. */
export function problemBox(error) {
  const box = h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1' });
  if (error instanceof ApiError) {
    if (error.status === 0) {
      box.append(h('p', {}, t('common.networkError')));
      return box;
    }
    if (error.status === 401) {
      box.append(h('p', {}, t('session.expired')), h('a', { href: signInHref(headerRole) }, t('session.goSignIn')));
      return box;
    }
    // The title comes from the page's own texts by problem type; the server's detail and field paths are English
    // written for developers, so a Chinese page never shows them (an English one adds them under the title).
    const title = tOr(`problem.${error.slug}`, null) ?? (lang() === 'en' && error.title ? error.title : t('problem.generic'));
    box.append(h('p', { class: 'alert-title' }, h('strong', {}, title), ` (${error.status})`));
    // Fields the request named, in words where the page knows them ("/body/reasons" -> "不予受理的理由").
    const named = [...new Set(error.errors.map((e) => tOr(`problemField.${String(e.path ?? '').split('/').filter((p) => !/^\d+$/.test(p)).pop()}`, null)).filter(Boolean))];
    if (lang() !== 'en' && named.length) box.append(h('p', { class: 'alert-detail' }, t('problem.checkFields', { fields: named.join('、') })));
    if (lang() === 'en') {
      if (error.detail) box.append(h('p', { class: 'alert-detail' }, error.detail));
      if (error.errors.length) {
        box.append(h('ul', {}, error.errors.map((e) => h('li', {}, e.path ? h('code', {}, e.path) : null, e.path ? ' ' : null, e.message ?? ''))));
      }
    }
    if (error.status >= 500 && typeof error.problem?.requestId === 'string') box.append(h('p', { class: 'muted small' }, t('problem.requestId', { id: error.problem.requestId })));
    return box;
  }
  box.append(h('p', {}, h('strong', {}, t('common.error')), ' ', error?.message ?? String(error)));
  return box;
}

/** Puts an error box into a slot and moves focus to it so screen readers and keyboard users notice it. */
export function showProblem(slot, error) {
  const box = problemBox(error);
  replace(slot, box);
  box.focus();
  return box;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let flashTimer;

/** A short confirmation in the page's live region. */
export function flash(text, tone = 'good') {
  const region = document.getElementById('flash');
  if (!region) return;
  replace(region, h('div', { class: `alert alert-${tone}` }, text));
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => replace(region), 6000);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

/** Pager: "Previous / page x of y / Next". */
export function pager({ page, pageSize, total }, go) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h('nav', { class: 'pager', 'aria-label': t('common.pageOf', { page, pages, total }) },
    h('button', { type: 'button', disabled: page <= 1, on: { click: () => go(page - 1) } }, t('common.previous')),
    h('span', {}, t('common.pageOf', { page, pages, total })),
    h('button', { type: 'button', disabled: page >= pages, on: { click: () => go(page + 1) } }, t('common.next')));
}
