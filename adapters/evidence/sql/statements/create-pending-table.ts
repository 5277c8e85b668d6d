import type pg from 'pg';
import { PENDING_TABLE, qualified } from '../tables.ts';

/** Records a department announced but has not synchronised yet: answered as "not yet available". */
export async function createPendingTable(client: pg.ClientBase, schema: string): Promise<void> {
  const table = qualified(schema, PENDING_TABLE);
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (data_item text NOT NULL, subject_id text NOT NULL, available_after text NOT NULL, PRIMARY KEY (data_item, subject_id))`);
}
