import type { Calendar } from '../../../domain/calendar/index.ts';
import type { CaseView } from './document.ts';

export interface DaysLeft {
  /** Counted days from `today` (or from the suspension, while suspended) to each due date; negative once past. */
  promised: number | null;
  statutory: number | null;
  /** Before acceptance: days left for intake to answer, or for the applicant to supplement. */
  intake: number | null;
  supplement: number | null;
  /**
   * True while the clock is stopped: by a suspension (the counts are as of the day it started), or while a supplement
   * is awaited (the intake limit starts again when it arrives; `supplement` counts the applicant's days left).
   */
  clockStopped: boolean;
  /** The calendar has no published arrangement for a date involved, so the count may change. */
  provisional: boolean;
}

/**
 * Days left need the region's working-day calendar and today's date, which a stored view cannot know; the API adds
 * them when it serves the view. Pure: the same view, calendar and date give the same answer.
 */
export function withDaysLeft<V extends Pick<CaseView, 'due' | 'status' | 'suspensions' | 'intakeDueOn' | 'supplement' | 'limits'>>(
  view: V,
  calendar: Calendar,
  today: string,
): V & { daysLeft: DaysLeft } {
  const kind = view.limits?.dayKind ?? 'working';
  const suspension = view.status === 'suspended' ? view.suspensions.at(-1) : undefined;
  const from = suspension ? suspension.suspendedOn : today;
  const dates: string[] = [from];
  const count = (due: string | null | undefined, dayKind = kind): number | null => {
    if (!due) return null;
    dates.push(due);
    return calendar.daysBetween(from, due, dayKind);
  };
  const daysLeft: DaysLeft = {
    promised: count(view.due?.promised),
    statutory: count(view.due?.statutory),
    // The law counts the five intake days in working days whatever the service's own day kind (art. 32).
    intake: view.status === 'submitted' ? count(view.intakeDueOn, 'working') : null,
    supplement: view.status === 'awaitingSupplement' ? count(view.supplement?.dueOn) : null,
    clockStopped: suspension !== undefined || view.status === 'awaitingSupplement',
    provisional: false,
  };
  daysLeft.provisional = dates.some((d) => calendar.isProvisional(d));
  return { ...view, daysLeft };
}
