/**
 * The little the SQL event store needs from a database driver. pg and PGlite differ in how they hand back int8 and
 * how many connections they have; every statement casts bigint and xid8 columns to text, so rows look the same here.
 */
export interface SqlStatement {
  /** Set for hot statements so pg prepares them once per connection. */
  name?: string;
  text: string;
  values: unknown[];
}

export interface SqlRunner {
  query<Row>(statement: SqlStatement): Promise<Row[]>;
}

export interface SqlDriver extends SqlRunner {
  /** One connection for a sequence of statements (migrations need the advisory lock and the DDL on the same one). */
  withSession<T>(work: (session: SqlRunner) => Promise<T>): Promise<T>;
  /** Whether several sessions can run at once; if not, nothing needs a cross-process lock either. */
  readonly concurrent: boolean;
  end(): Promise<void>;
}
