/**
 * Which fields of a data item identify its subject, so a library can answer "the record of this person". The
 * catalogue says what an item contains; this says how it is looked up. Items with several records per subject
 * (a parent's births) answer with the latest by `latestBy`.
 */
import type { DataItem } from '../catalogue/index.ts';

export interface SubjectKey {
  /** A record matches when any of these fields equals the subject id. */
  fields: string[];
  /** Among several matches, the one with the greatest value of this field. */
  latestBy?: string;
}

const KNOWN: Readonly<Record<string, SubjectKey>> = {
  'birth-record': { fields: ['motherCitizenId', 'fatherCitizenId'], latestBy: 'birthDate' },
  'errand-residence-permit': { fields: ['holderCitizenId'], latestBy: 'issuedOn' },
  'errand-business-licence': { fields: ['creditCode'], latestBy: 'issuedOn' },
};

/** Conventional key fields, in order of preference, for items not listed above. */
const CONVENTIONAL = ['citizenId', 'creditCode', 'holderCitizenId'];

/** The key of an item, or null when the item has no field that could identify its subject. */
export function subjectKeyOf(item: DataItem): SubjectKey | null {
  const known = KNOWN[item.id];
  if (known) return known;
  const names = new Set(item.fields.map((f) => f.name));
  const field = CONVENTIONAL.find((name) => names.has(name));
  return field ? { fields: [field] } : null;
}
