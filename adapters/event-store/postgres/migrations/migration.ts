import type { SqlRunner } from '../runner.ts';

/** A schema step, applied once per database and recorded in schema_migrations under the event store's component. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Work SQL cannot do (hashing stored rows with the RFC 8785 canonical JSON), run after `sql` in the same
   * transaction; then `sqlAfter`.
   */
  backfill?: (session: SqlRunner) => Promise<void>;
  sqlAfter?: string;
}
