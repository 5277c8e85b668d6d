import { pino, type Logger } from 'pino';
import type { PGlite } from '@electric-sql/pglite';
import type { Calendar } from '../../domain/calendar/index.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import { createCommandHandler, type CommandHandler, type CommandResult, type HandleOptions } from '../../workflows/index.ts';
import type { Config } from '../config/index.ts';
import { loadDataCatalogue, loadServiceCatalogue, openCalendarDirectory } from '../files/index.ts';
import { createCalendarRefresh, type CalendarRefresh } from './calendar-refresh.ts';
import { createJobQueue, type JobQueue, type Worker } from '../queue/index.ts';
import { createMemoryHitCounter, createRedisHitCounter, type HitCounter } from '../rate-limit/index.ts';
import { createFilesystemUploadStore, createPostgresUploadStore, type UploadStore } from '../uploads/index.ts';
import { enqueueEvidenceJob } from '../evidence/index.ts';
import { createCaseJobsReactor, type CaseJobsReactor } from '../reactors/case-jobs-reactor.ts';
import { startTimerWorker } from '../reactors/timer-worker.ts';
import { createCatalogueRepository, type CatalogueRepository } from './catalogue-repository.ts';
import { createEnvironmentFactory } from './decide-environment.ts';
import { openStores, type Stores } from './stores.ts';

/** One retry budget for enqueueing and processing: the worker records 'provider_down' on the last attempt. */
export const EVIDENCE_RETRIES = { attempts: 5, backoffMs: 500 };

export interface EngineOptions {
  clock?: Clock;
  logger?: Logger;
  /** Share an embedded database (tests start one per run). */
  pglite?: PGlite;
  /** Queue override (tests pass a BullMQ queue with their own prefix). */
  queue?: JobQueue;
  /** Rate-limit counter override; by default Redis when the queue is BullMQ, else this process's memory. */
  hitCounter?: HitCounter;
  /** Upload store override; by default PostgreSQL when DATABASE_URL is set, else files under DATA_DIR/uploads. */
  uploads?: UploadStore;
  /** Extra background parts started with the workers (evidence worker, projection runner), stopped in reverse. */
  backgroundParts?: Array<(engine: Engine) => Promise<{ stop(): Promise<void> }>>;
  onCaseTransition?: (result: CommandResult, previousStatus: string) => void;
}

export interface Engine {
  config: Config;
  logger: Logger;
  clock: Clock;
  stores: Stores;
  queue: JobQueue;
  /** Where the API's rate limit counts, shared by every API process when Redis is configured. */
  hitCounter: HitCounter;
  /** The files citizens upload, shared by every API process when PostgreSQL holds the events. */
  uploads: UploadStore;
  dataCatalogue: DataCatalogue;
  catalogue: CatalogueRepository;
  calendar(region: string): Calendar;
  /** Re-reads CALENDAR_DIR now; open cases get their due dates recomputed when a file changed. */
  calendars: Pick<CalendarRefresh, 'rescan'>;
  commands: Pick<CommandHandler, 'load'> & { handle(command: CaseCommand, options?: HandleOptions): Promise<CommandResult> };
  reactor: CaseJobsReactor;
  /** Starts reactors, workers and projections (the worker role); the API role does not call it. */
  startBackground(): Promise<void>;
  stop(): Promise<void>;
}

