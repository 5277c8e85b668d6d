/** Instants become local dates only here, with Intl, so day counting never depends on the server's time zone. */
import type { LocalDate } from './local-date.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date in `timeZone` of an instant, e.g. '2026-09-30T16:30:00Z' is '2026-10-01' in Asia/Shanghai. */
export function localDate(instant: string | Date, timeZone = 'Asia/Shanghai'): LocalDate {
  const at = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(at.getTime())) throw new RangeError(`${JSON.stringify(String(instant))} is not an ISO instant`);
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
