/**
 * `npm start`: one process serving the API and pages and running the workers (ROLE=all, the embedded default), or
 * only one of them (ROLE=api / ROLE=worker) when several processes share PostgreSQL and Redis in production.
 */
import { ConfigError, loadConfig, type Config } from '../adapters/config/index.ts';
import { EventStoreUnreachableError } from '../adapters/event-store/index.ts';
import { createEngine } from '../adapters/runtime/engine.ts';
import { projectionPart } from '../adapters/runtime/projection-part.ts';
import { evidencePart } from '../adapters/runtime/evidence-part.ts';
import { generateDemoLibrary } from '../domain/evidence/demo-library/index.ts';
import { demoUsers } from './demo-users.ts';
import { pagesRouter } from './pages/index.ts';
import { createMetrics } from './metrics/index.ts';
import { countTransitions, observeEngine } from './observe.ts';
import { assembleHttp } from './assemble.ts';
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

let projections: ProjectionRunner | null = null;
// One generated shared-data library serves the evidence providers and names the demo citizens one can sign in as.
const library = config.evidence.demoLibrary ? generateDemoLibrary() : null;
const metrics = createMetrics();
const engine = await createEngine(config, {
  onCaseTransition: countTransitions(metrics),
  backgroundParts: [projectionPart((runner) => (projections = runner)), evidencePart({ library: library ?? undefined })],
}).catch((error: unknown) => {
  // A store that does not answer at start is an operator's problem to fix, said in one line, not a stack trace.
  if (!(error instanceof EventStoreUnreachableError)) throw error;
  process.stderr.write(`errand: cannot start: ${error.message}\n`);
  process.exit(1);
});
const { logger } = engine;
if (config.role !== 'api') await engine.startBackground();

let server: Awaited<ReturnType<typeof startHttpServer>> | null = null;
if (config.role !== 'worker') {
  observeEngine(metrics, engine, () => projections);
  const http = assembleHttp(engine, {
    metrics,
    projections: () => projections,
    devUsers: config.demoData ? demoUsers(library, engine.dataCatalogue) : [],
    pages: pagesRouter(),
  });
  server = await startHttpServer(http.app, { port: config.port, host: config.host, shutdownTimeoutMs: config.shutdownTimeoutMs });
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
    await engine.stop();
  } finally {
    clearTimeout(force);
  }
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
