/**
 * A department's evidence gateway as its own process, in front of the department's data:
 *
 *   tsx scripts/gateway.ts --department PSB --port 4001
 *        [--data-dir ./data] [--platform-jwks platform.jwks.json] [--key psb-key.json | --ephemeral-key]
 *        [--sql-url postgres://... | --seed 20260301] [--access-log-url postgres://...] [--host 127.0.0.1] [--delay-ms 0]
 *
 * --data-dir       DATA_DIR, default ./data: where the exchange keeps its keys (adapters/evidence/http/key-files.ts).
 * --platform-jwks  public keys of the platform's request signer (GATEWAY_PLATFORM_JWKS); by default
 *                  <data-dir>/evidence/platform.jwks.json, which the platform writes on its first start. Requests
 *                  signed by anything else are refused.
 * --key            the gateway's private signing key, a JWK with "kid" or a PEM file (GATEWAY_KEY_FILE); by default
 *                  <data-dir>/evidence/gateway-<DEPT>-key.json, created on first start, its public half written to
 *                  gateway-<DEPT>.jwks.json for the platform to pin. --ephemeral-key: a new key for this run only.
 * --sql-url        answer from the shared SQL library (EVIDENCE_SQL_URL); otherwise from the demo library.
 * --access-log-url keep the access log, and the ids of requests already answered, in PostgreSQL
 *                  (GATEWAY_ACCESS_LOG_URL), so several instances of one department's gateway share both; otherwise
 *                  in files under <data-dir>: the log in gateways/<DEPT>/access-log.jsonl, a folder one process
 *                  at a time may hold.
 * --delay-ms       add latency to every answer, to simulate a remote department (benches, demos).
 *
 * --department takes a comma-separated list to host several departments' gateways in one process (demos and
 * benches simulating remote departments): one app, port (--port and the ports after it, or any free ones for 0)
 * and generated key each; --key is then refused.
 *
 * Prints one JSON line per gateway when listening: {"department","url","kid","publicJwk"}. Logs go to stderr
 * without personal data. SIGTERM / SIGINT close it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createDemoLibraryProvider } from '../adapters/evidence/index.ts';
import { gatewayKeyFiles, loadOrCreateSigningKey, platformKeyFiles, readJwksFile } from '../adapters/evidence/index.ts';
import { generateSigningKey, publicJwk, toPrivateKey } from '../adapters/jose/index.ts';
import type { EvidenceProvider } from '../domain/ports/evidence.ts';
import { createSqlLibraryProvider } from '../adapters/evidence/sql/index.ts';
import { loadDataCatalogue } from '../adapters/files/index.ts';
import { createFileAccessLog, createFileReplayCache, createGatewayApp, listen, type AccessLog } from '../adapters/gateway/index.ts';
import { lockFolder } from '../runtime/folder-lock.ts';
import { createPostgresAccessLog } from '../adapters/gateway/access-log/postgres/index.ts';
import { createPostgresReplayCache } from '../adapters/gateway/replay-cache/postgres/index.ts';
import { generateDemoLibrary } from '../domain/evidence/demo-library/index.ts';

const { values } = parseArgs({
  options: {
    department: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'platform-jwks': { type: 'string' },
    'platform-issuer': { type: 'string' },
    key: { type: 'string' },
    'sql-url': { type: 'string' },
    seed: { type: 'string' },
    'access-log-url': { type: 'string' },
    'delay-ms': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'ephemeral-key': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(2);
}

const departments = (values.department ?? fail('--department is required, e.g. --department PSB')).split(',').map((d) => d.trim());
const catalogue = loadDataCatalogue();
for (const department of departments) if (!catalogue.department(department)) fail(`department "${department}" is not in the data catalogue`);
const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
const jwksFile = values['platform-jwks'] ?? process.env.GATEWAY_PLATFORM_JWKS ?? platformKeyFiles(dataDir).jwks;
const platformKeys =
  readJwksFile(jwksFile) ?? fail(`no platform keys at ${jwksFile}: start the platform once (it writes them) or give --platform-jwks`);
const keyFile = values.key ?? process.env.GATEWAY_KEY_FILE;
if (keyFile && departments.length > 1) fail('--key names one department\'s key; give one --department with it');

function signingKeyFor(department: string): { kid: string; privateKey: ReturnType<typeof toPrivateKey> } {
  if (keyFile) {
    const text = readFileSync(keyFile, 'utf8');
    const jwk = text.trimStart().startsWith('{') ? (JSON.parse(text) as { kid?: string }) : null;
    return { kid: jwk?.kid ?? `${department}-gateway`, privateKey: toPrivateKey(jwk ?? text) };
  }
  if (values['ephemeral-key']) {
    const generated = generateSigningKey(`${department}-gateway-${Date.now().toString(36)}`);
    return { kid: generated.kid, privateKey: generated.privateKey };
  }
  return loadOrCreateSigningKey(gatewayKeyFiles(dataDir, department), `${department}-gateway`);
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'errand-gateway' } }, pino.destination(2));
const sqlUrl = values['sql-url'] ?? process.env.EVIDENCE_SQL_URL;
const demo = sqlUrl ? null : generateDemoLibrary(values.seed ? { seed: Number(values.seed) } : {});
const accessLogUrl = values['access-log-url'] ?? process.env.GATEWAY_ACCESS_LOG_URL;
const delayMs = Number(values['delay-ms']);
const closers: Array<() => Promise<void>> = [];

for (const [index, department] of departments.entries()) {
  const signingKey = signingKeyFor(department);
  const base: EvidenceProvider = demo
    ? createDemoLibraryProvider({ library: demo, catalogue, department })
    : createSqlLibraryProvider({ connectionString: sqlUrl as string, catalogue });
  const library: EvidenceProvider =
    delayMs > 0 ? { name: base.name, fetch: async (request, options) => (await new Promise((r) => setTimeout(r, delayMs)), base.fetch(request, options)) } : base;
  // With --access-log-url the replay cache below is in the same database: a delivery and its kept answer are one write.
  // Without it the log is a file that outlives a restart, in a folder one process holds: a second gateway of the same
  // department on this data directory would number entries twice and miss the other's replays.
  let release = () => {};
  let accessLog: AccessLog;
  if (accessLogUrl) accessLog = await createPostgresAccessLog({ connectionString: accessLogUrl, department, keepsAnswers: true });
  else {
    const folder = join(dataDir, 'gateways', department);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const remedy = 'stop that gateway first, or run every instance of the department with --access-log-url (PostgreSQL)';
    try {
      const lock = lockFolder(folder, { name: `gateway folder of ${department}`, remedy });
      release = () => lock.release();
      const file = createFileAccessLog({ file: join(folder, 'access-log.jsonl'), department });
      if (file.cutAtOpen > 0) logger.warn({ department, bytes: file.cutAtOpen }, 'access log: the torn last line of an append a crash interrupted was cut off');
      accessLog = file;
    } catch (error) {
      // Held by another process, or a damaged record: said in one line, never served from.
      release();
      fail((error as Error).message);
    }
  }
  // Replay protection outlives a restart either way: in PostgreSQL shared by the department's instances, or in a
  // file under the data directory for a single instance.
  const replays = accessLogUrl
    ? await createPostgresReplayCache({ connectionString: accessLogUrl, department })
    : createFileReplayCache({ file: join(dataDir, 'evidence', `gateway-${department}-replays.log`) });
  const app = createGatewayApp({
    department,
    catalogue,
    library,
    platformPublicKeys: platformKeys,
    platformIssuer: values['platform-issuer'] ?? process.env.JWT_ISSUER,
    gatewaySigningKey: signingKey,
    logger,
    accessLog,
    replays,
  });
  const port = Number(values.port) === 0 ? 0 : Number(values.port) + index;
  const server = await listen(app, port, values.host);
  closers.push(async () => {
    await server.close();
    await base.close?.();
    await accessLog.close?.();
    await replays.close();
    release();
  });
  process.stdout.write(`${JSON.stringify({ department, url: server.url, kid: signingKey.kid, publicJwk: publicJwk(signingKey.kid, signingKey.privateKey) })}\n`);
  logger.info({ department, url: server.url, library: base.name, accessLog: accessLogUrl ? 'postgres' : 'file' }, 'gateway listening');
}

async function shutdown(): Promise<void> {
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
