/**
 * A department's evidence gateway as its own process, in front of the department's data:
 *
 *   tsx scripts/gateway.ts --department PSB --port 4001 --platform-jwks platform.jwks.json [--key psb-key.json]
 *                          [--sql-url postgres://... | --seed 20260301] [--access-log-url postgres://...]
 *                          [--host 127.0.0.1] [--delay-ms 0]
 *
 * --platform-jwks  public keys of the platform's request signer (GATEWAY_PLATFORM_JWKS); requests signed by
 *                  anything else are refused.
 * --key            the gateway's private signing key, a JWK with "kid" or a PEM file (GATEWAY_KEY_FILE). Without
 *                  it a key is generated for this run only; its public half is printed and served at
 *                  /.well-known/jwks.json, and the platform must be given it.
 * --sql-url        answer from the shared SQL library (EVIDENCE_SQL_URL); otherwise from the demo library.
 * --access-log-url keep the access log in PostgreSQL (GATEWAY_ACCESS_LOG_URL); otherwise in memory.
 * --delay-ms       add latency to every answer, to simulate a remote department (benches, demos).
 *
 * Prints one JSON line when listening: {"department","url","kid","publicJwk"}. Logs go to stderr without personal
 * data. SIGTERM / SIGINT close it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createDemoLibraryProvider } from '../adapters/evidence/demo/demo-library-provider.ts';
import { generateSigningKey, publicJwk, toPrivateKey, type PublicKeySetInput } from '../adapters/evidence/http/keys.ts';
import type { EvidenceProvider } from '../adapters/evidence/port.ts';
import { createSqlLibraryProvider } from '../adapters/evidence/sql/sql-library-provider.ts';
import { loadDataCatalogue } from '../adapters/files/index.ts';
import { createMemoryAccessLog, createPostgresAccessLog, createGatewayApp, listen } from '../adapters/gateway/index.ts';
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
  },
});

function fail(message: string): never {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(2);
}

const department = values.department ?? fail('--department is required, e.g. --department PSB');
const catalogue = loadDataCatalogue();
if (!catalogue.department(department)) fail(`department "${department}" is not in the data catalogue`);
const jwksFile = values['platform-jwks'] ?? process.env.GATEWAY_PLATFORM_JWKS ?? fail('--platform-jwks (or GATEWAY_PLATFORM_JWKS) is required');
const platformKeys = JSON.parse(readFileSync(jwksFile, 'utf8')) as PublicKeySetInput;

const keyFile = values.key ?? process.env.GATEWAY_KEY_FILE;
let signingKey: { kid: string; privateKey: ReturnType<typeof toPrivateKey> };
if (keyFile) {
  const text = readFileSync(keyFile, 'utf8');
  const jwk = text.trimStart().startsWith('{') ? (JSON.parse(text) as { kid?: string }) : null;
  signingKey = { kid: jwk?.kid ?? `${department}-gateway`, privateKey: toPrivateKey(jwk ?? text) };
} else {
  const generated = generateSigningKey(`${department}-gateway-${Date.now().toString(36)}`);
  signingKey = { kid: generated.kid, privateKey: generated.privateKey };
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'errand-gateway' } }, pino.destination(2));
const sqlUrl = values['sql-url'] ?? process.env.EVIDENCE_SQL_URL;
const base: EvidenceProvider = sqlUrl
  ? createSqlLibraryProvider({ connectionString: sqlUrl, catalogue })
  : createDemoLibraryProvider({ library: generateDemoLibrary(values.seed ? { seed: Number(values.seed) } : {}), catalogue, department });
const delayMs = Number(values['delay-ms']);
const library: EvidenceProvider =
  delayMs > 0 ? { name: base.name, fetch: async (request, options) => (await new Promise((r) => setTimeout(r, delayMs)), base.fetch(request, options)) } : base;
const accessLogUrl = values['access-log-url'] ?? process.env.GATEWAY_ACCESS_LOG_URL;
const accessLog = accessLogUrl ? await createPostgresAccessLog({ connectionString: accessLogUrl, department }) : createMemoryAccessLog();

const app = createGatewayApp({
  department,
  catalogue,
  library,
  platformPublicKeys: platformKeys,
  platformIssuer: values['platform-issuer'] ?? process.env.JWT_ISSUER,
  gatewaySigningKey: signingKey,
  logger,
  accessLog,
});
const server = await listen(app, Number(values.port), values.host);
process.stdout.write(`${JSON.stringify({ department, url: server.url, kid: signingKey.kid, publicJwk: publicJwk(signingKey.kid, signingKey.privateKey) })}\n`);
logger.info({ url: server.url, library: base.name, accessLog: accessLogUrl ? 'postgres' : 'memory' }, 'gateway listening');

async function shutdown(): Promise<void> {
  await server.close();
  await base.close?.();
  await accessLog.close?.();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
