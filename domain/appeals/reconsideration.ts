/**
 * Appeals and complaints. Administrative reconsideration (行政复议): an applicant denied, or not accepted, may ask the
 * reviewing body to reconsider within 60 days of learning of the decision (Administrative Reconsideration Law, art.
 * 20), counted here in calendar days from the decision date. The request opens a linked case at the reviewing body
 * and places a legal hold on the original records until the outcome is recorded on the original case.
 * Complaints (好差评): a rating of 2 or less opens a follow-up the department must answer by a due date.
 */
import { calendarDaysPeriodEnd, plusCalendarDays, type Calendar } from '../calendar/index.ts';

export const RECONSIDERATION_DAYS = 60;
/** The department that reconsiders (the people's government's reconsideration body; the Justice Bureau in the demo). */
export const REVIEWING_BODY = 'JUS';
/** The services the linked case is opened under, by the applicant's kind. */
export const RECONSIDERATION_SERVICES = { person: 'administrative-reconsideration', enterprise: 'administrative-reconsideration-enterprise' } as const;
export const isReconsiderationService = (serviceId: string) => (Object.values(RECONSIDERATION_SERVICES) as string[]).includes(serviceId);

/** A rating at or below this opens a complaint follow-up (好差评: 差评 and 非常差). */
export const LOW_RATING = 2;
/**
 * Working days the department has to answer a low rating. Local rules differ (the national guideline, 国办发〔2019〕51号,
 * leaves the period to the regions); this is the platform's default.
 */
export const COMPLAINT_RESPONSE_DAYS = 5;

/**
 * The last day a reconsideration may be asked for, for a decision made on `decidedOn`: 60 calendar days, and, with a
 * calendar, a period ending on a day off ends on the first working day after it (Administrative Reconsideration Law
 * art. 88 applies the Civil Procedure Law's periods, whose art. 85 moves such an end).
 */
export function reconsiderationDeadline(decidedOn: string, calendar?: Pick<Calendar, 'isWorkingDay'>): string {
  return calendar ? calendarDaysPeriodEnd(decidedOn, RECONSIDERATION_DAYS, calendar) : plusCalendarDays(decidedOn, RECONSIDERATION_DAYS);
}

/** Legal hold data, as the events on the original case carry it (the retention helper matches on these names). */
export interface LegalHold {
  holdId: string;
  reason: string;
  basis: string;
  placedBy: string;
}

export const RECONSIDERATION_BASIS = '《中华人民共和国行政复议法》第二十条';
