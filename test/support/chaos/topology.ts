import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPersistentPlatformSigner } from '../../../adapters/evidence/index.ts';
import { freePort } from '../free-port.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../pg-cluster.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../redis-server.ts';
import { startProcess, type ManagedProcess } from './processes.ts';

/** The departments whose gateways run as their own processes; the others are served in-process by the workers. */
export const GATEWAY_DEPARTMENTS = ['PSB', 'HRSS'] as const;
export const HS256_SECRET = 'chaos-suite-hs256-secret-at-least-32-characters';
export const DATABASE = 'errand';
export const QUEUE_PREFIX = 'chaos';

export interface TopologyOptions {
  apis: number;
  workers: number;
  /** Where process logs go; a temporary folder by default (kept when a run fails, for the evidence). */
  logDir?: string;
}

/**
 * The production topology on throwaway servers: a private PostgreSQL cluster (events, read models, uploads, the
 * gateways' access logs), a private redis-server (BullMQ, timers, rate-limit counts), department gateways, API
 * processes (ROLE=api) and worker processes (ROLE=worker), all configured through the environment as in production.
 */
export interface Topology {
  cluster: ThrowawayCluster;
  redis: ThrowawayRedis;
  databaseUrl: string;
  dataDir: string;
  logDir: string;
  apis: ManagedProcess[];
  workers: ManagedProcess[];
  gateways: ManagedProcess[];
  apiUrls: string[];
  all(): ManagedProcess[];
  /** The environment the engine processes run with (the checks open the same stores with it). */
  engineEnv: Record<string, string>;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() });

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const cluster = await startThrowawayCluster();
  const redis = await startThrowawayRedis();
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const databaseUrl = cluster.url(DATABASE);
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-chaos-'));
  const logDir = options.logDir ?? join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // Gateways pin the platform's request-signing key at start; the platform writes it on its first start, so make it
  // now, as an operator would before starting gateways.
  createPersistentPlatformSigner({ dataDir });

  const gateways: ManagedProcess[] = [];
  const gatewayUrls: string[] = [];
  for (const department of GATEWAY_DEPARTMENTS) {
    const port = await freePort();
    gateways.push(
      await startProcess({
        name: `gateway-${department}`,
        kind: 'gateway',
        args: ['scripts/gateway.ts', '--department', department, '--port', String(port), '--data-dir', dataDir, '--access-log-url', databaseUrl],
        env: { ...baseEnv(), LOG_LEVEL: 'warn' },
        ready: (line) => line.startsWith('{') && line.includes('"department"') && line.includes('"url"'),
        logDir,
        readyTimeoutMs: 120_000,
      }),
    );
    gatewayUrls.push(`${department}=http://127.0.0.1:${port}`);
  }

  const engineEnv: Record<string, string> = {
    ...baseEnv(),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX,
    DATA_DIR: dataDir,
    GATEWAY_URLS: gatewayUrls.join(','),
    AUTH_HS256_SECRET: HS256_SECRET,
    AUTH_DEV_SIGNIN: 'false',
    DEMO_DATA: 'false',
    DEMO_LIBRARY: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    NODE_OPTIONS: '--max-old-space-size=256',
  };

  // Workers first: the first one migrates the stores and starts the projections before any request arrives.
  const workers: ManagedProcess[] = [];
  for (let i = 1; i <= options.workers; i++) {
    workers.push(
      await startProcess({
        name: `worker-${i}`,
        kind: 'worker',
        args: ['api/main.ts'],
        env: { ...engineEnv, ROLE: 'worker', LOG_LEVEL: 'info' },
        // Any worker, whatever leases it won: the reconciler's pass only runs where the case-jobs reactor runs.
        ready: (line) => line.includes('"background work started"'),
        logDir,
        readyTimeoutMs: 180_000,
      }),
    );
  }
  const apis: ManagedProcess[] = [];
  const apiUrls: string[] = [];
  for (let i = 1; i <= options.apis; i++) {
    const port = await freePort();
    apis.push(
      await startProcess({
        name: `api-${i}`,
        kind: 'api',
        args: ['api/main.ts'],
        env: { ...engineEnv, ROLE: 'api', PORT: String(port), LOG_LEVEL: 'warn' },
        ready: (line) => line.startsWith('Errand is running'),
        logDir,
        readyTimeoutMs: 180_000,
      }),
    );
    apiUrls.push(`http://127.0.0.1:${port}`);
  }

  const all = () => [...apis, ...workers, ...gateways];
  return {
    cluster,
    redis,
    databaseUrl,
    dataDir,
    logDir,
    apis,
    workers,
    gateways,
    apiUrls,
    all,
    engineEnv,
    async stop(stopOptions = {}) {
      await Promise.allSettled(all().map((p) => p.stop()));
      await redis.stop().catch(() => undefined);
      await cluster.destroy().catch(() => undefined);
      if (!stopOptions.keepLogs) rmSync(dataDir, { recursive: true, force: true });
      else rmSync(join(dataDir, 'evidence'), { recursive: true, force: true });
    },
  };
}
