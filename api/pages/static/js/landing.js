// Landing page: pick a role and a demo user (development sign-in), or paste a token when dev sign-in is off.
import { api, ApiError } from './api.js';
import { field, h } from './dom.js';
import { t } from './i18n.js';
import { problemBox, rerender, setTitle, show, startPage } from './layout.js';
import { getSession, sessionFromToken, setSession } from './session.js';

const ROLES = ['citizen', 'clerk', 'auditor', 'admin'];
const state = { users: null, devOff: false, error: null, busy: false, selected: {} };
const wanted = new URLSearchParams(location.search).get('role');

/**
 * Where to go after signing in: the deep link the user came from when it is one of this role's pages (a path on
 * this site, never another origin), else the role's home page.
 */
function destination(kind) {
  const home = `/${kind}`;
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return home;
  return next === home || next.startsWith(`${home}/`) || next.startsWith(`${home}?`) || next.startsWith(`${home}#`) ? next : home;
}

function splitLabel(label) {
  const at = label.indexOf(' — ');
  return at < 0 ? [label, ''] : [label.slice(0, at), label.slice(at + 3)];
}

async function signIn(userId) {
  state.busy = true;
  state.error = null;
  rerender();
  try {
    const answer = await api('POST', '/dev/sign-in', { body: { userId }, auth: false });
    const user = state.users.find((u) => u.userId === userId);
    setSession({ token: answer.token, principal: answer.principal, expiresAt: answer.expiresAt, label: user ? splitLabel(user.label)[0] : userId });
    location.assign(destination(answer.principal.kind));
  } catch (error) {
    state.busy = false;
    state.error = error;
    rerender();
  }
}

function roleCard(role) {
  const users = (state.users ?? []).filter((u) => u.principal.kind === role);
  const selectedId = state.selected[role] ?? users[0]?.userId;
  const selected = users.find((u) => u.userId === selectedId);
  const select = h('select', { id: `user-${role}`, name: `user-${role}`, dataset: { role }, on: { change: (e) => { state.selected[role] = e.target.value; rerender(); } } },
    users.map((u) => h('option', { value: u.userId, selected: u.userId === selectedId }, splitLabel(u.label)[0])));
  const description = selected ? splitLabel(selected.label)[1] : '';
  return h('section', { class: ['card', 'role-card', wanted === role ? 'highlight' : ''], 'aria-labelledby': `role-${role}` },
    h('h2', { id: `role-${role}` }, t(`role.${role}`)),
    h('p', { class: 'muted' }, t(`role.${role}.desc`)),
    users.length
      ? h('form', { class: 'stack', on: { submit: (e) => { e.preventDefault(); void signIn(select.value); } } },
        field(t('landing.user'), select, description || null),
        h('button', { type: 'submit', class: 'primary', disabled: state.busy, dataset: { signIn: role } }, t('landing.signIn')))
      : h('p', { class: 'muted' }, t('landing.noUsers')));
}

function tokenForm() {
  const input = h('textarea', { id: 'token', rows: '3', spellcheck: 'false', autocomplete: 'off' });
  return h('section', { class: 'card' },
    h('p', {}, t('landing.devOff')),
    h('form', { class: 'stack', on: { submit: (e) => {
      e.preventDefault();
      const session = sessionFromToken(input.value);
      if (!session) {
        state.error = new Error(t('landing.badToken'));
        rerender();
        return;
      }
      setSession(session);
      location.assign(destination(session.principal.kind));
    } } }, field(t('landing.token'), input), h('button', { type: 'submit', class: 'primary' }, t('landing.useToken'))));
}

function render() {
  setTitle(t('landing.title'));
  const session = getSession();
  const kind = session?.principal?.kind;
  return [
    h('section', { class: 'hero' }, h('h1', {}, t('app.name')), h('p', { class: 'lead' }, t('app.tagline'))),
    session && ROLES.includes(kind) ? h('p', { class: 'alert alert-info' }, h('a', { href: destination(kind) }, t('landing.continue', { page: t(`role.${kind}`) }))) : null,
    state.error ? problemBox(state.error) : null,
    h('h2', {}, t('landing.title')),
    state.users === null && !state.devOff ? h('p', { class: 'loading' }, t('common.loading')) : null,
    state.devOff ? tokenForm() : h('p', { class: 'muted' }, t('landing.devNote')),
    state.users ? h('div', { class: 'grid roles' }, ROLES.map(roleCard)) : null,
  ];
}

await startPage(null);
show(render);
try {
  state.users = (await api('GET', '/dev/users', { auth: false })).users ?? [];
} catch (error) {
  if (error instanceof ApiError && error.status === 404) state.devOff = true;
  else state.error = error;
}
rerender();
if (wanted) document.getElementById(`user-${wanted}`)?.focus();
