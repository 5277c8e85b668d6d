import type pg from 'pg';
import { ACCESS_LOG_TABLE, migrateGateway } from '../../migrations.ts';

export { ACCESS_LOG_TABLE };

/** Brings the gateway's schema (access log included) up to date through the shared runner. */
export async function migrateAccessLog(pool: pg.Pool): Promise<void> {
  await migrateGateway(pool);
}
