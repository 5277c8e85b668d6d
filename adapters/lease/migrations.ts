import type pg from 'pg';
import { migrateComponent, pgMigrationDriver, relationExists, type Component } from '../sql-migrations/index.ts';

export const LEASE_TOKEN_SEQUENCE = 'errand_lease_tokens';

/** The fencing-token sequence, one component of the shared runner; made with IF NOT EXISTS before it, so adopted. */
export const leasesComponent: Component = {
  name: 'leases',
  migrations: [{ version: 1, name: 'lease tokens', sql: `CREATE SEQUENCE ${LEASE_TOKEN_SEQUENCE}` }],
  async adopt(session) {
    return (await relationExists(session, LEASE_TOKEN_SEQUENCE)) ? [1] : [];
  },
};

/** On a pool, or on a client nothing else is using meanwhile. */
export async function migrateLeases(target: pg.Pool | pg.ClientBase): Promise<number[]> {
  return migrateComponent(pgMigrationDriver(target), leasesComponent);
}
