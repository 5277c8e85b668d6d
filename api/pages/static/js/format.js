// Dates, durations, statuses and actors as the pages show them, in the current language.
import { h } from './dom.js';
import { lang, t, tOr } from './i18n.js';
import { departmentName } from './catalogue.js';

const locale = () => (lang() === 'en' ? 'en-GB' : 'zh-CN');

export function dateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A calendar date "2025-06-01", shown without any time-zone shift. */
export function day(ymd) {
  if (!ymd) return '—';
  const date = new Date(`${ymd}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return String(ymd);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

export function bytes(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** "还剩 3 个工作日" / "已超期 2 个工作日" / "今天到期". */
export function daysLeft(n, dayKind = 'working') {
  if (n === null || n === undefined) return '—';
  const calendar = dayKind === 'calendar';
  if (n === 0) return t('case.dueToday');
  if (n < 0) return t(calendar ? 'case.daysOverdueCalendar' : 'case.daysOverdue', { n: -n });
  return t(calendar ? 'case.daysLeftCalendar' : 'case.daysLeftValue', { n });
}

export function limitDays(n, dayKind) {
  return t(dayKind === 'calendar' ? 'common.calendarDays' : 'common.workingDays', { n });
}

const TONE = {
  draft: 'neutral', submitted: 'info', awaitingSupplement: 'warn', notAccepted: 'bad', gatheringEvidence: 'info',
  review: 'info', jointReview: 'info', suspended: 'warn', approved: 'good', certificateIssued: 'good', denied: 'bad',
  closed: 'good', withdrawn: 'neutral', revoked: 'bad',
};

export function statusLabel(status) {
  return tOr(`status.${status}`, status);
}

/** A coloured status pill; a case closed after a denial stays red. */
export function statusBadge(status, outcome) {
  const tone = status === 'closed' && outcome === 'denied' ? 'bad' : TONE[status] ?? 'neutral';
  return h('span', { class: `badge badge-${tone}`, dataset: { status } }, statusLabel(status));
}

/** Who acted, from a timeline entry: "clerk/PSB" (or the older { actor: { kind, department } }). */
export function actorText(entry) {
  const raw = entry.by ?? [entry.actor?.kind, entry.actor?.department].filter(Boolean).join('/');
  const [kind, department] = String(raw).split('/');
  const who = tOr(`by.${kind}`, kind);
  return department ? `${who} · ${departmentName(department)}` : who;
}

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

export function fieldValue(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(`boolean.${value}`);
  // A personal value whose key was destroyed (crypto-shredded): domain/privacy ERASED.
  if (value === '[erased]') return t('common.erased');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
