import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { newMasterKeyFile, parseMasterKeys, type KeyStore } from '../../adapters/key-store/index.ts';
import { createPGliteKeyStore } from '../../adapters/key-store/pglite/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { sealingEventStore, type SealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import { START, WrongExpectedVersionError, type NewEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { ALL_PERSONAL } from '../../runtime/privacy.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sealedKeyId } from '../../adapters/privacy/envelope.ts';

/**
 * Review of the sealing store (keys written with a new case's first append, bounded caches): cases checked that
 * hold, and one that did not (a reader's bounded key cache dropping a key its own batch still needed).
 */
interface Backend { raw: EventStore; keys: KeyStore; close(): Promise<void> }
const master = parseMasterKeys(newMasterKeyFile('m1'), 'test');
const ID_NUMBER = '11010119900307421X';
const sealing = (b: Backend, cacheEntries?: number): SealingEventStore =>
  sealingEventStore(b.raw, { keys: b.keys, marks: ALL_PERSONAL, lookupSecret: master.lookupSecret, keysShareEventsDatabase: true, ...(cacheEntries ? { cacheEntries } : {}) });
function drafted(caseId: string, eventId = randomUUID()): NewEvent {
  return {
    type: 'ApplicationDrafted',
    data: { caseId, serviceId: 'svc', serviceVersion: 1, applicant: { type: 'person', id: ID_NUMBER }, form: { address: '1 Long Street' }, bundleId: null },
    metadata: { eventId, schemaVersion: 1, occurredAt: '2026-03-02T08:00:00.000Z', correlationId: 'c', causationId: null, commandId: `cmd-${eventId}`, actor: { kind: 'citizen', id: ID_NUMBER } },
  };
}
const backends: Array<[string, () => Promise<Backend>]> = [
  ['PostgreSQL', async () => {
    const database = await createTestDatabase('sealrev');
    const raw = await createPostgresEventStore({ connectionString: database.url, appendConcurrency: 1 });
    const keys = await createPostgresKeyStore({ connectionString: database.url, wrapper: master.wrapper });
    return { raw, keys, async close() { await raw.close(); await keys.close(); await database.drop(); } };
  }],
  ['PGlite', async () => {
    const pglite = new PGlite();
    const raw = await createPGliteEventStore({ pglite });
    const keys = await createPGliteKeyStore({ pglite, wrapper: master.wrapper });
    return { raw, keys, close: () => pglite.close() };
  }],
];

for (const [name, open] of backends) {
  describe(`sealing store review (${name})`, function () {
    this.timeout(60_000);
    let b: Backend;
    beforeEach(async () => { b = await open(); });
    afterEach(async () => { await b.close(); });

    it('given a caller that changes its events while they are being sealed, when the change makes them invalid, then the append is refused and nothing is stored', async () => {
      const store = sealing(b);
      const caseId = randomUUID();
      const events = [drafted(caseId)];
      // The case's first append waits for its new keys: the caller's objects change during that wait.
      const appending = store.append(`case-${caseId}`, events, { expectedRevision: 'no_stream' });
      (events[0]!.metadata as { eventId: string }).eventId = 'not-a-uuid';
      (events[0]!.metadata as { schemaVersion: number }).schemaVersion = -7;
      const outcome = await appending.then(() => 'stored', (error: Error) => error.name);
      expect(outcome).to.equal('InvalidAppendError');
      expect(await b.raw.readStream(`case-${caseId}`)).to.deep.equal([]);
    });

    it('given two appends opening the same new case at once in one process (batched), then one lands, the other is a revision conflict, and every stored value opens', async () => {
      const store = sealing(b);
      const caseId = randomUUID();
      const filler = randomUUID();
      const outcomes = await Promise.allSettled([
        store.append(`case-${filler}`, [drafted(filler)], { expectedRevision: 'no_stream' }),
        store.append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' }),
        store.append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' }),
      ]);
      expect(outcomes[0]!.status).to.equal('fulfilled');
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      expect(rejected).to.have.length(1);
      expect(rejected[0]!.reason).to.be.instanceOf(WrongExpectedVersionError);
      const kid = (await b.raw.readStream(`case-${caseId}`)).map((e) => sealedKeyId(e));
      expect(kid).to.deep.equal([(await b.keys.scope(`case-${caseId}`))!.keyId]);
      // Further appends in the same process seal under the stored key.
      await store.append(`case-${caseId}`, [{ ...drafted(caseId), type: 'ApplicationSubmitted' }], { expectedRevision: 0n });
      const read = await sealing(b).readStream(`case-${caseId}`);
      expect(read.map((e) => e.metadata.actor.id)).to.deep.equal([ID_NUMBER, ID_NUMBER]);
    });

    it('given a retry of a batched first append after the batch committed, then it replays and values open', async () => {
      const store = sealing(b);
      const ids = Array.from({ length: 5 }, () => randomUUID());
      const events = ids.map((id) => drafted(id));
      await Promise.all(ids.map((id, i) => store.append(`case-${id}`, [events[i]!], { expectedRevision: 'no_stream' })));
      const again = await Promise.all(ids.map((id, i) => sealing(b).append(`case-${id}`, [events[i]!], { expectedRevision: 'no_stream' })));
      expect(again.every((r) => r.replayed === true)).to.equal(true);
      for (const id of ids) expect((await sealing(b).readStream(`case-${id}`))[0]!.metadata.actor.id).to.equal(ID_NUMBER);
    });

    it('given a reader whose cache holds a key that this batch also needs, when the batch brings more new keys than the cache holds, then the batch still opens', async () => {
      const store = sealing(b);
      const ids = Array.from({ length: 3 }, () => randomUUID());
      for (const id of ids) await store.append(`case-${id}`, [drafted(id)], { expectedRevision: 'no_stream' });
      const reader = sealing(b, 2);
      // The first case's key is cached (fresh); the next batch needs it and two keys the reader has not seen.
      await reader.readStream(`case-${ids[0]}`);
      const events = await reader.readAll(START, 100);
      expect(events.map((e) => e.metadata.actor.id)).to.deep.equal(ids.map(() => ID_NUMBER));
    });
  });
}
