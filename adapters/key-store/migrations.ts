import type { Component } from '../sql-migrations/index.ts';

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
    {
      version: 2,
      name: 'a case row holds its evidence key',
      // A case's evidence key is the second half of its row's wrapped bytes, id `<key id>~e`, rather than a row of
      // its own: one row and one set of index entries per new case instead of two. Rows made before keep working.
      sql: `ALTER TABLE subject_keys ADD COLUMN evidence_key boolean NOT NULL DEFAULT false;
            ALTER TABLE subject_keys ADD COLUMN evidence_shredded_at timestamptz;`,
      // Earlier releases read a shared row's 64 bytes as one key: they must not run on the rows this makes.
      breaksOlderReleases: true,
    },
    {
      version: 3,
      name: 'events sealed with XChaCha20-Poly1305',
      // No table changes: the keys stay as they are. Personal values are sealed under them with XChaCha20-Poly1305
      // (libsodium) from this release on, a form earlier releases would read as unsealed, leaving every value null.
      sql: `COMMENT ON TABLE subject_keys IS 'Subject keys, wrapped by a master key. Personal values in events are sealed under them with AES-256-GCM (the A256GCM forms) or, from subject-keys step 3, XChaCha20-Poly1305 (XC20P).'`,
      breaksOlderReleases: true,
    },
  ],
};
