import { createHash } from 'node:crypto';
import type pg from 'pg';
import { createPgPool } from '../../pg-pool.ts';
import { migrateComponent, pgMigrationDriver, relationExists, type Component } from '../../sql-migrations/index.ts';
import { SHA256_HEX, type UploadStore } from '../../../domain/ports/uploads.ts';

export interface PostgresUploadStoreOptions {
  connectionString: string;
  maxConnections?: number;
  /** How long opening a connection, or waiting for a free one, may take (default 30 s). */
  connectTimeoutMs?: number;
}

/**
 * The uploads table, one component of the shared runner. Databases from before it recorded this version in their own
 * upload_store_migrations table: it is adopted from there and that table dropped.
 */
export const uploadsComponent: Component = {
  name: 'uploads',
  migrations: [
    {
      version: 1,
      name: 'uploads',
      // Stored as uploaded: photos and PDFs are compressed already, so TOAST compression would only cost CPU.
      sql: `CREATE TABLE uploads (
              sha256    text PRIMARY KEY CHECK (sha256 ~ '^[a-f0-9]{64}$'),
              size      integer NOT NULL,
              bytes     bytea NOT NULL,
              stored_at timestamptz NOT NULL DEFAULT now()
            );
            ALTER TABLE uploads ALTER COLUMN bytes SET STORAGE EXTERNAL;`,
    },
  ],
  async adopt(session) {
    if (!(await relationExists(session, LEGACY_TABLE))) return [];
    const rows = await session.query<{ version: number }>(`SELECT version FROM ${LEGACY_TABLE}`);
    await session.exec(`DROP TABLE ${LEGACY_TABLE}`);
    return rows.map((row) => Number(row.version));
  },
};

const LEGACY_TABLE = 'upload_store_migrations';

async function migrate(pool: pg.Pool): Promise<void> {
  await migrateComponent(pgMigrationDriver(pool), uploadsComponent);
}

/**
 * Files in the events' PostgreSQL database (DATABASE_URL), so every API process reads what any of them stored and
 * a backup of the database holds the files the events refer to.
 */
export async function createPostgresUploadStore(options: PostgresUploadStoreOptions): Promise<UploadStore> {
  const pool = createPgPool({ connectionString: options.connectionString, max: options.maxConnections ?? 4, applicationName: 'errand-uploads', connectTimeoutMs: options.connectTimeoutMs });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    kind: 'postgres',
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await pool.query({
        name: 'upload_store_put',
        text: 'INSERT INTO uploads (sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
        values: [sha256, bytes.length, bytes],
      });
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      const { rows } = await pool.query<{ bytes: Buffer }>({ name: 'upload_store_get', text: 'SELECT bytes FROM uploads WHERE sha256 = $1', values: [sha256] });
      return rows[0]?.bytes ?? null;
    },
    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return false;
      const { rowCount } = await pool.query({ name: 'upload_store_delete', text: 'DELETE FROM uploads WHERE sha256 = $1', values: [sha256] });
      return (rowCount ?? 0) > 0;
    },
    async close() {
      await pool.end();
    },
  };
}
