/**
 * The little the migration runner needs from a connection, so PostgreSQL (pg) and PGlite run the same steps. Shaped
 * like the read store's SQL driver, so that one is a MigrationDriver as it stands.
 */
export interface MigrationSession {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migration scripts). */
  exec(script: string): Promise<void>;
}

export interface MigrationDriver extends MigrationSession {
  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. */
  transaction<T>(work: (session: MigrationSession) => Promise<T>): Promise<T>;
}
