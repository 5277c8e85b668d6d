import type pg from 'pg';
import type { DataItem } from '../../../../domain/catalogue/index.ts';
import { subjectKeyOf } from '../../../../domain/evidence/index.ts';
import { columnType, ident, qualified, tableOf } from '../tables.ts';

/** (Re)creates the item's table with an index per subject key field. */
export async function createItemTable(client: pg.ClientBase, schema: string, item: DataItem): Promise<void> {
  const table = qualified(schema, tableOf(item));
  const columns = item.fields.map((f) => `${ident(f.name)} ${columnType(f)}`).join(', ');
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (row_id bigserial PRIMARY KEY, ${columns})`);
  for (const key of subjectKeyOf(item)?.fields ?? []) {
    await client.query(`CREATE INDEX ${ident(`${tableOf(item)}_${key}`.slice(0, 63))} ON ${table} (${ident(key)})`);
  }
}
