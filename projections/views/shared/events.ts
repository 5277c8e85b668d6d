import { DATA_ACCESSED, type DataAccessedData } from '../../../domain/access/events.ts';
import { CASE_EVENT_TYPES, caseIdOfStream, type CaseEventMap, type CaseEventType } from '../../../domain/case/events.ts';
import type { RecordedEvent } from '../../../domain/events/index.ts';

/** A stored case event with its data typed by its type. */
export type CaseRecorded = { [K in CaseEventType]: Omit<RecordedEvent, 'type' | 'data'> & { type: K; data: CaseEventMap[K] } }[CaseEventType];

export type DataAccessedRecorded = Omit<RecordedEvent, 'data'> & { data: DataAccessedData };

const CASE_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

/** The case an event belongs to, or null for anything outside a case stream or not a case event type. */
export function caseIdOf(event: RecordedEvent): string | null {
  if (!CASE_TYPES.has(event.type)) return null;
  return caseIdOfStream(event.streamId);
}

export function asCaseEvent(event: RecordedEvent): CaseRecorded | null {
  return caseIdOf(event) === null ? null : (event as unknown as CaseRecorded);
}

export function asDataAccessed(event: RecordedEvent): DataAccessedRecorded | null {
  return event.type === DATA_ACCESSED ? (event as unknown as DataAccessedRecorded) : null;
}

/**
 * Case documents remember the stream revision of the last event they took in. Redelivery (at-least-once) hands a
 * projector events it has already applied; their revision is not above the stored one, so they change nothing.
 */
export function alreadyApplied(doc: { revision?: unknown } | undefined, event: RecordedEvent): boolean {
  return doc !== undefined && typeof doc.revision === 'string' && BigInt(doc.revision) >= event.revision;
}
