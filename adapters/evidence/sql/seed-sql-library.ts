/**
 * Creates the shared data library schema (one table per data item of the catalogue, plus the pending records)
 * and loads a library into it, in one transaction: a reader sees the old library or the new one, never half.
 */
import pg from 'pg';
import type { DataCatalogue } from '../../../domain/catalogue/index.ts';
import type { DemoLibrary } from '../../../domain/evidence/demo-library/types.ts';
import { loadDataCatalogue } from '../../files/index.ts';
import { createItemTable } from './statements/create-item-table.ts';
import { createPendingTable } from './statements/create-pending-table.ts';
import { insertPending } from './statements/insert-pending.ts';
import { insertRows } from './statements/insert-rows.ts';
import { DEFAULT_LIBRARY_SCHEMA, ident } from './tables.ts';

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
  const client = new pg.Client({ connectionString });
  await client.connect();
  const report: SeedReport = { schema, rows: {}, pending: pending.length };
  try {
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    for (const item of catalogue.list()) {
      // Items the library has no records of get no table: the provider then says it does not hold them.
      const rows = records[item.id];
      if (!rows) continue;
      await createItemTable(client, schema, item);
      await insertRows(client, schema, item, rows);
      report.rows[item.id] = rows.length;
    }
    await createPendingTable(client, schema);
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
