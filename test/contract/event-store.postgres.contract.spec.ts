import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { NewEvent } from '../../domain/events/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { appendStatement } from '../../adapters/event-store/postgres/index.ts';
import { restartPositionsStatement } from '../../adapters/event-store/postgres/index.ts';
import { startThrowawayCluster } from '../support/pg-cluster.ts';
import { createTestDatabase, testPool } from '../support/postgres.ts';
import { eventStoreContract } from './event-store.contract.ts';

eventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('event_store_contract');
  const store = await createPostgresEventStore({ connectionString: database.url, poolSize: 12 });
  const quietClient = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    // A failed test may leave it open until the database is dropped; that must not crash the run.
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  return {
    store,
    async beginLateAppend(stream: string, events: NewEvent[]) {
      const client = await quietClient(database.url);
      await client.query('BEGIN');
      await client.query(appendStatement(stream, 'any', events));
      const pid = String((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      return {
        async appendWaiting() {
          const watcher = await quietClient(database.url);
          try {
            const deadline = Date.now() + 15_000;
            for (;;) {
              if (Date.now() > deadline) throw new Error('gave up waiting for an append blocked behind the open transaction');
              const { rows } = await watcher.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND $1::int = ANY (pg_blocking_pids(pid))`,
                [pid],
              );
              if (rows[0]!.n > 0) return;
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
          } finally {
            await watcher.end();
          }
        },
        async commit() {
          try {
            await client.query('COMMIT');
          } finally {
            await client.end();
          }
        },
      };
    },
    async holdForeignTransaction() {
      const other = await createTestDatabase('event_store_foreign');
      const client = await quietClient(other.url);
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      return {
        async release() {
          await client.query('ROLLBACK').catch(() => undefined);
          await client.end();
          await other.drop();
        },
      };
    },
    async dumpAndRestore() {
      const cluster = await startThrowawayCluster();
      const dir = mkdtempSync(join(tmpdir(), 'errand-dump-'));
      chmodSync(dir, 0o777);
      const file = join(dir, 'log.dump');
      const source = new URL(database.url);
      await cluster.tool('pg_dump', ['-h', source.hostname, '-p', source.port || '5432', '-U', source.username || 'postgres', '-Fc', '-f', file, database.name]);
      await cluster.tool('createdb', ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', 'restored']);
      await cluster.tool('pg_restore', ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '--no-owner', '-d', 'restored', file]);
      const restored = await createPostgresEventStore({ connectionString: cluster.url('restored'), poolSize: 4 });
      return {
        store: restored,
        async dispose() {
          await restored.close();
          await cluster.destroy();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    async storeWithPositionsFrom(next: bigint) {
      const fresh = await createTestDatabase('event_store_positions');
      const pool = testPool(fresh.url, { max: 2 });
      const freshStore = await createPostgresEventStore({ pool });
      await pool.query(restartPositionsStatement(next).text);
      return {
        store: freshStore,
        async dispose() {
          await freshStore.close();
          await pool.end();
          await fresh.drop();
        },
      };
    },
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
});
