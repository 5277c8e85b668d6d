import { existsSync, statSync } from 'node:fs';
import { loadNotificationConfig, type NotificationConfig } from '../notifications/index.ts';

/**
 * Every setting comes from the environment and is checked before anything starts, so a typo stops the process with
 * one line naming the variable instead of failing later somewhere deep.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type ProcessRole = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: LogLevel;
  role: ProcessRole;
  timeZone: string;
  /** `settleHeap`: PG_SETTLE_HEAP, on unless a transaction-pooling proxy stands in front (adapters/pg-pool.ts). */
  eventStore: { kind: 'pglite' } | { kind: 'postgres'; url: string; settleHeap: boolean } | { kind: 'eventstoredb'; url: string };
  readStore: { kind: 'pglite' } | { kind: 'postgres'; url: string } | { kind: 'mongodb'; url: string };
  queue: { kind: 'in-process' } | { kind: 'bullmq'; url: string; prefix: string };
  /**
   * Where workers take the leases that give each projection and reactor one runner: PostgreSQL advisory locks (with
   * any PostgreSQL), Redis keys with expiry (EventStoreDB events with no PostgreSQL, or LEASES=redis), or within the
   * process (the embedded default, or nothing else to hold them: run one worker).
   */
  leases: 'postgres' | 'redis' | 'in-process';
  evidence: {
    /** Department code -> gateway base URL; departments not listed are answered by the SQL library or the demo one. */
    gateways: Record<string, string>;
    sqlLibraryUrl: string | null;
    demoLibrary: boolean;
    /**
     * Department code -> how hard its system may be asked: at most `max` calls per `durationMs` across all workers
     * (the queue's limiter), `concurrency` at once per worker (default 10). Departments not listed are not limited.
     */
    limits: Record<string, { max: number; durationMs: number; concurrency: number }>;
  };
  auth: {
    issuer: string;
    audience: string;
    /** Path of a JWKS file with the public keys accepted for RS256 / ES256. */
    keysFile: string | null;
    /** HS256 only when explicitly enabled, for development. */
    hs256Secret: string | null;
    devSignIn: boolean;
  };
  http: { bodyLimitBytes: number; rateLimitPerMinute: number; trustProxy: boolean };
  /**
   * Who may scrape /metrics: the bearer of `token`, or anyone reaching the separate listener on `port` (bound to
   * HOST). With neither, /metrics is open on the embedded default only and answers 404 otherwise.
   */
  metrics: { token: string | null; port: number | null; open: boolean };
  shutdownTimeoutMs: number;
  demoData: boolean;
  /** Holiday arrangements: a directory of REGION-YEAR.json files (null: the bundled one), re-read every rescanMs (0: never). */
  calendar: { dir: string | null; rescanMs: number };
  /** Email (SMTP_URL), SMS (SMS_URL) and the link base (PUBLIC_URL) of notifications. */
  notifications: NotificationConfig;
  /**
   * Personal data protection: the master key file (subject keys are wrapped by it; default DATA_DIR/keys/
   * privacy-keys.json, made when missing) and whether personal values are sealed before append (default on).
   */
  privacy?: { keysFile: string | null; encryption: boolean };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string, got: string | undefined) {
    super(`${variable}: expected ${expected}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`, raw);
  }
  return raw;
}

/** A directory that exists now, so a typo stops the start instead of leaving deadlines on weekends only. */
function directory(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === undefined) return null;
  if (!existsSync(raw) || !statSync(raw).isDirectory()) throw new ConfigError(name, 'an existing directory', raw);
  return raw;
}

/** "PSB=http://psb.example:8080,AMR=http://amr.example" */
function gatewayMap(env: Env, name: string): Record<string, string> {
  const raw = text(env, name);
  if (raw === undefined) return {};
  const map: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    const match = /^\s*([A-Z][A-Z0-9_]{1,15})\s*=\s*(https?:\/\/\S+)\s*$/.exec(entry);
    if (!match) throw new ConfigError(name, 'DEPT=http(s)://host[:port] pairs separated by commas', raw);
    map[match[1]!] = match[2]!;
  }
  return map;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_WINDOW_MS = 24 * 86_400_000;

