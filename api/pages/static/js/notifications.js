// @ts-check
// The inbox (what the signed-in citizen or clerk must act on, with the unread count in the header) and, below it,
// how they are told: language, email, SMS. Shared by the citizen and clerk pages.
import { errand, send } from './api.js';
import { h } from './dom.js';
import { lang, onLanguageChange, t } from './i18n.js';
import { flash, loading, problemBox, rerender, setTitle, setUnread, show } from './layout.js';
import { dateTime } from './format.js';

/**
 * @typedef {{ id: string, kind: string, caseId: string, title: string, body: string, createdAt: string, read: boolean, href: string }} InboxItem
 * @typedef {{ items: InboxItem[], total: number, unread: number, page: number, pageSize: number }} InboxPage
 * @typedef {{ language: 'zh-CN' | 'en', email: boolean, sms: boolean, emailAddress: string | null, phone: string | null, available: { email: boolean, sms: boolean } }} Preferences
 * @typedef {{ inbox: InboxPage | null, prefs: Preferences | null, error: unknown, prefsError: unknown, saving: boolean }} InboxState
 */

/** @returns {Promise<InboxPage>} */
async function fetchInbox() {
  return /** @type {InboxPage} */ (await send(errand.GET('/me/notifications', { params: { query: { pageSize: 50, lang: lang() } } })));
}

/** Fetches the unread count for the header badge; a failure leaves the badge as it was. */
export async function refreshUnread() {
  try {
    setUnread((await fetchInbox()).unread);
  } catch {
    // The header is not the place for an error: the inbox page shows it.
  }
}

/**
 * @param {InboxItem} item
 * @param {() => Promise<void>} onRead
 */
function entry(item, onRead) {
  return h('li', { class: ['card', 'inbox-item', item.read ? 'inbox-read' : 'inbox-unread'], dataset: { kind: item.kind, id: item.id, read: String(item.read) } },
    h('h2', { class: 'h3' }, item.read ? null : h('span', { class: 'badge badge-info' }, t('inbox.unreadLabel')), ' ', item.title),
    h('p', {}, item.body),
    h('p', { class: 'muted small' }, dateTime(item.createdAt)),
    h('p', {},
      h('a', { class: 'button', href: item.href }, t('inbox.open')),
      ' ',
      item.read ? h('span', { class: 'muted' }, t('inbox.readDone')) : h('button', { type: 'button', class: 'link-button mark-read', on: { click: () => void onRead() } }, t('inbox.markRead'))));
}

/**
 * @param {InboxState} state
 * @param {() => Promise<void>} save
 */
function preferencesForm(state, save) {
  const prefs = state.prefs;
  if (!prefs) return state.prefsError ? problemBox(state.prefsError) : loading();
  /** @param {Event} event */
  const value = (event) => /** @type {HTMLInputElement | HTMLSelectElement} */ (event.target);
  const language = h('select', { id: 'prefs-language', on: { change: (/** @type {Event} */ e) => { prefs.language = value(e).value === 'en' ? 'en' : 'zh-CN'; } } },
    h('option', { value: 'zh-CN', selected: prefs.language === 'zh-CN' }, '中文'),
    h('option', { value: 'en', selected: prefs.language === 'en' }, 'English'));
  const checkbox = (/** @type {string} */ id, /** @type {boolean} */ checked, /** @type {(on: boolean) => void} */ set, /** @type {boolean} */ disabled) =>
    h('input', { type: 'checkbox', id, checked, disabled, on: { change: (/** @type {Event} */ e) => set(/** @type {HTMLInputElement} */ (e.target).checked) } });
  const text = (/** @type {string} */ id, /** @type {string} */ type, /** @type {string | null} */ current, /** @type {(v: string | null) => void} */ set) =>
    h('input', { type, id, value: current ?? '', autocomplete: type === 'email' ? 'email' : 'tel', on: { input: (/** @type {Event} */ e) => set(value(e).value.trim() || null) } });
  return h('form', { id: 'notification-preferences', class: 'card', on: { submit: (/** @type {Event} */ e) => { e.preventDefault(); void save(); } } },
    h('h2', {}, t('prefs.title')),
    h('p', { class: 'muted' }, t('prefs.intro')),
    h('div', { class: 'field' }, h('label', { for: 'prefs-language' }, t('prefs.language')), language),
    h('div', { class: 'field' },
      h('label', {}, checkbox('prefs-email', prefs.email, (on) => { prefs.email = on; }, !prefs.available.email), ' ', t('prefs.email')),
      prefs.available.email ? null : h('p', { class: 'hint' }, t('prefs.emailUnavailable'))),
    h('div', { class: 'field' }, h('label', { for: 'prefs-email-address' }, t('prefs.emailAddress')), text('prefs-email-address', 'email', prefs.emailAddress, (v) => { prefs.emailAddress = v; })),
    h('div', { class: 'field' }, h('label', {}, checkbox('prefs-sms', prefs.sms, (on) => { prefs.sms = on; }, !prefs.available.sms), ' ', t('prefs.sms'))),
    h('div', { class: 'field' }, h('label', { for: 'prefs-phone' }, t('prefs.phone')), text('prefs-phone', 'tel', prefs.phone, (v) => { prefs.phone = v; })),
    h('button', { type: 'submit', class: 'button primary', id: 'prefs-save', disabled: state.saving }, t('prefs.save')));
}

/** The inbox page of a citizen or a clerk. */
export async function inboxView() {
  /** @type {InboxState} */
  const state = { inbox: null, prefs: null, error: null, prefsError: null, saving: false };
  const load = async () => {
    try {
      state.inbox = await fetchInbox();
      state.error = null;
      setUnread(state.inbox.unread);
    } catch (error) {
      state.error = error;
    }
    rerender();
  };
  /** @param {string} id */
  const markRead = async (id) => {
    try {
      await send(errand.POST('/me/notifications/{notificationId}/read', { params: { path: { notificationId: id } }, body: {} }));
    } catch (error) {
      state.error = error;
    }
    await load();
  };
  const save = async () => {
    const prefs = state.prefs;
    if (!prefs) return;
    state.saving = true;
    rerender();
    try {
      const { available: _available, ...body } = prefs;
      state.prefs = /** @type {Preferences} */ (await send(errand.PUT('/me/notification-preferences', { body })));
      state.prefsError = null;
      flash(t('prefs.saved'));
    } catch (error) {
      state.prefsError = error;
    }
    state.saving = false;
    rerender();
  };
  show(() => {
    setTitle(t('inbox.title'));
    const inbox = state.inbox;
    const list = state.error
      ? problemBox(state.error)
      : !inbox
        ? loading()
        : inbox.items.length
          ? h('ul', { class: 'inbox', id: 'inbox' }, inbox.items.map((item) => entry(item, () => markRead(item.id))))
          : h('p', { class: 'empty', id: 'inbox-empty' }, t('inbox.empty'));
    return [
      h('h1', {}, t('inbox.title'), ' ', inbox ? h('span', { class: 'badge badge-info', id: 'inbox-unread' }, t('inbox.unread', { n: inbox.unread })) : null),
      h('p', { class: 'lead' }, t('inbox.intro')),
      list,
      state.prefs && state.prefsError ? problemBox(state.prefsError) : null,
      preferencesForm(state, save),
    ];
  });
  // The server words the messages: a language change fetches them again in the new one.
  onLanguageChange(() => void load());
  try {
    state.prefs = /** @type {Preferences} */ (await send(errand.GET('/me/notification-preferences')));
  } catch (error) {
    state.prefsError = error;
  }
  await load();
}
