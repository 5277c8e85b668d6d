import type pg from 'pg';
import { inPgTransaction } from '../pg-client.ts';
import type { MigrationDriver, MigrationSession } from './driver.ts';

function sessionOf(client: pg.ClientBase | pg.Pool): MigrationSession {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as R[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(script);
    },
  };
}

/** A pool (one connection checked out per transaction) or a single client the caller is not using meanwhile. */
export function pgMigrationDriver(target: pg.Pool | pg.ClientBase): MigrationDriver {
  const base = sessionOf(target);
  return {
    ...base,
    transaction<T>(work: (session: MigrationSession) => Promise<T>): Promise<T> {
      return inPgTransaction(target, (client) => work(sessionOf(client)));
    },
  };
}
