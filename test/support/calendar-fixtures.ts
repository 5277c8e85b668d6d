import { makeCitizenId } from '../../domain/identity/index.ts';

/** The parties and form of the residence-permit cases the calendar-change specs open. */
export const CALENDAR_CITIZEN = { kind: 'citizen' as const, id: makeCitizenId({ region: '440305', birthDate: '1991-07-01', sequence: 78 }) };
export const CALENDAR_CLERK = { kind: 'clerk' as const, id: 'psb-1', department: 'PSB', roles: ['intake', 'reviewer', 'approver'] };
export const RESIDENCE_FORM = { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' };
/** As the State Council might publish it: New Year's Day with the Monday after it off too. */
export const CN_2027 = {
  region: 'CN',
  year: 2027,
  source: 'test arrangement',
  holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to: '2027-01-04', makeUpWorkingDays: [] }],
};
