import type pg from 'pg';
import { PENDING_TABLE, qualified } from '../tables.ts';

/** Records a department announced but has not synchronised yet: answered as "not yet available". Emptied before a load. */
export async function clearPendingTable(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`DELETE FROM ${qualified(schema, PENDING_TABLE)}`);
}
