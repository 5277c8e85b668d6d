import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import pg from 'pg';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { newMasterKeyFile, parseMasterKeys, type KeyStore } from '../../adapters/key-store/index.ts';
import { createPGliteKeyStore } from '../../adapters/key-store/pglite/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { sealingEventStore, type SealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import { InvalidAppendError, START, type NewEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { MissingSubjectKeyError } from '../../domain/ports/key-store.ts';
import type { UploadStore } from '../../domain/ports/uploads.ts';
import { createShredder } from '../../adapters/privacy/shredder.ts';
import { readStoreShredRebuilds } from '../../adapters/privacy/shred-rebuilds.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { ALL_PERSONAL } from '../../runtime/privacy.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sealedKeyId } from '../../adapters/privacy/envelope.ts';

/**
 * The sealing store over a SQL event store sharing the key store's database: a new case's keys are written by the
 * case's first append, in its transaction, and every way that can go wrong (a scope that already has a key, a
 * destroyed key, a retried command, a refused append) leaves the log readable and no key without its events.
 */
interface Backend {
  raw: EventStore;
  keys: KeyStore;
  /** A query on the database holding both the events and the keys. */
  query(sql: string, params: unknown[]): Promise<Array<Record<string, string>>>;
  close(): Promise<void>;
}

const master = parseMasterKeys(newMasterKeyFile('m1'), 'test');

function sealing(backend: Backend, options: { shared?: boolean; cacheEntries?: number; cacheMs?: number } = {}): SealingEventStore {
  return sealingEventStore(backend.raw, {
    keys: backend.keys,
    marks: ALL_PERSONAL,
    lookupSecret: master.lookupSecret,
    keysShareEventsDatabase: options.shared ?? true,
    ...(options.cacheEntries ? { cacheEntries: options.cacheEntries } : {}),
    ...(options.cacheMs ? { cacheMs: options.cacheMs } : {}),
  });
}

const ID_NUMBER = '11010119900307421X';

function drafted(caseId: string, eventId = randomUUID()): NewEvent {
  return {
    type: 'ApplicationDrafted',
    data: { caseId, serviceId: 'svc', serviceVersion: 1, applicant: { type: 'person', id: ID_NUMBER }, form: { address: '1 Long Street' }, bundleId: null },
    metadata: { eventId, schemaVersion: 1, occurredAt: '2026-03-02T08:00:00.000Z', correlationId: 'c', causationId: null, commandId: `cmd-${eventId}`, actor: { kind: 'citizen', id: ID_NUMBER } },
  };
}

function backends(): Array<[string, () => Promise<Backend>]> {
  return [
    ['PostgreSQL', async () => {
      const database = await createTestDatabase('sealing');
      const raw = await createPostgresEventStore({ connectionString: database.url });
      const keys = await createPostgresKeyStore({ connectionString: database.url, wrapper: master.wrapper });
      const probe = new pg.Client({ connectionString: database.url });
      await probe.connect();
      return {
        raw,
        keys,
        query: async (sql, params) => (await probe.query<Record<string, string>>(sql, params)).rows,
        async close() {
          await probe.end();
          await raw.close();
          await keys.close();
          await database.drop();
        },
      };
    }],
    ['PGlite', async () => {
      const pglite = new PGlite();
      const raw = await createPGliteEventStore({ pglite });
      const keys = await createPGliteKeyStore({ pglite, wrapper: master.wrapper });
      return { raw, keys, query: async (sql, params) => (await pglite.query<Record<string, string>>(sql, params)).rows, close: () => pglite.close() };
    }],
  ];
}

