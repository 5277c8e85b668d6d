import type { Migration } from './migration.ts';

/**
 * The hash link of the event a checkpoint was taken at, where the log keeps links (PostgreSQL, PGlite events): the
 * event store refuses to resume from a checkpoint whose position now holds another event (a log restored from an
 * older backup, or failed over with lost commits, under read models that were not), where it would have skipped the
 * new events at the lost positions without a word. Null for checkpoints stored before, and for logs without links.
 */
export const checkpointLinks: Migration = {
  version: 4,
  name: 'checkpoint-links',
  up: (t) => `ALTER TABLE ${t.checkpoints} ADD COLUMN link text;`,
};
