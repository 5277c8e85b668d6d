import type { Migration } from './migration.ts';

/**
 * Case views are 2-4 KB of jsonb rewritten on every event, so PostgreSQL TOASTs and compresses them each time; pglz
 * compression was most of the upsert's CPU in the projection bench, and lz4 does the same work several times faster.
 * Servers built without lz4 (and PGlite) keep pglz: the DO block turns that into a notice instead of a failed start.
 * A lower fillfactor leaves room on each page so a rewritten document can be a HOT update that skips the index.
 */
export const compression: Migration = {
  version: 2,
  name: 'lz4-compression-and-fillfactor',
  up: (t) => `
    DO $$
    BEGIN
      EXECUTE 'ALTER TABLE ${t.docs} ALTER COLUMN doc SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'lz4 compression unavailable (%), documents keep pglz', SQLERRM;
    END $$;
    ALTER TABLE ${t.docs} SET (fillfactor = 80);
  `,
};
