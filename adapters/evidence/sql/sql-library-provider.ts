/**
 * Answers from a shared data library in PostgreSQL (共享数据库), laid out by seedSqlLibrary: one table per data
 * item. Only the requested columns are ever selected, so fields nobody asked for never leave the database.
 */
import type pg from 'pg';
import { createPgPool } from '../../pg-pool.ts';
import type { DataCatalogue } from '../../../domain/catalogue/index.ts';
import { subjectKeyOf } from '../../../domain/evidence/index.ts';
import { allowedItem, throwIfAborted } from '../allowed-item.ts';
import { EvidenceRefusedError, ProviderUnavailableError, type EvidenceProvider, type EvidenceRequest, type EvidenceResult, type FetchOptions } from '../../../domain/ports/evidence.ts';
import { selectPending } from './statements/select-pending.ts';
import { selectRecord } from './statements/select-record.ts';
import { DEFAULT_LIBRARY_SCHEMA } from './tables.ts';

export interface SqlLibraryProviderOptions {
  catalogue: DataCatalogue;
  /** Either a connection string (the provider owns its pool) or a pool someone else closes. */
  connectionString?: string;
  pool?: pg.Pool;
  schema?: string;
  name?: string;
  /** Pool size when the provider creates the pool; default 10. */
  maxConnections?: number;
  /** How long opening a connection, or waiting for a free one, may take when the provider makes its own pool (default 30 s). */
  connectTimeoutMs?: number;
  now?: () => Date;
}

const UNDEFINED_TABLE = '42P01';

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

export function createSqlLibraryProvider(options: SqlLibraryProviderOptions): EvidenceProvider {
  if (!options.pool && !options.connectionString) throw new Error('createSqlLibraryProvider needs a connectionString or a pool');
  const owned = !options.pool;
  const pool = options.pool ?? createPgPool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, applicationName: 'errand-evidence-library', connectTimeoutMs: options.connectTimeoutMs });
  const schema = options.schema ?? DEFAULT_LIBRARY_SCHEMA;
  const name = options.name ?? 'sql-library';
  const now = options.now ?? (() => new Date());

  return {
    name,
    async fetch(request: EvidenceRequest, fetchOptions: FetchOptions = {}): Promise<EvidenceResult> {
      throwIfAborted(fetchOptions.signal, name);
      const item = allowedItem(options.catalogue, request, undefined);
      const key = subjectKeyOf(item);
      if (!key) throw new EvidenceRefusedError(item.provider, `data item "${item.id}" has no field identifying its subject`);
      try {
        const availableAfter = await selectPending(pool, schema, item.id, request.subject.id);
        if (availableAfter !== null) return { status: 'not_yet_available', provider: item.provider, availableAfter };
        const row = await selectRecord(pool, schema, item, key, request.subject.id, request.fields);
        throwIfAborted(fetchOptions.signal, name);
        if (!row) return { status: 'no_match', provider: item.provider };
        return { status: 'found', fields: row, provider: item.provider, retrievedAt: now().toISOString() };
      } catch (error) {
        if (error instanceof ProviderUnavailableError) throw error;
        if (codeOf(error) === UNDEFINED_TABLE) throw new EvidenceRefusedError(item.provider, `${name} holds no records of data item "${item.id}"`);
        throw new ProviderUnavailableError(item.provider, `${name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
