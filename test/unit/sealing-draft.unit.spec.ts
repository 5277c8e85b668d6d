import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import { sealedOf } from '../../adapters/privacy/envelope.ts';
import { catalogueMarks, ERASED } from '../../domain/privacy/personal-data.ts';
import type { DraftedKey, KeyStore } from '../../domain/ports/key-store.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { NewEvent } from '../../domain/events/index.ts';

/** A promise-like that is not a native Promise, as some KMS client libraries answer with. */
const thenable = <T>(value: T): PromiseLike<T> => ({
  then: (onFulfilled, onRejected) => Promise.resolve(value).then(onFulfilled, onRejected),
});

const ALL_PERSONAL = catalogueMarks({ formField: () => undefined, dataField: () => undefined });

function drafting(answer: (draft: DraftedKey) => DraftedKey | PromiseLike<DraftedKey>): KeyStore {
  return {
    draft: (scope: string, subjectRef: string | null) => {
      const keyId = `k_${randomUUID().replaceAll('-', '')}`;
      return answer({ key: { id: keyId, bytes: Buffer.alloc(32, 9) }, row: { keyId, scope, subjectRef, masterKeyId: 'm1', wrapped: Buffer.alloc(60, 1) } });
    },
  } as unknown as KeyStore;
}

function capturingStore(): { store: EventStore; appended: Array<{ events: NewEvent[]; rows: unknown[] }> } {
  const appended: Array<{ events: NewEvent[]; rows: unknown[] }> = [];
  const store = {
    kind: 'pglite',
    appendWithKeys: async (_stream: string, events: NewEvent[], _options: unknown, rows: unknown[]) => {
      appended.push({ events, rows });
      return { nextExpectedRevision: 0n, position: { commit: 1n, prepare: 1n }, replayed: false };
    },
  } as unknown as EventStore;
  return { store, appended };
}

const event = (): NewEvent => ({
  type: 'CaseWithdrawn',
  data: { reason: 'moved away' },
  metadata: { eventId: randomUUID(), schemaVersion: 1, occurredAt: '2026-12-03T10:00:00.000Z', correlationId: 'c', causationId: null, actor: { kind: 'citizen', id: '110101199003071234' }, commandId: 'c' },
});

describe('sealing store: keys drafted for a new stream', () => {
  for (const [label, answer] of [
    ['at once', (draft: DraftedKey) => draft],
    ['as a native promise', async (draft: DraftedKey) => draft],
    ['as a promise-like that is not a native Promise', (draft: DraftedKey) => thenable(draft)],
  ] as const) {
    it(`given a key store that answers ${label}, when a new stream is appended, then its values are sealed under the drafted key and its row goes with the append`, async () => {
      const { store, appended } = capturingStore();
      const sealing = sealingEventStore(store, { keys: drafting(answer), marks: ALL_PERSONAL, lookupSecret: Buffer.alloc(32, 3), keysShareEventsDatabase: true });
      await sealing.append('agent-7', [event()], { expectedRevision: 'no_stream' });
      expect(appended).to.have.length(1);
      const [stored] = appended[0]!.events;
      const sealed = sealedOf(stored!);
      expect(sealed, 'sealed values').to.not.equal(null);
      expect(appended[0]!.rows).to.have.length(1);
      expect(sealed!.kid).to.equal((appended[0]!.rows[0] as { keyId: string }).keyId);
      expect(stored!.data.reason).to.not.equal(ERASED);
      expect(JSON.stringify(stored)).to.not.include('moved away');
    });
  }
});
