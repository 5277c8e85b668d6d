import type pg from 'pg';
import { createPgPool } from '../../pg-pool.ts';
import type { ReadStore } from '../../../domain/ports/read-store.ts';
import { createSqlReadStore } from '../sql/sql-read-store.ts';
import { postgresDriver } from './driver.ts';

export type PostgresReadStoreOptions = ({ connectionString: string; pool?: never } | { pool: pg.Pool; connectionString?: never }) & {
  /** Tables go into this schema (created when missing); default: the connection's search path. */
  schema?: string;
  /** Pool size when the store makes its own pool. */
  maxConnections?: number;
  /** How long opening a connection, or waiting for a free one, may take when the store makes its own pool (default 30 s). */
  connectTimeoutMs?: number;
};

/** A read store on PostgreSQL; a pool passed in stays open on close(), one made here is ended. */
export function createPostgresReadStore(options: PostgresReadStoreOptions): ReadStore {
  const owns = options.pool === undefined;
  const pool = options.pool ?? createPgPool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, applicationName: 'errand-read-store', connectTimeoutMs: options.connectTimeoutMs });
  return createSqlReadStore(postgresDriver(pool, owns), { schema: options.schema, ownsConnection: true });
}
export { postgresDriver } from './driver.ts';
