import type pg from 'pg';
import { PENDING_TABLE, qualified } from '../tables.ts';

/** The announced date, or null when nothing is pending for this subject and item. */
export async function selectPending(db: pg.Pool | pg.ClientBase, schema: string, dataItem: string, subjectId: string): Promise<string | null> {
  const result = await db.query<{ available_after: string }>(
    `SELECT available_after FROM ${qualified(schema, PENDING_TABLE)} WHERE data_item = $1 AND subject_id = $2`,
    [dataItem, subjectId],
  );
  return result.rows[0]?.available_after ?? null;
}
