import type { Migration } from './migration.ts';

/**
 * One jsonb table for every logical collection: a rebuild fills new collection names without DDL, and dropping an old
 * version is one DELETE on the primary key prefix. "C" collation makes id order byte order, as in MongoDB.
 * Positions are numeric(20,0): both halves of a checkpoint may exceed bigint's signed range.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: (t) => `
    CREATE TABLE ${t.docs} (
      collection text COLLATE "C" NOT NULL,
      id text COLLATE "C" NOT NULL,
      doc jsonb NOT NULL,
      PRIMARY KEY (collection, id)
    );
    CREATE TABLE ${t.checkpoints} (
      projection text PRIMARY KEY,
      commit_position numeric(20, 0) NOT NULL,
      prepare_position numeric(20, 0) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${t.meta} (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
