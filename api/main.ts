/**
 * `npm start`: one process serving the API and pages and running the workers (ROLE=all, the embedded default), or
 * only one of them (ROLE=api / ROLE=worker) when several processes share PostgreSQL and Redis in production.
 */
import { ConfigError, loadConfig, type Config } from '../adapters/config/index.ts';
import { EventStoreUnreachableError } from '../adapters/event-store/index.ts';
import { MongoUnreachableError } from '../adapters/read-store/index.ts';
import { createEngine } from '../runtime/engine.ts';
import { createDemoLegalEntityRegistry } from '../adapters/legal-entities/index.ts';
import { FolderInUseError } from '../runtime/folder-lock.ts';
import { ClockSkewError } from '../runtime/clock-check.ts';
import { projectionPart } from '../runtime/projection-part.ts';
import { evidencePart } from '../runtime/evidence-part.ts';
import { certificateExpiryPart } from '../runtime/certificate-expiry-part.ts';
import { logHeadsPart } from '../adapters/log-heads/publisher.ts';
import { generateDemoLibrary } from '../domain/evidence/demo-library/index.ts';
import { demoUsers } from './demo-users.ts';
import { pagesRouter } from './pages/index.ts';
import express from 'express';
import { createMetrics, metricsHandler } from './metrics/index.ts';
import { countTransitions, observeEngine } from './observe.ts';
import { assembleHttp } from './assemble.ts';
import { unusableServer } from './startup-checks.ts';
import { startHttpServer } from './http/index.ts';
import type { ProjectionRunner } from '../projections/index.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`errand: configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const unusable = unusableServer(config);
if (unusable) {
  process.stderr.write(`errand: configuration error: ${unusable}\n`);
  process.exit(1);
}
// Start-up takes seconds (the embedded database, migrations, the demo library): say what is happening meanwhile.
const step = (text: string) => process.stdout.write(`errand: ${text}\n`);

let projections: ProjectionRunner | null = null;
// One generated shared-data library serves the evidence providers and names the demo citizens one can sign in as.
if (config.evidence.demoLibrary) step('generating the demo shared-data library (1,000+ people, 200+ enterprises)');
const library = config.evidence.demoLibrary ? generateDemoLibrary() : null;
const metrics = createMetrics();
step(config.eventStore.kind === 'pglite' ? `opening the embedded database under ${config.dataDir} and applying migrations` : `connecting to the ${config.eventStore.kind} event store and applying migrations`);
const engine = await createEngine(config, {
  onCaseTransition: countTransitions(metrics),
  ...(library ? { legalEntities: createDemoLegalEntityRegistry(library) } : {}),
  backgroundParts: [projectionPart((runner) => (projections = runner)), evidencePart({ library: library ?? undefined }), logHeadsPart(), certificateExpiryPart()],
}).catch((error: unknown) => {
  // A refusal the operator can act on (a store that does not answer, a folder another process holds) gets one
  // line, not a stack trace.
  if (error instanceof MongoUnreachableError) {
    process.stderr.write(`errand: cannot start: MONGO_URL: ${error.message}\n`);
    process.exit(1);
  }
  if (!(error instanceof FolderInUseError) && !(error instanceof EventStoreUnreachableError) && !(error instanceof ClockSkewError)) throw error;
  process.stderr.write(`errand: cannot start: ${error.message}\n`);
  process.exit(1);
});
const { logger } = engine;
if (config.role !== 'api') {
  step('starting projections, timers and the evidence worker');
  await engine.startBackground();
}

let server: Awaited<ReturnType<typeof startHttpServer>> | null = null;
let metricsServer: Awaited<ReturnType<typeof startHttpServer>> | null = null;
if (config.role !== 'worker') {
  observeEngine(metrics, engine, () => projections);
  const http = assembleHttp(engine, {
    metrics,
    projections: () => projections,
    devUsers: config.demoData ? demoUsers(library, engine.dataCatalogue) : [],
    pages: pagesRouter({ dataCatalogue: () => engine.dataCatalogue }),
  });
  server = await startHttpServer(http.app, { port: config.port, host: config.host, shutdownTimeoutMs: config.shutdownTimeoutMs });
  if (config.metrics.port !== null) {
    const scrape = express();
    scrape.get('/metrics', metricsHandler(metrics, { token: config.metrics.token, open: true }));
    metricsServer = await startHttpServer(scrape, { port: config.metrics.port, host: config.host, shutdownTimeoutMs: config.shutdownTimeoutMs });
  }
  logger.info({ port: server.port, host: config.host, role: config.role, eventStore: config.eventStore.kind, queue: config.queue.kind }, 'errand listening');
  process.stdout.write(`Errand is running on http://${config.host}:${server.port}/ (API at /api/v1, OpenAPI at /api/v1/openapi.json)\n`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Past the limit the process exits anyway: an orchestrator's SIGKILL would come next, and nothing is lost since
  // every effect is in the event store and every job is re-derived on start.
  const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
  try {
    await server?.close();
    await metricsServer?.close();
    await engine.stop();
  } finally {
    clearTimeout(force);
  }
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
