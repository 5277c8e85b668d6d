import { expect } from 'chai';
import pg from 'pg';
import { createPostgresCatalogueStore } from '../../adapters/catalogue-store/postgres/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { migrateGateway } from '../../adapters/gateway/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

/**
 * The tables kept beside the log that only ever grow, on PostgreSQL: whoever connects (here the superuser that owns
 * them, with the triggers on), an UPDATE, a DELETE or a TRUNCATE is refused and every row is still there. The app
 * role is not even granted them (test/int/deploy-roles.int.spec.ts).
 */
describe('append-only tables beside the log (PostgreSQL triggers)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let events: EventStore;
  let client: pg.Client;

  before(async () => {
    db = await createTestDatabase('append_only');
    events = await createPostgresEventStore({ connectionString: db.url });
    const catalogue = await createPostgresCatalogueStore({ connectionString: db.url });
    await catalogue.close();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await migrateGateway(pool);
    await pool.end();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO event_store_heads (position, size, link, signed_at, jws, after_position) VALUES (1, 1, 'ab', now(), 'h.p.s', 0)`);
    await client.query(`INSERT INTO catalogue_audit (seq, at, actor, action, kind, id, version, details, command_id) VALUES (1, now(), '{}', 'published', 'service', 's', 1, '{}', 'c-1')`);
    await client.query(`INSERT INTO gateway_access_log (at, department, result, status, verified, fields) VALUES (now(), 'PSB', 'answered', 200, true, '{name}')`);
  });
  after(async () => {
    await client?.end();
    await events?.close();
    await db?.drop();
  });

  for (const [table, column] of [['event_store_heads', 'size'], ['catalogue_audit', 'action'], ['gateway_access_log', 'result']] as const) {
    it(`given a row in ${table}, when anyone sends UPDATE, DELETE or TRUNCATE, then each is refused and the row stays`, async () => {
      const before = (await client.query(`SELECT * FROM ${table}`)).rows;
      expect(before).to.have.length(1);
      for (const statement of [`UPDATE ${table} SET ${column} = ${column}`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        const error = await client.query(statement).then(() => null, (e: Error) => e);
        expect(error, statement).to.be.instanceOf(Error);
      }
      expect((await client.query(`SELECT * FROM ${table}`)).rows).to.deep.equal(before);
    });
  }
});
