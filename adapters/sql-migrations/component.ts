import type { MigrationSession } from './driver.ts';

/** A schema step, applied once per database and recorded in schema_migrations under its component. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (e.g. hashing stored rows in Node), run after `sql` in the same transaction; then `sqlAfter`. */
  backfill?: (session: MigrationSession) => Promise<void>;
  sqlAfter?: string;
  /**
   * Data written once this step is applied cannot be read right by code that does not know it (a new format, say).
   * Recorded with the step: a later rollback to a release without it then refuses to start instead of misreading.
   */
  breaksOlderReleases?: boolean;
}

/**
 * One schema Errand owns ("event-store", "read-store", "uploads", "gateway", "leases"), with its versioned steps.
 * `adopt` recognises what code from before the shared runner created (its own migrations table, or tables made with
 * CREATE ... IF NOT EXISTS) and returns the versions already in place, which are then recorded without running
 * their DDL. It runs only while the component has no row in schema_migrations, under the migration lock.
 */
export interface Component {
  name: string;
  migrations: readonly Migration[];
  adopt?: (session: MigrationSession) => Promise<number[]>;
}
