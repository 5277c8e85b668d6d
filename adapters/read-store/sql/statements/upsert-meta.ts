import type { Doc } from '../../../../domain/ports/read-store.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function upsertMeta(session: SqlSession, t: Tables, key: string, value: Doc): Promise<void> {
  await session.query(
    `INSERT INTO ${t.meta} (key, value, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}