/** `PSB=20/1s,HRSS=300/1m:4`: at most 20 calls a second to PSB; 300 a minute to HRSS, 4 at once per worker. */
function departmentLimits(env: Env, name: string): Config['evidence']['limits'] {
  const raw = text(env, name);
  if (raw === undefined) return {};
  const expected = 'DEPT=MAX/DURATION[:CONCURRENCY] separated by commas, e.g. PSB=20/1s,HRSS=300/1m:4 (units ms, s, m, h; a window of at most 24 days)';
  const limits: Config['evidence']['limits'] = {};
  for (const entry of raw.split(',')) {
    const match = /^\s*([A-Z][A-Z0-9_]{1,15})\s*=\s*(\d{1,7})\s*\/\s*(\d{1,7})(ms|s|m|h)\s*(?::\s*(\d{1,4}))?\s*$/.exec(entry);
    const [max, amount, concurrency] = [Number(match?.[2]), Number(match?.[3]), match?.[5] === undefined ? 10 : Number(match[5])];
    const durationMs = amount * (DURATION_UNITS[match?.[4] ?? ''] ?? Number.NaN);
    // Timers hold at most 2^31 - 1 ms (24.8 days): a longer window would fire at once, over and over.
    if (!match || max < 1 || amount < 1 || concurrency < 1 || limits[match[1]!] || !(durationMs <= MAX_WINDOW_MS)) throw new ConfigError(name, expected, raw);
    limits[match[1]!] = { max, durationMs, concurrency };
  }
  return limits;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres', 'postgresql']);
  const eventStoreUrl = url(env, 'EVENTSTORE_URL', ['esdb', 'esdb+discover', 'kurrentdb', 'kurrent']);
  const mongoUrl = url(env, 'MONGO_URL', ['mongodb', 'mongodb+srv']);
  const redisUrl = url(env, 'REDIS_URL', ['redis', 'rediss']);
  const readDatabaseUrl = url(env, 'READ_DATABASE_URL', ['postgres', 'postgresql']) ?? databaseUrl;
  const embedded = !databaseUrl && !eventStoreUrl;
  const hs256Secret = text(env, 'AUTH_HS256_SECRET') ?? null;
  if (hs256Secret !== null && hs256Secret.length < 32) {
    throw new ConfigError('AUTH_HS256_SECRET', 'at least 32 characters', '(hidden)');
  }
  const timeZone = text(env, 'TIMEZONE') ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError('TIMEZONE', 'an IANA time zone such as Asia/Shanghai', timeZone);
  }
  const metricsToken = text(env, 'METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN', 'at least 16 characters', '(hidden)');
  const redisPrefix = text(env, 'QUEUE_PREFIX') ?? 'errand';
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(redisPrefix)) throw new ConfigError('QUEUE_PREFIX', 'letters, digits, - or _', redisPrefix);

  const postgresForLeases = Boolean(databaseUrl && !eventStoreUrl) || Boolean(readDatabaseUrl && !mongoUrl);
  const leasesAsked = text(env, 'LEASES') === undefined ? null : oneOf(env, 'LEASES', ['postgres', 'redis', 'in-process'] as const, 'in-process');
  if (leasesAsked === 'redis' && !redisUrl) throw new ConfigError('LEASES', 'REDIS_URL to be set for redis', leasesAsked);
  if (leasesAsked === 'postgres' && !postgresForLeases) throw new ConfigError('LEASES', 'DATABASE_URL or READ_DATABASE_URL for postgres', leasesAsked);
  const leases = leasesAsked ?? (postgresForLeases ? 'postgres' : eventStoreUrl && redisUrl ? 'redis' : 'in-process');

  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    dataDir: text(env, 'DATA_DIR') ?? './data',
    logLevel: oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
    role: oneOf(env, 'ROLE', ['all', 'api', 'worker'] as const, 'all'),
    timeZone,
    eventStore: eventStoreUrl
      ? { kind: 'eventstoredb', url: eventStoreUrl }
      : databaseUrl
        ? { kind: 'postgres', url: databaseUrl, settleHeap: bool(env, 'PG_SETTLE_HEAP', true) }
        : { kind: 'pglite' },
    readStore: mongoUrl
      ? { kind: 'mongodb', url: mongoUrl }
      : readDatabaseUrl
        ? { kind: 'postgres', url: readDatabaseUrl }
        : { kind: 'pglite' },
    queue: redisUrl ? { kind: 'bullmq', url: redisUrl, prefix: redisPrefix } : { kind: 'in-process' },
    leases,
    evidence: {
      gateways: gatewayMap(env, 'GATEWAY_URLS'),
      sqlLibraryUrl: url(env, 'EVIDENCE_SQL_URL', ['postgres', 'postgresql']) ?? null,
      demoLibrary: bool(env, 'DEMO_LIBRARY', embedded || !text(env, 'EVIDENCE_SQL_URL')),
      limits: departmentLimits(env, 'EVIDENCE_LIMITS'),
    },
    auth: {
      issuer: text(env, 'JWT_ISSUER') ?? 'errand',
      audience: text(env, 'JWT_AUDIENCE') ?? 'errand-api',
      keysFile: text(env, 'JWT_KEYS_FILE') ?? null,
      hs256Secret,
      devSignIn: bool(env, 'AUTH_DEV_SIGNIN', embedded),
    },
    http: {
      bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 52_428_800),
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      trustProxy: bool(env, 'TRUST_PROXY', false),
    },
    metrics: { token: metricsToken, port: text(env, 'METRICS_PORT') === undefined ? null : integer(env, 'METRICS_PORT', 0, 1, 65535), open: embedded },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 120_000),
    demoData: bool(env, 'DEMO_DATA', embedded),
    calendar: { dir: directory(env, 'CALENDAR_DIR'), rescanMs: integer(env, 'CALENDAR_RESCAN_MS', 600_000, 0, 86_400_000) },
    notifications: loadNotificationConfig(env),
    privacy: { keysFile: text(env, 'PRIVACY_KEYS_FILE') ?? null, encryption: bool(env, 'PERSONAL_DATA_ENCRYPTION', true) },
  };
}
