// Every text the pages show, in Chinese (the default) and English. Each entry is [zh-CN, en] so neither language
// can be forgotten. Service, material, department and data item names come from the catalogue's own labels.

import { TEXTS } from './texts.js';

const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'errand.lang';
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function lang() {
  return stored() === 'en' ? 'en' : 'zh-CN';
}

export function setLang(next) {
  const value = LANGS.includes(next) ? next : 'zh-CN';
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  document.documentElement.lang = value;
  applyStatic();
  for (const listener of listeners) listener(value);
}

export function toggleLang() {
  setLang(lang() === 'en' ? 'zh-CN' : 'en');
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** The text for a key in the current language, with {name} placeholders filled in. */
export function t(key, params = {}) {
  const entry = TEXTS[key];
  const text = entry ? entry[lang() === 'en' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (params[name] === undefined || params[name] === null ? match : String(params[name])));
}

/** Whether the dictionary has a text for the key. */
export function hasText(key) {
  return key in TEXTS;
}

/** The text for a key if the dictionary has it, else the fallback (for codes that come from the server). */
export function tOr(key, fallback) {
  return hasText(key) ? t(key) : fallback;
}

/** A catalogue label ({ "zh-CN": ..., en: ... }) in the current language. */
export function localized(text) {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lang()] ?? text['zh-CN'] ?? text.en ?? '';
}

/** Fills the texts the HTML shells name with data-i18n attributes. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder')));
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
}
