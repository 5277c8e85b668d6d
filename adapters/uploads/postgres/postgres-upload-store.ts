import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inPgTransaction } from '../../pg-client.ts';
import { createPgPool } from '../../pg-pool.ts';
import { migrateComponent, pgMigrationDriver, relationExists, type Component } from '../../sql-migrations/index.ts';
import { SHA256_HEX, UPLOAD_CASE_ID, UPLOAD_ID, type UploadStore } from '../../../domain/ports/uploads.ts';

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
    {
      version: 2,
      name: 'upload_cases',
      // The case a file was stored for, written with the file: an upload stopped before its event leaves a file no
      // event names, and erasing the case must still find it. Files stored before this have no row here.
      sql: `CREATE TABLE upload_cases (
              case_id text NOT NULL,
              sha256  text NOT NULL,
              PRIMARY KEY (case_id, sha256)
            );`,
    },
    {
      version: 3,
      name: 'upload_holds',
      // A row per put (upload_id), so the put of an upload refused at its append can be taken back without taking
      // the file from another put of the same bytes; rows from before keep upload_id ''. named_only marks a file
      // found stored with no row at all (from before version 2): only its case's events name it, so no release may
      // delete it. Both are set by puts, not here, as rows from before version 2 are found when a put meets them.
      sql: `ALTER TABLE uploads ADD COLUMN named_only boolean NOT NULL DEFAULT false;
            ALTER TABLE upload_cases ADD COLUMN upload_id text NOT NULL DEFAULT '';
            ALTER TABLE upload_cases DROP CONSTRAINT upload_cases_pkey;
            ALTER TABLE upload_cases ADD PRIMARY KEY (case_id, sha256, upload_id);
            CREATE INDEX upload_cases_by_file ON upload_cases (sha256);`,
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
    async put(bytes, caseId) {
      if (!UPLOAD_CASE_ID.test(caseId)) throw new RangeError(`not a case id: ${caseId}`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const uploadId = randomUUID();
      // Every part sees the tables as they were before the statement: a file already there with no row holding it
      // was stored before rows were kept, and is marked so that no release takes it.
      await pool.query({
        name: 'upload_store_put_held',
        text: `WITH file AS (INSERT INTO uploads (sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING),
                    named AS (UPDATE uploads SET named_only = true
                              WHERE sha256 = $1 AND NOT named_only AND NOT EXISTS (SELECT 1 FROM upload_cases WHERE sha256 = $1))
               INSERT INTO upload_cases (case_id, sha256, upload_id) VALUES ($4, $1, $5)`,
        values: [sha256, bytes.length, bytes, caseId, uploadId],
      });
      return { sha256, size: bytes.length, uploadId };
    },
    async release(caseId, { sha256, uploadId }) {
      if (!UPLOAD_CASE_ID.test(caseId) || !SHA256_HEX.test(sha256) || !UPLOAD_ID.test(uploadId)) return false;
      return inPgTransaction(pool, async (client) => {
        // As for erasure: a put of the same bytes not yet committed found the file there and did not store it again;
        // this lock waits for it and holds new ones back, so the statement below sees every row holding the file.
        await client.query('LOCK TABLE upload_cases IN SHARE ROW EXCLUSIVE MODE');
        const { rows } = await client.query<{ sha256: string }>({
          name: 'upload_store_release',
          text: `WITH mine AS (DELETE FROM upload_cases WHERE case_id = $1 AND sha256 = $2 AND upload_id = $3 RETURNING sha256)
                 DELETE FROM uploads u USING mine
                 WHERE u.sha256 = mine.sha256 AND NOT u.named_only
                   AND NOT EXISTS (SELECT 1 FROM upload_cases o WHERE o.sha256 = $2 AND NOT (o.case_id = $1 AND o.upload_id = $3))
                 RETURNING u.sha256`,
          values: [caseId, sha256, uploadId],
        });
        return rows.length > 0;
      });
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
    async deleteOfCase(caseId, named = []) {
      if (!UPLOAD_CASE_ID.test(caseId)) return [];
      return inPgTransaction(pool, async (client) => {
        // A put for another case of the same file, not yet committed, leaves its holder row unseen and finds the file
        // there (so does not store it again): deleting the file now would lose the one that case has just stored.
        // This lock waits for puts in flight and holds new ones back, so the statement below sees every holder.
        await client.query('LOCK TABLE upload_cases IN SHARE ROW EXCLUSIVE MODE');
        // Every sub-statement sees the rows as they were: the case's own rows are left out of "held by another".
        const { rows } = await client.query<{ sha256: string }>({
          name: 'upload_store_delete_of_case_unshared',
          text: `WITH stored AS (DELETE FROM upload_cases WHERE case_id = $1 RETURNING sha256),
                      wanted AS (SELECT sha256 FROM stored UNION SELECT unnest($2::text[]))
                 DELETE FROM uploads u USING wanted w
                 WHERE u.sha256 = w.sha256
                   AND NOT EXISTS (SELECT 1 FROM upload_cases o WHERE o.sha256 = w.sha256 AND o.case_id <> $1)
                 RETURNING u.sha256`,
          values: [caseId, named.filter((hash) => SHA256_HEX.test(hash))],
        });
        return rows.map((row) => row.sha256).sort();
      });
    },
    async close() {
      await pool.end();
    },
  };
}
