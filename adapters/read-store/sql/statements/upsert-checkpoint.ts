import type { Checkpoint } from '../../../../domain/events/index.ts';
import type { SqlSession } from '../driver.ts';
import type { Tables } from '../tables.ts';

export async function upsertCheckpoint(session: SqlSession, t: Tables, projection: string, checkpoint: Checkpoint): Promise<void> {
  await session.query(
    `INSERT INTO ${t.checkpoints} (projection, commit_position, prepare_position, link, updated_at)
     VALUES ($1, $2::numeric, $3::numeric, $4, now())
     ON CONFLICT (projection) DO UPDATE
       SET commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position, link = EXCLUDED.link, updated_at = now()`,
    [projection, checkpoint.commit.toString(), checkpoint.prepare.toString(), checkpoint.link ?? null],
  );
}
