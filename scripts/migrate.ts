/**
 * `npm run migrate`: brings every PostgreSQL schema Errand uses up to date, then exits. In production it runs once
 * per release as the schema owner (deploy/), before the API and workers start as a role that may append to the log
 * but never change it. It also makes the platform's evidence-signing key under DATA_DIR/evidence if there is none,
 * so department gateways started next find the platform's public key.
 */
import { loadConfig } from '../adapters/config/index.ts';
import { createPersistentPlatformSigner } from '../adapters/evidence/http/platform-signer.ts';
import { createPostgresAccessLog } from '../adapters/gateway/access-log/index.ts';
import { createPostgresReplayCache } from '../adapters/gateway/replay-cache/postgres-replay-cache.ts';
import { openStores } from '../adapters/runtime/stores.ts';
import { createPostgresUploadStore } from '../adapters/uploads/index.ts';
import { runIfMain } from './run-if-main.ts';

export async function migrate(env: NodeJS.ProcessEnv = process.env, say: (line: string) => void = () => undefined): Promise<void> {
  const config = loadConfig(env);
  if (config.eventStore.kind !== 'postgres') throw new Error('npm run migrate needs DATABASE_URL (PostgreSQL); the embedded default migrates itself on start');
  say('event store and read store');
  const stores = await openStores(config);
  await stores.close();
  say('uploads');
  await (await createPostgresUploadStore({ connectionString: config.eventStore.url })).close();
  say('gateway access log and replay cache');
  await (await createPostgresAccessLog({ connectionString: config.eventStore.url, department: 'ALL' })).close?.();
  await (await createPostgresReplayCache({ connectionString: config.eventStore.url, department: 'ALL' })).close();
  createPersistentPlatformSigner({ dataDir: config.dataDir });
  say('platform evidence-signing key');
}

runIfMain(import.meta.url, 'migrate', async () => {
  await migrate(process.env, (line) => process.stdout.write(`migrate: ${line}\n`));
  process.stdout.write('migrate: done\n');
  return 0;
});
