import type pg from 'pg';
import type { AccessLogEntry, NewAccessLogEntry } from '../types.ts';
import { entryOf, type AccessLogRow } from './entry-row.ts';
import { ACCESS_LOG_TABLE } from './migrate-access-log.ts';

export async function insertAccessLogEntry(pool: Pick<pg.Pool, 'query'> | pg.PoolClient, e: NewAccessLogEntry): Promise<AccessLogEntry> {
  const result = await pool.query<AccessLogRow>(
    `INSERT INTO ${ACCESS_LOG_TABLE} (at, department, result, status, reason, verified, request_id, issuer, key_id, requester,
       case_id, service_id, legal_basis, subject_type, subject_id, data_item, fields)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING *`,
    [e.at, e.department, e.result, e.status, e.reason, e.verified, e.requestId, e.issuer, e.keyId, e.requester, e.caseId, e.serviceId, e.legalBasis, e.subject?.type ?? null, e.subject?.id ?? null, e.dataItem, e.fields],
  );
  return entryOf(result.rows[0] as AccessLogRow);
}
