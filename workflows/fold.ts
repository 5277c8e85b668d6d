import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import type { RecordedEvent } from '../domain/events/index.ts';
import { applyEvents, emptyCase, type CaseState } from './case-state.ts';

/** A case's state is the fold of its stored events through the machine. */
export function foldCase(definition: ServiceDefinition, events: RecordedEvent[]): CaseState {
  const last = events.at(-1);
  return applyEvents(
    emptyCase(definition),
    events.map((e) => ({ type: e.type, data: e.data, at: e.metadata.occurredAt })),
    last ? last.revision : -1n,
  );
}

export function serviceRefOf(events: RecordedEvent[]): { serviceId: string; serviceVersion: number } | null {
  const first = events[0];
  if (!first || first.type !== 'ApplicationDrafted') return null;
  return { serviceId: String(first.data.serviceId), serviceVersion: Number(first.data.serviceVersion) };
}