for (const [name, open] of backends()) {
  describe(`sealing event store: a new case's keys go with its first append (${name})`, function () {
    this.timeout(60_000);
    let backend: Backend;
    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await backend.close();
    });

    it('given a new case stream appended with no_stream, then its records and evidence keys exist after that one append and the values read back', async () => {
      const store = sealing(backend);
      const caseId = randomUUID();
      await store.append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const records = await backend.keys.scope(`case-${caseId}`);
      const evidence = await backend.keys.scope(`case-${caseId}#evidence`);
      expect(records?.shreddedAt).to.equal(null);
      expect(evidence?.shreddedAt).to.equal(null);
      expect(records!.subjectRef).to.equal(store.subjectRef(ID_NUMBER)).and.to.equal(evidence!.subjectRef);
      const [stored] = await backend.raw.readStream(`case-${caseId}`);
      expect(JSON.stringify({ data: stored!.data, metadata: stored!.metadata })).to.not.include(ID_NUMBER);
      expect(sealedKeyId(stored!)).to.equal(records!.keyId);
      // Another process, cold cache: the key is found in the table.
      const [read] = await sealing(backend).readStream(`case-${caseId}`);
      expect(read!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
      expect(read!.metadata.actor.id).to.equal(ID_NUMBER);
    });

    it('given an append that is refused, then none of the keys drafted for it is left in the table', async () => {
      const store = sealing(backend);
      const taken = randomUUID();
      await store.append(`case-${randomUUID()}`, [drafted(randomUUID(), taken)], { expectedRevision: 'no_stream' });
      const caseId = randomUUID();
      // The same event id in another stream: the store refuses the append as a whole.
      const refused = await store.append(`case-${caseId}`, [drafted(caseId, taken)], { expectedRevision: 'no_stream' }).then(() => null, (error: unknown) => error);
      expect(refused).to.be.instanceOf(InvalidAppendError);
      expect(await backend.keys.scope(`case-${caseId}`)).to.equal(null);
      expect(await backend.keys.scope(`case-${caseId}#evidence`)).to.equal(null);
    });

    it('given the scope already has a key (another process made it first), when the case is opened, then the events are sealed under that key', async () => {
      const caseId = randomUUID();
      const existing = (await backend.keys.keyFor(`case-${caseId}`, null))!;
      await sealing(backend).append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const [stored] = await backend.raw.readStream(`case-${caseId}`);
      expect(sealedKeyId(stored!)).to.equal(existing.id);
      expect((await sealing(backend).readStream(`case-${caseId}`))[0]!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
    });

    it('given the scope key was destroyed, when a stream of that scope is opened, then its personal values are stored erased', async () => {
      const caseId = randomUUID();
      const key = (await backend.keys.keyFor(`case-${caseId}`, null))!;
      await backend.keys.shred([key.id], '2026-03-02T08:00:00.000Z');
      await sealing(backend).append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const [stored] = await backend.raw.readStream(`case-${caseId}`);
      expect(JSON.stringify({ data: stored!.data, metadata: stored!.metadata })).to.not.include(ID_NUMBER);
      expect(stored!.metadata).to.not.have.property('sealed');
      expect((await sealing(backend).readStream(`case-${caseId}`))[0]!.data.applicant).to.not.deep.equal({ type: 'person', id: ID_NUMBER });
    });

    it('given events sealed under a key no row holds (keys restored from an older backup), when read, then it fails naming the key, never reads "erased", and reads in clear once the row is back', async () => {
      const caseId = randomUUID();
      await sealing(backend).append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const [row] = await backend.query(`SELECT key_id, encode(wrapped, 'hex') AS wrapped, master_key_id, subject_ref FROM subject_keys WHERE scope = $1`, [`case-${caseId}`]);
      await backend.query('DELETE FROM subject_keys WHERE key_id = $1', [row!.key_id]);
      const reader = sealing(backend);
      const failed = await reader.readStream(`case-${caseId}`).then(() => null, (error: unknown) => error);
      expect(failed).to.be.instanceOf(MissingSubjectKeyError);
      expect((failed as MissingSubjectKeyError).keyIds).to.deep.equal([row!.key_id]);
      await backend.query(`INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, $3, $4, decode($5, 'hex'))`, [row!.key_id, `case-${caseId}`, row!.subject_ref, row!.master_key_id, row!.wrapped]);
      expect((await reader.readStream(`case-${caseId}`))[0]!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
    });

    it('given a case keyed as the first release did (a row for its records and one for its evidence), then its evidence scope still answers its own row, for sealing, erasure and shredding', async () => {
      const caseId = randomUUID();
      const scope = `case-${caseId}`;
      const insert = (row: { keyId: string; masterKeyId: string; wrapped: Buffer }, name: string) =>
        backend.query(`INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, 'sr_old', $3, decode($4, 'hex'))`, [row.keyId, name, row.masterKeyId, row.wrapped.toString('hex')]);
      const records = await backend.keys.draft(`old-${caseId}`, 'sr_old');
      const evidence = await backend.keys.draft(`${scope}#evidence`, 'sr_old');
      expect(evidence.evidence).to.equal(undefined);
      await insert(records.row, scope);
      await insert(evidence.row, `${scope}#evidence`);
      expect((await backend.keys.keyFor(`${scope}#evidence`, 'sr_old'))!.id).to.equal(evidence.key.id);
      expect((await backend.keys.keyFor(scope, 'sr_old'))!.id).to.equal(records.key.id);
      expect((await backend.keys.scope(`${scope}#evidence`))!.keyId).to.equal(evidence.key.id);
      expect((await backend.keys.keysOfSubject('sr_old')).map((k) => k.keyId).sort()).to.deep.equal([records.key.id, evidence.key.id].sort());
      expect(await backend.keys.shred([evidence.key.id], '2026-03-02T08:00:00.000Z')).to.deep.equal([evidence.key.id]);
      expect(await backend.keys.keyFor(`${scope}#evidence`, 'sr_old')).to.equal(null);
      expect((await backend.keys.unwrap([records.key.id])).get(records.key.id)!.equals(records.key.bytes)).to.equal(true);
      // A case of that release whose evidence key was never made gets one in a row of its own, as it would have then.
      const lone = `case-${randomUUID()}`;
      await insert((await backend.keys.draft(`old-${lone}`, 'sr_old')).row, lone);
      const made = (await backend.keys.keyFor(`${lone}#evidence`, 'sr_old'))!;
      expect(made.id.endsWith('~e')).to.equal(false);
      expect((await backend.keys.keyFor(`${lone}#evidence`, 'sr_old'))!.id).to.equal(made.id);
      expect((await backend.keys.scope(`${lone}#evidence`))!.keyId).to.equal(made.id);
    });

    it('given a case holding its evidence key twice (its case row\'s half, and a row of its own made by a process of the earlier release during an upgrade), when either is shredded, then both are', async () => {
      for (const via of ['own row', 'case row'] as const) {
        const scope = `case-${randomUUID()}`;
        const half = (await backend.keys.keyFor(`${scope}#evidence`, 'sr_twice'))!;
        const own = await backend.keys.draft(`${scope}#evidence`, 'sr_twice');
        await backend.query(`INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, 'sr_twice', $3, decode($4, 'hex'))`, [own.key.id, `${scope}#evidence`, own.row.masterKeyId, own.row.wrapped.toString('hex')]);
        const shredded = await backend.keys.shred([via === 'own row' ? own.key.id : half.id], '2026-03-02T08:00:00.000Z');
        expect(shredded, via).to.deep.equal([half.id, own.key.id].sort());
        const keys = await backend.keys.unwrap([half.id, own.key.id, half.id.slice(0, -2)]);
        expect(keys.get(half.id), via).to.equal(null);
        expect(keys.get(own.key.id), via).to.equal(null);
        expect(keys.get(half.id.slice(0, -2)), via).to.not.equal(null);
      }
    });

    it('given a case holding its evidence key twice, when the shredder of a process that sealed under the other one shreds the evidence, then that process forgets both at once, not after its cache period', async () => {
      const caseId = randomUUID();
      const scope = `case-${caseId}`;
      const store = sealing(backend);
      await store.append(scope, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const received: NewEvent = {
        type: 'EvidenceReceived',
        data: { caseId, materialId: 'household', dataItem: 'household-registration', provider: 'PSB', fields: { name: '张三' } },
        metadata: { ...drafted(caseId).metadata, actor: { kind: 'system', id: 'errand' } },
      };
      // Sealed and cached under the case row's evidence half; then a process of the earlier release makes its own row.
      await store.append(scope, [received], { expectedRevision: 0n });
      const own = await backend.keys.draft(`${scope}#evidence`, 'sr_twice');
      await backend.query(`INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, 'sr_twice', $3, decode($4, 'hex'))`, [own.key.id, `${scope}#evidence`, own.row.masterKeyId, own.row.wrapped.toString('hex')]);
      const uploads = { kind: 'filesystem', put: async () => { throw new Error('unused'); }, get: async () => null, delete: async () => false, deleteOfCase: async () => [], close: async () => undefined } as unknown as UploadStore;
      const shredder = createShredder({ eventStore: store, keys: backend.keys, uploads, clock: { now: () => new Date('2026-03-05T08:00:00Z') }, rebuilds: readStoreShredRebuilds(createMemoryReadStore(), async () => undefined) });
      const outcome = await shredder.shredCase(caseId, { reason: 'retention', rule: 'evidence after closure' }, 'evidence');
      expect(outcome.status).to.equal('shredded');
      // Read without the shredding event in the batch: only what the shredder told the store to forget protects it.
      const [, evidence] = await store.readStream(scope, { maxCount: 2 });
      expect(evidence!.data.fields).to.deep.equal({ name: ERASED });
    });

    it('given another process caches a case key that is then shredded, when the wall clock steps back an hour (NTP), then that process reads "erased" once its cache period has passed, not an hour later', async () => {
      const caseId = randomUUID();
      await sealing(backend).append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const reader = sealing(backend, { cacheMs: 50 });
      expect((await reader.readStream(`case-${caseId}`))[0]!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
      const key = (await backend.keys.scope(`case-${caseId}`))!;
      await backend.keys.shred([key.keyId], '2026-03-02T09:00:00.000Z');
      const realNow = Date.now;
      Date.now = () => realNow() - 3_600_000;
      try {
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await reader.readStream(`case-${caseId}`))[0]!.data.applicant).to.not.deep.equal({ type: 'person', id: ID_NUMBER });
      } finally {
        Date.now = realNow;
      }
    });

    it('given a process whose cache still holds a case key another process just shredded, when it reads through afresh() (as each rebuild does), then the values read "erased" at once, while its own cache would open them for its cache period', async () => {
      const caseId = randomUUID();
      await sealing(backend).append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      const worker = sealing(backend);
      expect((await worker.readStream(`case-${caseId}`))[0]!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
      const key = (await backend.keys.scope(`case-${caseId}`))!;
      await backend.keys.shred([key.keyId], '2026-03-02T09:00:00.000Z');
      expect((await worker.readStream(`case-${caseId}`))[0]!.data.applicant, 'the cache period the README states').to.deep.equal({ type: 'person', id: ID_NUMBER });
      const rebuildReader = worker.afresh();
      const [event] = await rebuildReader.readAll(START, 10).then((events) => events.filter((e) => e.streamId === `case-${caseId}`));
      expect(event!.data.applicant).to.deep.equal({ type: 'person', id: ERASED });
      expect(JSON.stringify({ data: event!.data, metadata: event!.metadata })).to.not.include(ID_NUMBER);
    });

    it('given a command retried by a process that did not see the first attempt, then the retry is answered as replayed and the values still open', async () => {
      const caseId = randomUUID();
      const event = drafted(caseId);
      const first = await sealing(backend).append(`case-${caseId}`, [event], { expectedRevision: 'no_stream' });
      const retry = sealing(backend);
      const again = await retry.append(`case-${caseId}`, [event], { expectedRevision: 'no_stream' });
      expect(again.replayed).to.equal(true);
      expect(again.position).to.equal(first.position);
      // The retry's drafted keys were never stored and are not used: later appends seal under the stored key.
      await retry.append(`case-${caseId}`, [{ ...drafted(caseId), type: 'ApplicationSubmitted' }], { expectedRevision: 0n });
      const kids = (await backend.raw.readStream(`case-${caseId}`)).map((e) => sealedKeyId(e));
      expect(new Set(kids)).to.deep.equal(new Set([(await backend.keys.scope(`case-${caseId}`))!.keyId]));
      expect((await sealing(backend).readStream(`case-${caseId}`)).map((e) => e.metadata.actor.id)).to.deep.equal([ID_NUMBER, ID_NUMBER]);
    });

    it('given many cases opened at once (appends and keys committed in batches), then the keys of each case were written by the transaction of its first event, and every value opens', async () => {
      const store = sealing(backend);
      const ids = Array.from({ length: 30 }, () => randomUUID());
      await Promise.all(ids.map((id) => store.append(`case-${id}`, [drafted(id)], { expectedRevision: 'no_stream' })));
      for (const id of ids) {
        // Written by the transaction that wrote the case's first event: the rows carry the same transaction id.
        const [event] = await backend.query('SELECT xmin::text AS tx FROM events WHERE stream_id = $1 AND stream_revision = 0', [`case-${id}`]);
        // One row per case: its evidence key is the second half of the same row.
        const keys = await backend.query('SELECT xmin::text AS tx, evidence_key::text AS evidence FROM subject_keys WHERE scope = ANY($1::text[])', [[`case-${id}`, `case-${id}#evidence`]]);
        expect(keys).to.deep.equal([{ tx: event!.tx, evidence: 'true' }]);
      }
      const reader = sealing(backend, { cacheEntries: 4 });
      for (const id of ids) {
        expect((await backend.keys.scope(`case-${id}`))!.shreddedAt).to.equal(null);
        expect((await reader.readStream(`case-${id}`))[0]!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
      }
    });

    it('given a reader whose caches hold fewer keys than one batch of the log carries, then the whole batch still opens', async () => {
      const store = sealing(backend);
      const ids = Array.from({ length: 12 }, () => randomUUID());
      for (const id of ids) await store.append(`case-${id}`, [drafted(id)], { expectedRevision: 'no_stream' });
      const events = await sealing(backend, { cacheEntries: 3 }).readAll(START, 100);
      expect(events.filter((e) => e.type === 'ApplicationDrafted').map((e) => e.metadata.actor.id)).to.deep.equal(ids.map(() => ID_NUMBER));
    });

    it('given the keys live in another database than the events, then keys are made on their own and nothing is written with the append', async () => {
      const store = sealing(backend, { shared: false });
      const caseId = randomUUID();
      await store.append(`case-${caseId}`, [drafted(caseId)], { expectedRevision: 'no_stream' });
      expect((await backend.keys.scope(`case-${caseId}`))!.shreddedAt).to.equal(null);
      const [event] = await backend.query('SELECT xmin::text AS tx FROM events WHERE stream_id = $1', [`case-${caseId}`]);
      const [key] = await backend.query('SELECT xmin::text AS tx FROM subject_keys WHERE scope = $1', [`case-${caseId}`]);
      expect(key!.tx).to.not.equal(event!.tx);
      expect((await sealing(backend).readStream(`case-${caseId}`))[0]!.metadata.actor.id).to.equal(ID_NUMBER);
    });
  });
}
