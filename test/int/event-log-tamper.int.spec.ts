import { expect } from 'chai';
import pg from 'pg';
import { type EventStore, type TrustedHead } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { newEvent } from '../contract/event-store.fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { rehashAll as rehashAllOf, replaceWithForgery } from './event-log-attacker.ts';

/**
 * Issue #12, item 1: every attack on the events table is detected by verifying the table against a head exported
 * before the attack. The attacker is a superuser: the append-only triggers are switched off first, as they could.
 */
describe('event log tamper evidence (PostgreSQL)', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let store: EventStore;
  let attacker: pg.Client;
  let head: TrustedHead;

  beforeEach(async function () {
    database = await createTestDatabase('event_log_tamper');
    store = await createPostgresEventStore({ connectionString: database.url, poolSize: 2 });
    for (let i = 0; i < 4; i += 1) {
      await store.append(`case-${i}`, [newEvent('ApplicationSubmitted', { i }), newEvent('MaterialAdded', { i, name: `m${i}` })], { expectedRevision: 'no_stream' });
    }
    const verdict = await store.verifyLog!();
    expect(verdict.ok).to.equal(true);
    head = { position: verdict.last!.position, link: verdict.last!.link };
    attacker = new pg.Client({ connectionString: database.url });
    await attacker.connect();
    // What a superuser can do: the triggers stop nobody who may alter the table.
    await attacker.query('SET session_replication_role = replica');
  });

  afterEach(async function () {
    await attacker?.end();
    await store?.close();
    await database?.drop();
  });

  const rehashAll = () => rehashAllOf(attacker);

  it('given the triggers are on, then UPDATE, DELETE and TRUNCATE of events are refused', async function () {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const statement of [`UPDATE events SET type = 'X'`, 'DELETE FROM events WHERE global_position = 1', 'TRUNCATE events']) {
        const error = await client.query(statement).then(() => null, (e: unknown) => e as { code?: string; message: string });
        expect(error?.code, statement).to.equal('EV003');
      }
      expect((await client.query('SELECT count(*)::int AS n FROM events')).rows[0].n).to.equal(8);
    } finally {
      await client.end();
    }
    expect((await store.verifyLog!([head])).ok).to.equal(true);
  });

  it('when one byte of one event is edited, then verification names that event', async function () {
    await attacker.query(`UPDATE events SET data = jsonb_set(data, '{name}', '"m1 "') WHERE global_position = 4`);
    const verdict = await store.verifyLog!();
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(4n);
    expect(verdict.checked).to.equal(3);
  });

  it('when an event is deleted, then verification names the position that went missing', async function () {
    await attacker.query('DELETE FROM events WHERE global_position = 5');
    const verdict = await store.verifyLog!();
    expect(verdict.fault!.position).to.equal(5n);
    expect(verdict.fault!.reason).to.match(/missing or out of order/);
  });

  it('when two events swap places, then verification names the first of them', async function () {
    await attacker.query('UPDATE events SET global_position = -1 WHERE global_position = 3');
    await attacker.query('UPDATE events SET global_position = 3 WHERE global_position = 6');
    await attacker.query('UPDATE events SET global_position = 6 WHERE global_position = -1');
    const verdict = await store.verifyLog!();
    expect(verdict.fault!.position).to.equal(3n);
  });

  it('when a forged event is inserted and every later link rewritten, then the chain alone looks whole but the exported head exposes it', async function () {
    await attacker.query('UPDATE events SET global_position = global_position + 100 WHERE global_position >= 5');
    await attacker.query('UPDATE events SET global_position = global_position - 99 WHERE global_position >= 105');
    const forged = newEvent('ApplicationApproved', { by: 'nobody' });
    await attacker.query(
      `INSERT INTO events (global_position, stream_id, stream_revision, event_id, type, data, metadata, link)
       VALUES (5, 'case-0', 2, $1, $2, $3, $4, '\\x00')`,
      [forged.metadata.eventId, forged.type, JSON.stringify(forged.data), JSON.stringify(forged.metadata)],
    );
    expect((await store.verifyLog!()).fault!.position, 'naive insert').to.equal(5n);
    await rehashAll();
    expect((await store.verifyLog!()).ok, 'a re-hashed chain is consistent in itself').to.equal(true);
    const verdict = await store.verifyLog!([head]);
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(head.position);
    expect(verdict.fault!.reason).to.match(/differs from the trusted head/);
  });

  it('when the tail is truncated, then verification against the exported head reports the removal', async function () {
    await attacker.query('DELETE FROM events WHERE global_position > 5');
    expect((await store.verifyLog!()).ok, 'a cut chain is consistent in itself').to.equal(true);
    const verdict = await store.verifyLog!([head]);
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(6n);
    expect(verdict.fault!.reason).to.match(/events were removed/);
  });

  it('when the whole log is replaced with a re-hashed forgery of the same length, then the exported head exposes it', async function () {
    await replaceWithForgery(attacker, 8);
    expect((await store.verifyLog!()).ok).to.equal(true);
    const verdict = await store.verifyLog!([head]);
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(8n);
  });

  it('when an event is edited and every later link rewritten, then the exported head exposes it', async function () {
    await attacker.query(`UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"clerk-0"') WHERE global_position = 2`);
    await rehashAll();
    const verdict = await store.verifyLog!([head]);
    expect(verdict.ok).to.equal(false);
    expect(verdict.fault!.position).to.equal(head.position);
  });
});
