import type { Calendar, DayKind } from '../../../domain/calendar/index.ts';
import type { WorkItem } from './document.ts';

export interface ItemDaysLeft {
  /** Counted days from today to dueOn, negative once past; null without a due date or while the clock is stopped. */
  daysLeft: number | null;
  dayKind: DayKind;
  /** The calendar has no published arrangement for a date involved, so the count may change. */
  provisional: boolean;
}

/**
 * Days left on a work item, added when the queue is served: they depend on today and on the region's calendar,
 * which a stored item cannot know. Intake is counted in working days whatever the service's own kind (art. 32),
 * and a suspended case's clock is stopped.
 */
export function withItemDaysLeft<I extends Pick<WorkItem, 'dueOn' | 'dueKind' | 'status'>>(item: I, calendar: Calendar, serviceDayKind: DayKind, today: string): I & ItemDaysLeft {
  const dayKind: DayKind = item.dueKind === 'intake' ? 'working' : serviceDayKind;
  if (!item.dueOn || item.status === 'suspended') return { ...item, daysLeft: null, dayKind, provisional: false };
  return {
    ...item,
    daysLeft: calendar.daysBetween(today, item.dueOn, dayKind),
    dayKind,
    provisional: calendar.isProvisional(today) || calendar.isProvisional(item.dueOn),
  };
}
