import { randomUUID } from 'node:crypto';
import type { SealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import { accessStream, DATA_ACCESSED, type DataAccessedData } from '../../domain/access/events.ts';
import type { Actor } from '../../domain/events/index.ts';

/** Records that someone other than the data subject read their data, so it shows in "who used my data". */
export async function recordAccess(events: SealingEventStore, actor: Actor, data: Omit<DataAccessedData, 'accessor'>, correlationId: string): Promise<void> {
  if (actor.kind === 'citizen') return;
  const accessor: DataAccessedData['accessor'] = {
    kind: actor.kind === 'department' ? 'department' : actor.kind,
    id: actor.id,
    department: actor.department ?? null,
  };
  const eventId = randomUUID();
  await events.append(
    // Named by the subject's keyed hash: no ID number in a stream name. The subject id inside is sealed.
    accessStream(events.subjectRef(data.subject.id)),
    [{
      type: DATA_ACCESSED,
      data: { ...data, accessor } as unknown as Record<string, unknown>,
      metadata: { eventId, schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId, causationId: null, actor, commandId: eventId },
    }],
    { expectedRevision: 'any' },
  );
}