/** The composition root: every port gets the adapter the configuration names, and the pure core is bound to them. */
export async function createEngine(config: Config, options: EngineOptions = {}): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'errand' } });
  const dataCatalogue = loadDataCatalogue();
  const serviceCatalogue = loadServiceCatalogue(dataCatalogue);
  const calendarDirectory = openCalendarDirectory(config.calendar.dir ?? undefined);
  const calendar = (region: string): Calendar => calendarDirectory.calendar(region);

  const stores = await openStores(config, { pglite: options.pglite });
  const catalogue = createCatalogueRepository({ catalogue: serviceCatalogue, eventStore: stores.eventStore });
  await catalogue.refresh();
  const queue = options.queue ?? createJobQueue(config.queue, clock);
  const hitCounter = options.hitCounter ?? (await openHitCounter(config, logger));
  const uploads =
    options.uploads ??
    (config.eventStore.kind === 'postgres' ? await createPostgresUploadStore({ connectionString: config.eventStore.url }) : createFilesystemUploadStore(config.dataDir));
  const handler = createCommandHandler({
    events: stores.eventStore,
    services: catalogue,
    clock,
    environment: createEnvironmentFactory({ calendar, dataCatalogue, timeZone: config.timeZone }),
    onAppended: options.onCaseTransition,
    appendReportsReplays: stores.eventStore.kind !== 'eventstoredb',
  });
  const commands = {
    load: handler.load,
    async handle(command: CaseCommand, handleOptions?: HandleOptions) {
      await catalogue.ensureFresh();
      return handler.handle(command, handleOptions);
    },
  };
  const reactor = createCaseJobsReactor({
    eventStore: stores.eventStore,
    readStore: stores.readStore,
    queue,
    clock,
    timeZone: config.timeZone,
    calendar,
    loadCase: (caseId) => handler.load(caseId),
    enqueueEvidence: async (payload) => {
      await enqueueEvidenceJob(queue, payload, EVIDENCE_RETRIES);
    },
    onError: (error) => logger.warn({ err: error }, 'case-jobs reactor error'),
  });

  const calendarRefresh = createCalendarRefresh({
    directory: calendarDirectory,
    readStore: stores.readStore,
    handle: (command) => commands.handle(command),
    logger,
    rescanMs: config.calendar.rescanMs,
  });

  calendarRefresh.start();

  const running: Array<{ stop(): Promise<void> }> = [];
  let workers: Worker[] = [];
  const engine: Engine = {
    config,
    logger,
    clock,
    stores,
    queue,
    hitCounter,
    uploads,
    dataCatalogue,
    catalogue,
    calendar,
    calendars: calendarRefresh,
    commands,
    reactor,
    async startBackground() {
      workers.push(startTimerWorker({ queue, handle: commands.handle, onRefused: (error) => logger.info({ code: error.code }, 'timer found nothing to do') }));
      await reactor.start();
      // The in-process queue starts empty and Redis may have been flushed: rebuild every open case's jobs.
      void reactor.resync().then(
        (count) => logger.info({ count }, 'open cases resynchronised'),
        (error: unknown) => logger.error({ err: error }, 'resync failed'),
      );
      for (const part of options.backgroundParts ?? []) running.push(await part(engine));
      void calendarRefresh.recalculateOnChange().then(
        (count) => logger.info({ count }, 'open cases checked against the calendars loaded'),
        (error: unknown) => logger.error({ err: error }, 'due-date check at start failed'),
      );
    },
    async stop() {
      await calendarRefresh.stop();
      for (const part of running.reverse()) await part.stop().catch((error: unknown) => logger.warn({ err: error }, 'stop failed'));
      running.length = 0;
      await reactor.stop();
      await Promise.allSettled(workers.map((w) => w.close()));
      workers = [];
      await queue.close();
      await hitCounter.close();
      await uploads.close();
      await stores.close();
    },
  };
  return engine;
}

/** Redis errors repeat on every reconnect attempt; one line a minute says enough. */
const HIT_COUNTER_ERROR_EVERY_MS = 60_000;

async function openHitCounter(config: Config, logger: Logger): Promise<HitCounter> {
  if (config.queue.kind !== 'bullmq') return createMemoryHitCounter();
  let lastLogged = 0;
  return createRedisHitCounter({
    url: config.queue.url,
    prefix: config.queue.prefix,
    onError: (error) => {
      if (Date.now() - lastLogged < HIT_COUNTER_ERROR_EVERY_MS) return;
      lastLogged = Date.now();
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate-limit counter cannot reach Redis; requests pass uncounted meanwhile');
    },
  });
}
