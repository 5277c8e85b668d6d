import { randomBytes, randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrateComponent, pgMigrationDriver, type Component, type MigrationDriver } from '../sql-migrations/index.ts';
import type { KeyStore, KeyWrapper, ScopeKey } from './port.ts';

/**
 * Subject keys in their own table, one component of the shared migration runner, apart from the events: a dump of
 * the log alone holds only ciphertext. A destroyed key keeps its row (scope, subject ref, when) with the wrapped
 * bytes set to NULL, so a scope once shredded stays shredded and the shredding is itself on record.
 */
export const subjectKeysComponent: Component = {
  name: 'subject-keys',
  migrations: [
    {
      version: 1,
      name: 'subject keys',
      sql: `CREATE TABLE subject_keys (
              key_id        text PRIMARY KEY,
              scope         text NOT NULL UNIQUE,
              subject_ref   text,
              master_key_id text,
              wrapped       bytea,
              created_at    timestamptz NOT NULL DEFAULT now(),
              shredded_at   timestamptz,
              CHECK ((wrapped IS NULL) = (shredded_at IS NOT NULL))
            );
            CREATE INDEX subject_keys_subject ON subject_keys (subject_ref) WHERE subject_ref IS NOT NULL;`,
    },
  ],
};

interface Row {
  key_id: string;
  scope: string;
  subject_ref: string | null;
  master_key_id: string | null;
  wrapped: Buffer | Uint8Array | null;
  shredded_at: Date | string | null;
}

const COLUMNS = 'key_id, scope, subject_ref, master_key_id, wrapped, shredded_at';

/**
 * `sharesEventsDatabase`: the events are appended to this same PostgreSQL. Keys are then committed without waiting
 * for the WAL flush (synchronous_commit off), which an append commit otherwise pays once per new case: the append
 * that uses a key commits after it, and its own flush makes everything written before it durable, the key included.
 * Shredding and re-wrapping end with a flushed commit. On any other server keys commit synchronously.
 */
export async function createPostgresKeyStore(options: { connectionString: string; wrapper: KeyWrapper; maxConnections?: number; sharesEventsDatabase?: boolean }): Promise<KeyStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 2,
    ...(options.sharesEventsDatabase ? { options: '-c synchronous_commit=off' } : {}),
  });
  pool.on('error', () => undefined);
  const driver = pgMigrationDriver(pool);
  try {
    await migrateComponent(driver, subjectKeysComponent);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return sqlKeyStore('postgres', driver, options.wrapper, () => pool.end(), options.sharesEventsDatabase ? flushed : undefined);
}

/** A commit that waits for the WAL flush, making every commit before it durable too. */
async function flushed(db: MigrationDriver): Promise<void> {
  await db.transaction(async (session) => {
    await session.query('SET LOCAL synchronous_commit = on');
    await session.query('SELECT pg_current_xact_id()');
  });
}

export async function createPGliteKeyStore(options: { pglite: PGlite; wrapper: KeyWrapper }): Promise<KeyStore> {
  const { pglite } = options;
  const session = {
    async query<R>(text: string, params?: unknown[]) {
      return (await pglite.query<R>(text, params)).rows;
    },
    async exec(script: string) {
      await pglite.exec(script);
    },
  };
  const driver: MigrationDriver = {
    ...session,
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
          exec: async (script: string) => {
            await tx.exec(script);
          },
        }),
      ),
  };
  await migrateComponent(driver, subjectKeysComponent);
  return sqlKeyStore('pglite', driver, options.wrapper, async () => undefined);
}

function sqlKeyStore(kind: KeyStore['kind'], db: MigrationDriver, wrapper: KeyWrapper, close: () => Promise<void>, flush?: (db: MigrationDriver) => Promise<void>): KeyStore {
  const open = async (row: Row): Promise<Buffer | null> =>
    row.wrapped === null ? null : wrapper.unwrap(Buffer.from(row.wrapped), row.master_key_id!, row.key_id);

  return {
    kind,
    async keyFor(scope, subjectRef) {
      // One round trip whether the scope is new or not: a key is made and wrapped each time (cheap), and kept only
      // when the scope had none; the first to insert wins and a concurrent caller reads the winner's key.
      const keyId = `k_${randomUUID()}`;
      const bytes = randomBytes(32);
      const { masterKeyId, wrapped } = await wrapper.wrap(bytes, keyId);
      const [row] = await db.query<Row>(
        `WITH made AS (
           INSERT INTO subject_keys (key_id, scope, subject_ref, master_key_id, wrapped) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope) DO NOTHING RETURNING ${COLUMNS})
         SELECT ${COLUMNS} FROM made
         UNION ALL
         SELECT ${COLUMNS} FROM subject_keys WHERE scope = $2 AND NOT EXISTS (SELECT 1 FROM made)`,
        [keyId, scope, subjectRef, masterKeyId, wrapped],
      );
      if (!row) throw new Error(`no key for scope ${scope}`);
      if (row.key_id === keyId) return { id: keyId, bytes };
      const existing = await open(row);
      return existing ? { id: row.key_id, bytes: existing } : null;
    },
    async unwrap(keyIds) {
      const found = new Map<string, Buffer | null>();
      if (keyIds.length === 0) return found;
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE key_id = ANY($1::text[])`, [[...new Set(keyIds)]]);
      for (const row of rows) found.set(row.key_id, await open(row));
      return found;
    },
    async scope(scope) {
      const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE scope = $1`, [scope]);
      return row ? toScopeKey(row) : null;
    },
    async keysOfSubject(subjectRef) {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE subject_ref = $1 ORDER BY created_at, key_id`, [subjectRef]);
      return rows.map(toScopeKey);
    },
    async shred(keyIds, at) {
      if (keyIds.length === 0) return [];
      const rows = await db.query<{ key_id: string }>(
        `UPDATE subject_keys SET wrapped = NULL, master_key_id = NULL, shredded_at = $2
         WHERE key_id = ANY($1::text[]) AND wrapped IS NOT NULL RETURNING key_id`,
        [[...new Set(keyIds)], at],
      );
      await flush?.(db);
      return rows.map((row) => row.key_id).sort();
    },
    async rewrap() {
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM subject_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1`, [wrapper.currentId]);
      let count = 0;
      for (const row of rows) {
        const bytes = await open(row);
        if (!bytes) continue;
        const { masterKeyId, wrapped } = await wrapper.wrap(bytes, row.key_id);
        const updated = await db.query(
          'UPDATE subject_keys SET master_key_id = $2, wrapped = $3 WHERE key_id = $1 AND master_key_id = $4 AND wrapped IS NOT NULL RETURNING key_id',
          [row.key_id, masterKeyId, wrapped, row.master_key_id],
        );
        count += updated.length;
      }
      await flush?.(db);
      return count;
    },
    close,
  };
}

function toScopeKey(row: Row): ScopeKey {
  const at = row.shredded_at;
  return {
    keyId: row.key_id,
    scope: row.scope,
    subjectRef: row.subject_ref,
    masterKeyId: row.master_key_id,
    shreddedAt: at === null ? null : new Date(at).toISOString(),
  };
}
