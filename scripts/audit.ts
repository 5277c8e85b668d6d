/**
 * Audit trail verification from the command line, against the read store the environment configures (DATABASE_URL /
 * READ_DATABASE_URL PostgreSQL, MONGO_URL, else the embedded PGlite under DATA_DIR):
 *
 *   npm run audit -- verify [--json]
 *
 * Reads the serving version of the audit trail in seq order, a page at a time, and checks every link of the hash
 * chain and the head. Prints "chain intact: N entries", or the first broken link and exits 1.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReadStore } from '../adapters/read-store/port.ts';
import { verifyStoredChain } from '../projections/audit/index.ts';
import { runIfMain } from './run-if-main.ts';

const USAGE = 'usage: audit verify [--json]';

export interface AuditCliDeps {
  readStore: ReadStore;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function runAuditCommand(args: string[], deps: AuditCliDeps): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'verify') {
    deps.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const verdict = await verifyStoredChain(deps.readStore);
  if (rest.includes('--json')) deps.stdout.write(`${JSON.stringify(verdict)}\n`);
  else if (verdict.ok) deps.stdout.write(`chain intact: ${verdict.checked} entries\n`);
  else {
    const broken = verdict.firstBroken!;
    deps.stdout.write(`chain broken at seq ${broken.seq} (id ${broken.id}): ${broken.reason}; ${verdict.checked} entries before it are intact\n`);
  }
  return verdict.ok ? 0 : 1;
}

async function openReadStore(): Promise<{ readStore: ReadStore; close(): Promise<void> }> {
  const { loadConfig } = await import('../adapters/config/index.ts');
  const { createMongoReadStore, createPGliteReadStore, createPostgresReadStore } = await import('../adapters/read-store/index.ts');
  const config = loadConfig();
  if (config.readStore.kind === 'postgres') {
    const readStore = createPostgresReadStore({ connectionString: config.readStore.url, maxConnections: 2 });
    return { readStore, close: () => readStore.close() };
  }
  if (config.readStore.kind === 'mongodb') {
    const readStore = createMongoReadStore({ url: config.readStore.url });
    return { readStore, close: () => readStore.close() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  // The same directory the engine keeps its embedded database in (adapters/runtime/stores.ts). Not created here: an
  // empty new database would "verify" as an intact trail of 0 entries when DATA_DIR is simply wrong.
  const dir = resolve(join(config.dataDir, 'pglite'));
  if (!existsSync(dir)) throw new Error(`no embedded database at ${dir}; set DATA_DIR, or DATABASE_URL for PostgreSQL`);
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  const readStore = createPGliteReadStore({ pglite });
  return {
    readStore,
    async close() {
      await readStore.close();
      await pglite.close();
    },
  };
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] !== 'verify') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const opened = await openReadStore();
  try {
    return await runAuditCommand(argv, { readStore: opened.readStore, stdout: process.stdout, stderr: process.stderr });
  } finally {
    await opened.close();
  }
}

runIfMain(import.meta.url, 'audit', main);
