import type { CommandOf } from '../../domain/case/commands.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import type { CaseState } from '../case-state.ts';
import { dayKind, type DecideEnvironment } from './environment.ts';

/**
 * The due dates as the calendar now loaded gives them: from acceptance, the service's limits plus the extension days
 * granted, each ended suspension's counted days added back (as resumeCase did). A due date set while its year had no
 * published arrangement was provisional; when the arrangement arrives this recomputes it, and records an event only
 * when a date moved.
 */
export function recalculateDeadlines(command: CommandOf<'RecalculateDeadlines'>, state: CaseState, env: DecideEnvironment): CaseEvent[] {
  const { acceptedOn, due, extensionDaysUsed, suspendedPeriods = [] } = state.context;
  if (!acceptedOn || !due) return [];
  const kind = dayKind(env);
  const { statutoryDays, promisedDays } = env.definition.limits;
  const suspendedDays = suspendedPeriods.reduce((sum, p) => sum + env.calendar.daysBetween(p.since, p.resumedOn, kind), 0);
  const from = (days: number) => env.calendar.addDays(acceptedOn, days + extensionDaysUsed + suspendedDays, kind);
  const next = { statutory: from(statutoryDays), promised: from(promisedDays) };
  if (next.statutory === due.statutory && next.promised === due.promised) return [];
  return [{ type: 'DeadlinesRecalculated', data: { calendarVersion: command.calendarVersion, recalculatedOn: env.today, previous: due, due: next } }];
}
