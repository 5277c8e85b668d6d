import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster owned by one suite (initdb into a temporary folder, its own port), so restart, outage and
 * dump/restore tests never touch the shared server on 5432 that other suites are using at the same time.
 */
export interface ThrowawayCluster {
  readonly port: number;
  /** Connection URL for a database of this cluster (default `postgres`). */
  url(database?: string): string;
  /** `fast` (clients are told), `immediate` (crash-like: no checkpoint, recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Runs a PostgreSQL client program of the cluster's version (pg_dump, pg_restore, psql) as its owner. */
  tool(name: string, args: readonly string[]): Promise<string>;
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (install the postgresql package)');
}

/** initdb and postgres refuse to run as root; CI and these machines run as root, so run them as `postgres`. */
function asOwner(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

async function ready(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      last = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`throwaway PostgreSQL on port ${port} not ready within ${timeoutMs} ms: ${String(last)}`);
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'errand-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const [initCmd, initArgs] = asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  await run(initCmd, initArgs);

  let running = false;
  const pgCtl = (args: readonly string[]) => {
    const [cmd, full] = asOwner(join(bin, 'pg_ctl'), ['-D', data, ...args]);
    return run(cmd, full);
  };
  // A crashed suite must not leave a server behind: stop it synchronously on exit, as a killed machine would.
  const killOnExit = () => {
    if (!running) return;
    const [cmd, full] = asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
    spawnSync(cmd, full, { stdio: 'ignore' });
  };
  process.once('exit', killOnExit);

  async function start(): Promise<void> {
    // fsync off: these clusters hold test data only, and a loaded CI machine should not wait on the disk for them.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await pgCtl(['-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start']);
    running = true;
    await ready(port, 60_000);
  }

  async function stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!running) return;
    await pgCtl(['-m', mode, '-w', '-t', '120', 'stop']);
    running = false;
  }

  await start();
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
    start,
    async restart(mode) {
      await stop(mode);
      await start();
    },
    async tool(name, args) {
      const [cmd, full] = asOwner(join(bin, name), args);
      const { stdout } = await run(cmd, full, { maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    },
    async destroy() {
      await stop('fast');
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
