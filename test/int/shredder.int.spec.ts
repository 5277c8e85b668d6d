import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { pino } from 'pino';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { newMasterKeyFile, parseMasterKeys, type KeyStore } from '../../adapters/key-store/index.ts';
import { createPGliteKeyStore } from '../../adapters/key-store/pglite/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { sealingEventStore, type SealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import { createShredder, type Shredder } from '../../adapters/privacy/shredder.ts';
import { readStoreShredRebuilds } from '../../adapters/privacy/shred-rebuilds.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { createPrivacyCommands } from '../../adapters/privacy/erasure.ts';
import { runRetention } from '../../adapters/privacy/retention-job.ts';
import { createInProcessQueue } from '../../adapters/queue/index.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { UploadStore } from '../../domain/ports/uploads.ts';
import { ALL_PERSONAL } from '../../runtime/privacy.ts';
import { createTestDatabase } from '../support/postgres.ts';

/**
 * Crypto-shredding against a legal hold placed at the same moment, and against a process that stops half-way: the
 * case's stream orders the shredding's record and the hold, and the record and the destroyed keys always end up
 * agreeing (every destroyed key on record, every recorded key destroyed).
 */
interface Backend {
  raw: EventStore;
  keys: KeyStore;
  close(): Promise<void>;
}

const master = parseMasterKeys(newMasterKeyFile('m1'), 'test');
const clock = { now: () => new Date('2027-03-05T08:00:00Z') };
const ID_NUMBER = '11010119900307421X';
const FILE_HASH = 'a'.repeat(64);

function backends(): Array<[string, () => Promise<Backend>]> {
  return [
    ['PostgreSQL', async () => {
      const database = await createTestDatabase('shredder');
      const raw = await createPostgresEventStore({ connectionString: database.url });
      const keys = await createPostgresKeyStore({ connectionString: database.url, wrapper: master.wrapper });
      return {
        raw,
        keys,
        async close() {
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
      return { raw, keys, close: () => pglite.close() };
    }],
  ];
}

function event(type: string, data: Record<string, unknown>): NewEvent {
  const eventId = randomUUID();
  return {
    type,
    data,
    metadata: { eventId, schemaVersion: 1, occurredAt: '2026-03-02T08:00:00.000Z', correlationId: 'c', causationId: null, commandId: `cmd-${eventId}`, actor: { kind: 'citizen', id: ID_NUMBER } },
  };
}

/** Uploads that only remember which files were deleted. */
function uploadsSpy(): UploadStore & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    kind: 'filesystem',
    deleted,
    put: async () => {
      throw new Error('not used here');
    },
    release: async () => {
      throw new Error('not used here');
    },
    get: async () => null,
    delete: async (sha256: string) => {
      deleted.push(sha256);
      return true;
    },
    deleteOfCase: async (_caseId: string, named: readonly string[] = []) => {
      deleted.push(...named);
      return [...named];
    },
    close: async () => undefined,
  };
}

