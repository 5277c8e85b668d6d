import type { MigrationSession } from './driver.ts';

/**
 * Errand's one advisory-lock helper: a transaction-level lock on a named key, released by COMMIT or ROLLBACK (or
 * when the session ends), so a crashed process never leaves it held. Names map to keys with hashtext, so every
 * process, whatever its version, agrees on the key.
 */
export async function advisoryXactLock(session: MigrationSession, name: string): Promise<void> {
  await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}

/** One lock for every component: they share schema_migrations, and the first to create it must not race another. */
export const MIGRATION_LOCK = 'errand schema migrations';
