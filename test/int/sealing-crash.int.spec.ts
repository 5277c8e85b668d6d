/**
 * Subject keys and a PostgreSQL crash. Found by the chaos run: keys were committed without waiting for the WAL
 * flush, a crash right after lost one the process had already been answered and kept in its cache, and the events
 * it then sealed with that key were stored durably under a key id no row holds: every reader saw the citizen's ID
 * number as "[erased]" and the evidence worker asked departments about a subject called "[erased]".
 *
 * The throwaway cluster's WAL writer is slowed to 10 s, so a commit that does not flush itself is still only in
 * the server's memory when the crash (an immediate stop) comes: the loss, if the store allows it, happens every run.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import pg from 'pg';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { newMasterKeyFile, parseMasterKeys } from '../../adapters/key-store/index.ts';
import { createPostgresKeyStore } from '../../adapters/key-store/postgres/index.ts';
import { sealingEventStore } from '../../adapters/privacy/sealing-event-store.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import { MissingSubjectKeyError } from '../../domain/ports/key-store.ts';
import { ALL_PERSONAL } from '../../runtime/privacy.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';

const master = parseMasterKeys(newMasterKeyFile('m1'), 'test');
const ID_NUMBER = '11010119900307421X';

function submitted(caseId: string): NewEvent {
  const eventId = randomUUID();
  return {
    type: 'ApplicationDrafted',
    data: { caseId, serviceId: 'svc', serviceVersion: 1, applicant: { type: 'person', id: ID_NUMBER }, form: { address: '1 Long Street' }, bundleId: null },
    metadata: { eventId, schemaVersion: 1, occurredAt: '2026-03-02T08:00:00.000Z', correlationId: 'c', causationId: null, commandId: `cmd-${eventId}`, actor: { kind: 'citizen', id: ID_NUMBER } },
  };
}

/** Retries through the connections the crash broke (each pool finds out on its next use). */
async function once<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 5 || error instanceof MissingSubjectKeyError) throw error;
    }
  }
}

describe('subject keys survive a PostgreSQL crash (throwaway cluster, WAL writer slowed)', function () {
  this.timeout(180_000);
  let cluster: ThrowawayCluster;
  let url: string;
  before(async () => {
    cluster = await startThrowawayCluster();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query(`ALTER SYSTEM SET wal_writer_delay = '10s'`);
    await admin.query('CREATE DATABASE errand');
    await admin.end();
    await cluster.restart('fast');
    url = cluster.url('errand');
  });
  after(async () => cluster?.destroy());

  it('given keys the key store answered, when the server crashes right after, then every one of them is still there after the restart', async () => {
    const keys = await createPostgresKeyStore({ connectionString: url, wrapper: master.wrapper });
    try {
      const scopes = Array.from({ length: 20 }, () => `case-${randomUUID()}`);
      const answered = await Promise.all(scopes.map((scope) => keys.keyFor(scope, null)));
      await cluster.stop('immediate');
      await cluster.start();
      const stored = await once(() => Promise.all(scopes.map((scope) => keys.scope(scope))));
      expect(stored.map((key) => key?.keyId ?? 'lost')).to.deep.equal(answered.map((key) => key!.id));
    } finally {
      await keys.close();
    }
  });

  it('given a case key made for a refused append, when the server crashes and the process then seals the case with it from its cache, then another process reads the case in clear', async () => {
    const raw = await createPostgresEventStore({ connectionString: url });
    const keys = await createPostgresKeyStore({ connectionString: url, wrapper: master.wrapper });
    const store = sealingEventStore(raw, { keys, marks: ALL_PERSONAL, lookupSecret: master.lookupSecret, keysShareEventsDatabase: true });
    const caseId = randomUUID();
    try {
      // A record about the case in another stream makes the case key on its own; this append is then refused (a
      // stale revision), so no commit of events follows the key's and flushes it.
      const refused = await store
        .append(`idempotency-${caseId}`, [{ ...submitted(caseId), type: 'DataAccessed', data: { caseId, subject: { type: 'person', id: ID_NUMBER } } }], { expectedRevision: 5n })
        .then(() => null, (error: unknown) => error);
      expect(refused, 'the append should be refused').to.be.instanceOf(Error);
      await cluster.stop('immediate');
      await cluster.start();
      await once(() => store.append(`case-${caseId}`, [submitted(caseId)], { expectedRevision: 'no_stream' }));
    } finally {
      await raw.close();
      await keys.close();
    }
    const readerRaw = await createPostgresEventStore({ connectionString: url });
    const readerKeys = await createPostgresKeyStore({ connectionString: url, wrapper: master.wrapper });
    try {
      const reader = sealingEventStore(readerRaw, { keys: readerKeys, marks: ALL_PERSONAL, lookupSecret: master.lookupSecret });
      const [read] = await reader.readStream(`case-${caseId}`);
      expect(read!.data.applicant).to.deep.equal({ type: 'person', id: ID_NUMBER });
    } finally {
      await readerRaw.close();
      await readerKeys.close();
    }
  });
});
