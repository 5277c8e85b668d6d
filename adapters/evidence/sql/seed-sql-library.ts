/**
 * Migrates the shared data library's schema (adapters/sql-migrations), then loads a library into it, in one
 * transaction: one table per data item of the catalogue, replaced with its rows, plus the pending records. A reader
 * sees the old library or the new one, never half.
 */
import pg from 'pg';
import { PG_CONNECT_TIMEOUT_MS } from '../../pg-pool.ts';
import type { DataCatalogue } from '../../../domain/catalogue/index.ts';
import type { DemoLibrary } from '../../../domain/evidence/demo-library/index.ts';
import { loadDataCatalogue } from '../../files/index.ts';
import { createItemTable } from './statements/create-item-table.ts';
import { migrateEvidenceLibrary } from './migrations.ts';
import { clearPendingTable } from './statements/clear-pending-table.ts';
import { insertPending } from './statements/insert-pending.ts';
import { insertRows } from './statements/insert-rows.ts';
import { DEFAULT_LIBRARY_SCHEMA } from './tables.ts';

export interface SeedOptions {
  /** Defaults to the shipped data catalogue. */
  catalogue?: DataCatalogue;
  schema?: string;
  /** 'secondary' loads the library's second source (the base library), e.g. into schema "library_secondary". */
  copy?: 'primary' | 'secondary';
}

export interface SeedReport {
  schema: string;
  /** Data item id -> rows loaded. */
  rows: Record<string, number>;
  pending: number;
}

export async function seedSqlLibrary(connectionString: string, library: DemoLibrary, options: SeedOptions = {}): Promise<SeedReport> {
  const catalogue = options.catalogue ?? loadDataCatalogue();
  const schema = options.schema ?? DEFAULT_LIBRARY_SCHEMA;
  const secondary = options.copy === 'secondary';
  const records = secondary ? library.secondary.records : library.records;
  const pending = secondary ? [] : library.pending;
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  await client.connect();
  const report: SeedReport = { schema, rows: {}, pending: pending.length };
  try {
    await migrateEvidenceLibrary(client, schema);
    await client.query('BEGIN');
    for (const item of catalogue.list()) {
      // Items the library has no records of get no table: the provider then says it does not hold them.
      const rows = records[item.id];
      if (!rows) continue;
      await createItemTable(client, schema, item);
      await insertRows(client, schema, item, rows);
      report.rows[item.id] = rows.length;
    }
    await clearPendingTable(client, schema);
    await insertPending(client, schema, pending);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return report;
}
