import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { createDemoLegalEntityRegistry, type LegalEntityRegistry } from '../../adapters/legal-entities/index.ts';
import type { PaymentProvider } from '../../adapters/payments/index.ts';
import { evidencePart } from '../../runtime/evidence-part.ts';
import { certificateExpiryPart } from '../../runtime/certificate-expiry-part.ts';
import { projectionPart } from '../../runtime/projection-part.ts';
import { generateDemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import type { DemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import { assembleHttp } from '../../api/assemble.ts';
import { demoUsers } from '../../api/demo-users.ts';
import { startHttpServer } from '../../api/http/index.ts';
import { createMetrics } from '../../api/metrics/index.ts';
import { validateAgainstOpenApi, type OpenApiDocument } from '../../api/openapi/index.ts';
import { countTransitions, observeEngine } from '../../api/observe.ts';
import type { ProjectionRunner } from '../../projections/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { createTestMongoDatabase, type TestMongoDatabase } from './mongo.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { TEST_REDIS_URL, testPrefix } from './redis.ts';
import { deleteKeysWithPrefix } from './redis-server.ts';

let sharedLibrary: DemoLibrary | undefined;
export const demoLibrary = (): DemoLibrary => (sharedLibrary ??= generateDemoLibrary());

export interface ApiOptions {
  /** false: do not check the answer against the OpenAPI document. */
  contract?: boolean;
}

/** Served by the router but not operations of the document (the document itself, the dev-only sign-in). */
const OUTSIDE_THE_DOCUMENT = new Set(['/openapi.json', '/dev/sign-in']);

export interface RunningErrand {
  engine: Engine;
  baseUrl: string;
  openapi: () => Promise<Record<string, unknown>>;
  signIn(userId: string): Promise<string>;
  /**
   * fetch against /api/v1 with a token; JSON bodies are serialised. Every answer is checked against the OpenAPI
   * document and a mismatch throws, so each e2e suite also checks the contract; `{ contract: false }` skips that for
   * a deliberately malformed request the document cannot describe.
   */
  api(token: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>, options?: ApiOptions): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/**
 * A whole Errand over HTTP on real PostgreSQL and Redis (BullMQ), with projections and the evidence worker running:
 * what end-to-end tests talk to. Each call gets its own database, Redis prefix and data directory. `mongoServer`
 * (a MONGO_URL) puts the read models in a fresh database there instead of PostgreSQL. `embedded: true` runs the
 * embedded default instead (PGlite under the data directory, in-process queue), as `npm start` does. `legalEntities`
 * replaces the legal-entity base data (by default the demo library's), e.g. one a spec changes under a running case.
 */
export async function startErrand(
  label: string,
  options: { clock?: Clock; legalEntities?: LegalEntityRegistry; env?: Record<string, string>; pages?: Router; mongoServer?: string; embedded?: boolean; gatewayDelayMs?: number; payments?: PaymentProvider; logger?: Logger } = {},
): Promise<RunningErrand> {
  const db: TestDatabase | null = options.embedded ? null : await createTestDatabase(label);
  const mongo: TestMongoDatabase | undefined = options.mongoServer ? createTestMongoDatabase(options.mongoServer, label) : undefined;
  const prefix = testPrefix(label);
  const dataDir = mkdtempSync(join(tmpdir(), `errand-${label}-`));
  const config = loadConfig({
    ...(db ? { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } : { DEMO_DATA: 'false' }),
    DATA_DIR: dataDir,
    AUTH_DEV_SIGNIN: 'true',
    DEMO_LIBRARY: 'true',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...(mongo ? { MONGO_URL: mongo.url } : {}),
    ...options.env,
  });
  const library = demoLibrary();
  let runner: ProjectionRunner | null = null;
  const metrics = createMetrics({ processMetrics: false });
  const engine = await createEngine(config, {
    clock: options.clock,
    logger: options.logger,
    onCaseTransition: countTransitions(metrics),
    legalEntities: options.legalEntities ?? createDemoLegalEntityRegistry(library),
    ...(options.payments ? { payments: options.payments } : {}),
    backgroundParts: [projectionPart((r) => (runner = r)), evidencePart({ library, timeoutMs: 3000, gatewayDelayMs: options.gatewayDelayMs }), certificateExpiryPart({ checkEveryMs: 500 })],
  });
  await engine.startBackground();
  observeEngine(metrics, engine, () => runner);
  const http = assembleHttp(engine, { metrics, projections: () => runner, devUsers: demoUsers(library, engine.dataCatalogue), pages: options.pages });
  const server = await startHttpServer(http.app, { port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${server.port}`;

  let document: OpenApiDocument | undefined;
  const contractDocument = async (): Promise<OpenApiDocument> =>
    (document ??= (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDocument);

  async function api(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, options: ApiOptions = {}) {
    const isBuffer = Buffer.isBuffer(body);
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && !isBuffer ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isBuffer ? (body as Buffer) : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined;
    if (options.contract !== false && !OUTSIDE_THE_DOCUMENT.has(path.split('?')[0]!)) {
      const verdict = validateAgainstOpenApi(await contractDocument(), method, `/api/v1${path}`, response.status, parsed);
      if (!verdict.valid) {
        throw new Error(`${method} ${path} answered ${response.status} outside the OpenAPI document: ${JSON.stringify(verdict.errors)}\n${text.slice(0, 2000)}`);
      }
    }
    return { status: response.status, headers: response.headers, body: parsed ?? {} };
  }

  return {
    engine,
    baseUrl,
    openapi: async () => (await api(null, 'GET', '/openapi.json')).body,
    async signIn(userId) {
      const response = await api(null, 'POST', '/dev/sign-in', { userId });
      if (response.status !== 200) throw new Error(`sign-in as ${userId} failed: ${JSON.stringify(response.body)}`);
      return String(response.body.token);
    },
    api,
    async stop() {
      await server.close();
      await engine.stop();
      await mongo?.drop();
      if (db) {
        await db.drop();
        await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until the check returns a value; for projections and workers that catch up asynchronously. */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
