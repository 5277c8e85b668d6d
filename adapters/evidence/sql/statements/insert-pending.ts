import type pg from 'pg';
import type { PendingRecord } from '../../../../domain/evidence/demo-library/index.ts';
import { PENDING_TABLE, qualified } from '../tables.ts';

export async function insertPending(client: pg.ClientBase, schema: string, pending: readonly PendingRecord[]): Promise<void> {
  if (pending.length === 0) return;
  await client.query(
    `INSERT INTO ${qualified(schema, PENDING_TABLE)} (data_item, subject_id, available_after)
     SELECT "dataItem", "subjectId", "availableAfter" FROM jsonb_to_recordset($1::jsonb) AS r("dataItem" text, "subjectId" text, "availableAfter" text)`,
    [JSON.stringify(pending)],
  );
}
