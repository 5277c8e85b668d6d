import type pg from 'pg';
import type { DataItem } from '../../../../domain/catalogue/index.ts';
import { columnType, ident, qualified, tableOf } from '../tables.ts';

/** Loads every row in one statement: the rows travel as one JSON document and are unpacked by the server. */
export async function insertRows(client: pg.ClientBase, schema: string, item: DataItem, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  const names = item.fields.map((f) => ident(f.name)).join(', ');
  const shape = item.fields.map((f) => `${ident(f.name)} ${columnType(f)}`).join(', ');
  await client.query(
    `INSERT INTO ${qualified(schema, tableOf(item))} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${shape})`,
    [JSON.stringify(rows)],
  );
}
