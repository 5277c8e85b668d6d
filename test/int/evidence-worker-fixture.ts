/**
 * An evidence world for the worker suites: real cases in PostgreSQL, department gateways on loopback ports in
 * front of the demo library, the platform's certificates, the base library for cross-checks, and BullMQ on Redis.
 */
import { createDemoLibraryProvider, demoCertificateLookup } from '../../adapters/evidence/index.ts';
import { createErrandCertificateProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { createPlatformRequestSigner, type PlatformRequestSigner } from '../../adapters/evidence/index.ts';
import type { EvidenceProvider } from '../../domain/ports/evidence.ts';
import { createProviderRouter } from '../../adapters/evidence/index.ts';
import { createEvidenceWorker, type EvidenceWorker, type EvidenceWorkerOptions } from '../../adapters/evidence/index.ts';
import { startEmbeddedGateways, type EmbeddedGateways } from '../../adapters/gateway/index.ts';
import { createBullMQQueue } from '../../adapters/queue/bullmq/index.ts';
import type { JobQueue } from '../../domain/ports/queue.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { demoLibrary, shippedCatalogue } from '../contract/evidence-fixtures.ts';
import { openCaseWorld, type CaseWorld } from './evidence-case-fixture.ts';

export interface EvidenceWorld {
  cases: CaseWorld;
  queue: JobQueue;
  signer: PlatformRequestSigner;
  gateways: EmbeddedGateways;
  /** Departments' providers keyed by code, to build routers with some gateways swapped. */
  library: EvidenceProvider;
  routerWith(overrides?: Record<string, EvidenceProvider>): EvidenceProvider;
  startWorker(options?: Partial<EvidenceWorkerOptions>): EvidenceWorker;
  close(): Promise<void>;
}

export interface WorldOptions {
  redisUrl?: string;
  /** Short locks let a stalled job (its worker killed) be redelivered within a test. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Wraps the departments' library, e.g. to add latency or hold a call. */
  wrapLibrary?: (library: EvidenceProvider) => EvidenceProvider;
}

export async function openEvidenceWorld(label: string, options: WorldOptions = {}): Promise<EvidenceWorld & { database: TestDatabase; prefix: string; platformKey: ReturnType<typeof generateSigningKey> }> {
  const catalogue = shippedCatalogue();
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const database = await createTestDatabase(label);
  const cases = await openCaseWorld(database.url);
  const prefix = testPrefix(label);
  const queue = createBullMQQueue({ redisUrl, prefix, onError: () => undefined, lockDurationMs: options.lockDurationMs, stalledIntervalMs: options.stalledIntervalMs });
  const key = generateSigningKey('platform-test');
  const signer = createPlatformRequestSigner({ privateKey: key.privateKey, kid: key.kid });
  const plain = createDemoLibraryProvider({ library: demoLibrary(), catalogue });
  const library = options.wrapLibrary ? options.wrapLibrary(plain) : plain;
  const gateways = await startEmbeddedGateways({ catalogue, library, signer, timeoutMs: 2000 });
  const errand = createErrandCertificateProvider({ catalogue, lookup: demoCertificateLookup(demoLibrary()) });
  const secondary = { provider: createDemoLibraryProvider({ library: demoLibrary(), catalogue, copy: 'secondary' }), items: ['household-registration', 'business-registration'] };
  const workers: EvidenceWorker[] = [];

  const world = {
    database,
    prefix,
    platformKey: key,
    cases,
    queue,
    signer,
    gateways,
    library,
    routerWith: (overrides: Record<string, EvidenceProvider> = {}) => createProviderRouter({ catalogue, gateways: { ...gateways.providers, ...overrides }, errand }),
    startWorker(options: Partial<EvidenceWorkerOptions> = {}) {
      const worker = createEvidenceWorker({
        queue,
        router: world.routerWith(),
        catalogue,
        handle: (command) => cases.handler.handle(command),
        clock: systemClock,
        timeoutMs: 2000,
        attempts: 3,
        backoffMs: 20,
        secondarySource: secondary,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await queue.close();
      await gateways.close();
      await cases.close();
      await database.drop();
      if (redisUrl === TEST_REDIS_URL) await deleteKeysWithPrefix(redisUrl, prefix);
    },
  };
  return world;
}

/** Polls until the check passes; fails with the last value seen. Bounded wait, not a timing assertion. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}