for (const [name, open] of backends()) {
  describe(`shredding, a legal hold at the same moment, and a process that stops half-way (${name})`, function () {
    this.timeout(60_000);
    let backend: Backend;
    let store: SealingEventStore;
    let caseId: string;
    const stream = () => `case-${caseId}`;
    beforeEach(async () => {
      backend = await open();
      store = sealingEventStore(backend.raw, { keys: backend.keys, marks: ALL_PERSONAL, lookupSecret: master.lookupSecret, keysShareEventsDatabase: true });
      caseId = randomUUID();
      await store.append(stream(), [event('ApplicationDrafted', { caseId, serviceId: 'svc', serviceVersion: 1, applicant: { type: 'person', id: ID_NUMBER }, form: { address: '1 Long Street' }, bundleId: null })], { expectedRevision: 'no_stream' });
      await store.append(stream(), [event('MaterialUploaded', { caseId, materialId: 'm', sha256: FILE_HASH })], { expectedRevision: 0n });
    });
    afterEach(async () => {
      await backend.close();
    });

    const shredderOver = (eventStore: SealingEventStore, keys: KeyStore, uploads: UploadStore, afterShred = async () => undefined, meta = createMemoryReadStore()): Shredder =>
      createShredder({ eventStore, keys, uploads, clock, rebuilds: readStoreShredRebuilds(meta, afterShred) });
    const keyOf = async () => (await backend.keys.scope(stream()))!;
    const shreddings = async () => (await backend.raw.readStream(stream())).filter((e) => e.type === 'SubjectKeysShredded');

    it('given a legal hold placed after the shredder read the case and before it recorded anything, then nothing is shredded and no file deleted', async () => {
      const uploads = uploadsSpy();
      let holdPlaced = false;
      // An administrator's hold lands while the shredder holds its read of the case: the read it decides on is stale.
      const racing: SealingEventStore = {
        ...store,
        async readStream(name, options) {
          const events = await store.readStream(name, options);
          if (!holdPlaced && name === stream()) {
            holdPlaced = true;
            const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder: shredderOver(store, backend.keys, uploads), clock });
            await privacy.placeHold({ caseId, holdId: 'appeal-1', reason: 'an appeal', basis: 'Administrative Reconsideration Law art. 42', actor: { kind: 'admin', id: 'a1' } });
          }
          return events;
        },
      };
      const outcome = await shredderOver(racing, backend.keys, uploads).shredCase(caseId, { reason: 'retention', rule: 'kept 1 year' });
      expect(holdPlaced).to.equal(true);
      expect(outcome).to.deep.equal({ status: 'held', holds: ['appeal-1'] });
      expect((await keyOf()).shreddedAt).to.equal(null);
      expect(uploads.deleted).to.deep.equal([]);
      expect(await shreddings()).to.have.length(0);
      const [drafted] = await store.readStream(stream(), { maxCount: 1 });
      expect(drafted!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
    });

    it('given the shredding cannot be recorded (the event store refuses the append), then no key is destroyed and no file deleted', async () => {
      const uploads = uploadsSpy();
      const refusing: SealingEventStore = {
        ...store,
        append: async () => {
          throw new Error('the event store is gone');
        },
      };
      const failed = await shredderOver(refusing, backend.keys, uploads).shredCase(caseId, { reason: 'retention' }).then(() => null, (error: unknown) => error);
      expect(String(failed)).to.include('the event store is gone');
      expect((await keyOf()).shreddedAt).to.equal(null);
      expect(uploads.deleted).to.deep.equal([]);
    });

    it('given a process stopped after recording a shredding and before deleting the files and destroying the keys, when the retention pass runs, then it destroys them and deletes the files, and the record names exactly the keys destroyed', async () => {
      const uploads = uploadsSpy();
      // Stopped at the first thing after the record: the files (then the keys) were to go next.
      const stopping: UploadStore = {
        ...uploads,
        deleteOfCase: async () => {
          throw new Error('the process stopped here');
        },
      };
      const first = await shredderOver(store, backend.keys, stopping).shredCase(caseId, { reason: 'erasure-request', requestId: 'r1' }).then(() => null, (error: unknown) => error);
      expect(String(first)).to.include('the process stopped here');
      const [recorded] = await shreddings();
      const live = await keyOf();
      expect(recorded!.data.keyIds).to.include(live.keyId);
      expect(live.shreddedAt).to.equal(null);

      let rebuilds = 0;
      const shredder = shredderOver(store, backend.keys, uploads, async () => {
        rebuilds += 1;
      });
      const run = await runRetention({
        queue: createInProcessQueue(),
        clock,
        timeZone: 'Asia/Shanghai',
        eventStore: store,
        closedCases: async (offset) => (offset === 0 ? [caseId] : []),
        schedule: () => undefined,
        shredder,
        logger: pino({ level: 'silent' }),
      });
      expect(run.finished).to.deep.equal([caseId]);
      expect((await keyOf()).shreddedAt).to.not.equal(null);
      expect((await backend.keys.scope(`${stream()}#evidence`))!.shreddedAt).to.not.equal(null);
      expect(uploads.deleted).to.deep.equal([FILE_HASH]);
      expect(rebuilds).to.equal(1);
      // One record, naming what was destroyed; a reader of the log (cold cache) reads the values as erased.
      const records = await shreddings();
      expect(records).to.have.length(1);
      expect([...(records[0]!.data.keyIds as string[])].sort()).to.deep.equal([live.keyId, `${live.keyId}~e`].sort());
      const reader = sealingEventStore(backend.raw, { keys: backend.keys, marks: ALL_PERSONAL, lookupSecret: master.lookupSecret });
      const [drafted] = await reader.readStream(stream(), { maxCount: 1 });
      expect(JSON.stringify(drafted!.data)).to.not.include(ID_NUMBER);
      // Finished is finished: the next pass and another shredding find nothing left to do.
      expect((await runRetention({ queue: createInProcessQueue(), clock, timeZone: 'Asia/Shanghai', eventStore: store, closedCases: async (offset) => (offset === 0 ? [caseId] : []), schedule: () => undefined, shredder, logger: pino({ level: 'silent' }) })).finished).to.deep.equal([]);
      expect(await shredder.shredCase(caseId, { reason: 'retention' })).to.deep.equal({ status: 'nothing' });
    });

    it('given a process stopped after destroying the keys and before asking for the rebuilds, when the next retention pass runs, then it asks for them once, and the shredding is dated by the local day', async () => {
      const meta = createMemoryReadStore();
      let rebuilds = 0;
      let stopHere = true;
      const shredder = shredderOver(store, backend.keys, uploadsSpy(), async () => {
        if (stopHere) throw new Error('the process stopped here');
        rebuilds += 1;
      }, meta);
      // 2027-03-05T20:00Z is already 2027-03-06 in Asia/Shanghai, where the retention rules count days.
      const late = { now: () => new Date('2027-03-05T20:00:00Z') };
      const stopping = createShredder({ eventStore: store, keys: backend.keys, uploads: uploadsSpy(), clock: late, timeZone: 'Asia/Shanghai', rebuilds: shredder.rebuilds });
      expect(String(await stopping.shredCase(caseId, { reason: 'retention' }).catch((error: unknown) => error))).to.include('stopped here');
      expect((await keyOf()).shreddedAt).to.not.equal(null);
      expect((await shreddings()).map((e) => e.data.shreddedOn)).to.deep.equal(['2027-03-06']);
      // Retried, the case has nothing left to shred: only the owed rebuilds remember it.
      stopHere = false;
      expect(await shredder.shredCase(caseId, { reason: 'retention' })).to.deep.equal({ status: 'nothing' });
      expect(rebuilds).to.equal(0);
      const pass = () => runRetention({ queue: createInProcessQueue(), clock, timeZone: 'Asia/Shanghai', eventStore: store, closedCases: async () => [], schedule: () => undefined, shredder, logger: pino({ level: 'silent' }) });
      await pass();
      expect(rebuilds).to.equal(1);
      await pass();
      expect(rebuilds, 'owed once, asked once').to.equal(1);
    });

    it('given a case the retention pass cannot read, then the cases after it are still settled and the pass names it', async () => {
      await store.append(stream(), [event('CaseClosed', { caseId, closedOn: '2026-03-04' })], { expectedRevision: 'any' });
      const broken = randomUUID();
      const reading: SealingEventStore = {
        ...store,
        async readStream(name, options) {
          if (name === `case-${broken}`) throw new Error('a row that does not parse');
          return store.readStream(name, options);
        },
      };
      const shredder = shredderOver(reading, backend.keys, uploadsSpy());
      // The case's record (stopped before its keys went) is finished although the case before it fails.
      await store.append(stream(), [event('SubjectKeysShredded', { keyIds: [(await keyOf()).keyId], scope: stream(), reason: 'retention', rule: null, requestId: null, shreddedOn: '2027-03-05' })], { expectedRevision: 'any' });
      const run = await runRetention({ queue: createInProcessQueue(), clock, timeZone: 'Asia/Shanghai', eventStore: reading, closedCases: async (offset) => (offset === 0 ? [broken, caseId] : []), schedule: () => undefined, shredder, logger: pino({ level: 'silent' }) });
      expect(run.failed).to.deep.equal([broken]);
      expect(run.finished).to.deep.equal([caseId]);
      expect((await keyOf()).shreddedAt).to.not.equal(null);
    });

    it('given an administrator accepting an erasure request, when another refuses it after the first read it, then the two do not both go through: the request ends refused and nothing is erased, or accepted and erased', async () => {
      await store.append(stream(), [event('CaseClosed', { caseId, closedOn: '2026-03-04' })], { expectedRevision: 'any' });
      const uploads = uploadsSpy();
      const shredder = shredderOver(store, backend.keys, uploads);
      const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder, clock });
      const citizen = { kind: 'citizen' as const, id: ID_NUMBER };
      const { requestId } = await privacy.requestErasure({ subjectId: ID_NUMBER, caseIds: [caseId], reason: 'done with it', commandId: randomUUID(), actor: citizen });
      let refusal: unknown = null;
      // The refusal lands while the acceptance holds its read of the request.
      const racing: SealingEventStore = {
        ...store,
        async readStream(name, options) {
          const events = await store.readStream(name, options);
          if (refusal === null && name === `erasure-${requestId}`) {
            refusal = await privacy.decideErasure({ requestId, decision: 'refused', explanation: 'kept for an audit', actor: { kind: 'admin', id: 'a2' } }).catch((error: unknown) => error);
          }
          return events;
        },
      };
      const accepting = createPrivacyCommands({ eventStore: racing, keys: backend.keys, shredder: shredderOver(racing, backend.keys, uploads), clock });
      const acceptance = await accepting.decideErasure({ requestId, decision: 'accepted', explanation: 'purpose ended', actor: { kind: 'admin', id: 'a1' } }).then((decided) => decided, (error: unknown) => error);
      expect(refusal).to.deep.include({ decision: 'refused' });
      expect(String(acceptance)).to.match(/decided already|being decided \(refused/);
      const decided = (await backend.raw.readStream(`erasure-${requestId}`)).filter((e) => e.type === 'ErasureDecided');
      expect(decided.map((e) => e.data.decision)).to.deep.equal(['refused']);
      expect((await keyOf()).shreddedAt).to.equal(null);
      expect(uploads.deleted).to.deep.equal([]);
    });

    it('given the case cannot be read while an accepted erasure is decided, then the decision fails instead of keeping the case as "unknown" for good, and deciding again erases it', async () => {
      await store.append(stream(), [event('CaseClosed', { caseId, closedOn: '2026-03-04' })], { expectedRevision: 'any' });
      const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder: shredderOver(store, backend.keys, uploadsSpy()), clock });
      const { requestId } = await privacy.requestErasure({ subjectId: ID_NUMBER, caseIds: [caseId], reason: 'done with it', commandId: randomUUID(), actor: { kind: 'citizen', id: ID_NUMBER } });
      const away: SealingEventStore = {
        ...store,
        async readStream(name, options) {
          if (name === stream()) throw new Error('connection terminated unexpectedly');
          return store.readStream(name, options);
        },
      };
      const failing = createPrivacyCommands({ eventStore: away, keys: backend.keys, shredder: shredderOver(away, backend.keys, uploadsSpy()), clock });
      const decide = (commands: typeof privacy) => commands.decideErasure({ requestId, decision: 'accepted', explanation: 'purpose ended', actor: { kind: 'admin', id: 'a1' } });
      expect(String(await decide(failing).catch((error: unknown) => error))).to.include('connection terminated');
      expect((await backend.raw.readStream(`erasure-${requestId}`)).filter((e) => e.type === 'ErasureDecided')).to.have.length(0);
      const decided = await decide(privacy);
      expect(decided.erased).to.deep.equal([caseId]);
      expect(decided.kept).to.deep.equal([]);
      expect((await keyOf()).shreddedAt).to.not.equal(null);
    });

    it('given a decision started and its process stopped before it was recorded, then only the same decision finishes it', async () => {
      await store.append(stream(), [event('CaseClosed', { caseId, closedOn: '2026-03-04' })], { expectedRevision: 'any' });
      const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder: shredderOver(store, backend.keys, uploadsSpy()), clock });
      const { requestId } = await privacy.requestErasure({ subjectId: ID_NUMBER, caseIds: [caseId], reason: 'done with it', commandId: randomUUID(), actor: { kind: 'citizen', id: ID_NUMBER } });
      const stopping: KeyStore = { ...backend.keys, shred: async () => Promise.reject(new Error('the process stopped here')) };
      const stopped = createPrivacyCommands({ eventStore: store, keys: stopping, shredder: shredderOver(store, stopping, uploadsSpy()), clock });
      expect(String(await stopped.decideErasure({ requestId, decision: 'accepted', explanation: 'purpose ended', actor: { kind: 'admin', id: 'a1' } }).catch((error: unknown) => error))).to.include('stopped here');
      const refused = await privacy.decideErasure({ requestId, decision: 'refused', explanation: 'no', actor: { kind: 'admin', id: 'a2' } }).catch((error: unknown) => error);
      expect(String(refused)).to.match(/being decided \(accepted, by a1\)/);
      const finished = await privacy.decideErasure({ requestId, decision: 'accepted', explanation: 'purpose ended', actor: { kind: 'admin', id: 'a2' } });
      expect(finished.erased).to.deep.equal([caseId]);
      expect((await keyOf()).shreddedAt).to.not.equal(null);
    });

    it('given a hold lifted, when it is placed again under the same id and lifted again, then each is on record and the hold blocks shredding while it stands', async () => {
      const shredder = shredderOver(store, backend.keys, uploadsSpy());
      const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder, clock });
      const admin = { kind: 'admin' as const, id: 'a1' };
      await privacy.placeHold({ caseId, holdId: 'audit', reason: 'an audit', basis: 'art. 1', actor: admin });
      await privacy.liftHold({ caseId, holdId: 'audit', reason: 'done', actor: admin });
      await privacy.placeHold({ caseId, holdId: 'audit', reason: 'the audit again', basis: 'art. 1', actor: admin });
      expect(await shredder.shredCase(caseId, { reason: 'retention' })).to.deep.equal({ status: 'held', holds: ['audit'] });
      await privacy.liftHold({ caseId, holdId: 'audit', reason: 'done again', actor: admin });
      const types = (await backend.raw.readStream(stream())).map((e) => e.type).filter((t) => t.startsWith('LegalHold'));
      expect(types).to.deep.equal(['LegalHoldPlaced', 'LegalHoldLifted', 'LegalHoldPlaced', 'LegalHoldLifted']);
      expect((await shredder.shredCase(caseId, { reason: 'retention' })).status).to.equal('shredded');
    });

    it('given a hold placed after a shredding was recorded but before it was carried out, then the recorded shredding is still carried out: the log puts it before the hold', async () => {
      const uploads = uploadsSpy();
      const stopping: KeyStore = { ...backend.keys, shred: async () => Promise.reject(new Error('the process stopped here')) };
      await shredderOver(store, stopping, uploads).shredCase(caseId, { reason: 'retention' }).catch(() => undefined);
      const shredder = shredderOver(store, backend.keys, uploads);
      const privacy = createPrivacyCommands({ eventStore: store, keys: backend.keys, shredder, clock });
      await privacy.placeHold({ caseId, holdId: 'late', reason: 'an investigation', basis: 'art. 1', actor: { kind: 'admin', id: 'a1' } });
      const types = (await backend.raw.readStream(stream())).map((e) => e.type);
      expect(types.indexOf('SubjectKeysShredded')).to.be.lessThan(types.indexOf('LegalHoldPlaced'));
      const outcome = await shredder.shredCase(caseId, { reason: 'retention' });
      expect(outcome.status).to.equal('shredded');
      expect((await keyOf()).shreddedAt).to.not.equal(null);
    });
  });
}
