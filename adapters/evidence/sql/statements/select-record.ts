import type pg from 'pg';
import type { DataItem } from '../../../../domain/catalogue/index.ts';
import type { SubjectKey } from '../../../../domain/evidence/index.ts';
import { ident, qualified, tableOf } from '../tables.ts';

/** Only the requested columns of the subject's record (the latest one when there are several), or null. */
export async function selectRecord(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  item: DataItem,
  key: SubjectKey,
  subjectId: string,
  fields: readonly string[],
): Promise<Record<string, unknown> | null> {
  const columns = fields.map(ident).join(', ');
  const where = key.fields.map((f) => `${ident(f)} = $1`).join(' OR ');
  const order = key.latestBy ? ` ORDER BY ${ident(key.latestBy)} COLLATE "C" DESC NULLS LAST, row_id ASC` : '';
  const result = await db.query(`SELECT ${columns} FROM ${qualified(schema, tableOf(item))} WHERE ${where}${order} LIMIT 1`, [subjectId]);
  return (result.rows[0] as Record<string, unknown> | undefined) ?? null;
}
