import { pino, type Logger } from 'pino';
import type { PGlite } from '@electric-sql/pglite';
import type { Calendar } from '../domain/calendar/index.ts';
import type { DataCatalogue } from '../domain/catalogue/index.ts';
import type { CaseCommand } from '../domain/case/commands.ts';
import { systemClock, type Clock } from '../domain/time/clock.ts';
import { createCommandHandler, type CommandHandler, type CommandResult, type HandleOptions } from '../workflows/index.ts';
import type { Config } from '../adapters/config/index.ts';
import { CALENDAR_DATA_DIR, loadYears, openCalendarSource, readCatalogueDirectory, type CalendarDirectory } from '../adapters/files/index.ts';
import { catalogueMarks } from '../domain/privacy/personal-data.ts';
import { createCalendarRefresh, type CalendarRefresh } from './calendar-refresh.ts';
import type { JobQueue, Worker } from '../adapters/queue/index.ts';
import type { HitCounter } from '../adapters/rate-limit/index.ts';
import { createFilesystemUploadStore, type UploadStore } from '../adapters/uploads/index.ts';
import { enqueueEvidenceJob } from '../adapters/evidence/index.ts';
import { createSandboxPaymentProvider, type PaymentProvider } from '../adapters/payments/index.ts';
import { noLegalEntityRegistry, type LegalEntityRegistry } from '../adapters/legal-entities/index.ts';
import { startLeaseKeeper, type LeasedWork, type LeaseKeeper, type LeaseManager } from '../adapters/lease/index.ts';
import { CASE_JOBS_REACTOR, createCaseJobsReactor, type CaseJobsReactor } from '../adapters/reactors/case-jobs-reactor.ts';
import { startTimerWorker } from '../adapters/reactors/timer-worker.ts';
import { startPaymentWorker } from '../adapters/reactors/payment-worker.ts';
import { startReconciler, type Reconciler, type ReconcilerOptions } from '../adapters/reactors/reconciler.ts';
import { createCatalogueRepository, type CatalogueRepository } from './catalogue-repository.ts';
import { followingCatalogue } from './catalogue-following-store.ts';
import { createCatalogueAdmin, type CatalogueAdmin } from './catalogue-admin.ts';
import { createEnvironmentFactory } from './decide-environment.ts';
import { openStores, type Stores } from './stores.ts';
import { createPostgresUploadStore } from './lazy-adapters.ts';
import { openHitCounter, openJobQueue, openLeases } from './shared-services.ts';

export { openJobQueue } from './shared-services.ts';
import { checkClockAtStart, postgresClockCheck, type ClockCheck } from './clock-check.ts';
import { createNotifications, type NotificationOverrides, type Notifications } from './notification-part.ts';
import { createShredder, type Shredder } from '../adapters/privacy/shredder.ts';
import { createPrivacyCommands, type PrivacyCommands } from '../adapters/privacy/erasure.ts';
import { runRetention, startRetentionJob, type RetentionDeps, type RetentionRun } from '../adapters/privacy/retention-job.ts';
import { readStoreShredRebuilds } from '../adapters/privacy/shred-rebuilds.ts';
import { activeCollection } from '../projections/runner/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION } from '../projections/views/case-view/index.ts';
import { requestRebuild } from '../projections/runner/index.ts';
import { randomUUID } from 'node:crypto';

/** The projections whose documents hold personal values (statistics hold counts only). */
export const PERSONAL_READ_MODELS = ['case-view', 'citizen-cases', 'work-queue', 'audit-trail', 'data-use', 'erasure-requests'] as const;

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
  /** Payment provider override; by default the in-process sandbox, whose demo wallet pays at once. */
  payments?: PaymentProvider;
  /** The legal-entity base data representatives are checked against; by default none (nobody applies as one). */
  legalEntities?: LegalEntityRegistry;
  /** Extra background parts started with the workers (evidence worker, projection runner), stopped in reverse. */
  backgroundParts?: Array<(engine: Engine) => Promise<BackgroundPart>>;
  /** Lease manager override; by default PostgreSQL advisory locks when a PostgreSQL database is configured. */
  leases?: LeaseManager;
  /** How often a worker looks for free leases and rebalances (default 1000 ms): bounds the takeover after a crash. */
  leaseIntervalMs?: number;
  onCaseTransition?: (result: CommandResult, previousStatus: string) => void;
  /** How often the worker re-derives every open case's jobs, and checks whether Redis lost them (tests shorten both). */
  reconcile?: Pick<ReconcilerOptions, 'periodMs' | 'epochCheckMs' | 'retryMs' | 'maxRetryMs'>;
  /**
   * This host's clock against the database server's, checked before anything starts (runtime/clock-check.ts).
   * Default: Date.now against the PostgreSQL of DATABASE_URL or READ_DATABASE_URL; none on the embedded database
   * (one host, one clock) or without PostgreSQL. Tests that move `clock` need not touch this: it reads Date.now.
   */
  clockCheck?: ClockCheck | false;
  /** Notification senders and outbox timing (tests); by default from SMTP_URL / SMS_URL. */
  notifications?: NotificationOverrides;
}

/** A background part; `leased` jobs run in one worker process at a time, under a lease (projections). */
export interface BackgroundPart {
  stop(): Promise<void>;
  leased?: LeasedWork[];
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
  /** Where fees are paid and refunded (收费). */
  payments: PaymentProvider;
  /** 法人库: who represents an enterprise (agents applying as legal representatives). */
  legalEntities: LegalEntityRegistry;
  /** The data catalogue in force (departments, data items, sharing): follows publications in the catalogue store. */
  dataCatalogue: DataCatalogue;
  catalogue: CatalogueRepository;
  /** Drafts, review, publication, import and export of the catalogue. */
  catalogueAdmin: CatalogueAdmin;
  calendar(region: string): Calendar;
  /** Re-reads CALENDAR_DIR now; open cases get their due dates recomputed when a file changed. */
  calendars: Pick<CalendarRefresh, 'rescan'>;
  commands: Pick<CommandHandler, 'load' | 'check'> & { handle(command: CaseCommand, options?: HandleOptions): Promise<CommandResult> };
  reactor: CaseJobsReactor;
  /** The notification outbox and its senders; the outbox runs as a leased job of the worker role. */
  notifications: Notifications;
  /** Crypto-shredding of subject keys (erasure requests, retention, administrators). */
  shredder: Shredder;
  /** Erasure requests and decisions, legal holds. */
  privacy: PrivacyCommands;
  /** One retention pass now (the worker also runs it daily as a durable timer). */
  retention: { run(today?: string): Promise<RetentionRun> };
  /** The leased jobs this process runs now (after startBackground). */
  leasesHeld(): string[];
  /** Starts reactors, workers and projections (the worker role); the API role does not call it. */
  startBackground(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root: every port gets the adapter the configuration names, and the pure core is bound to them.
 * Adapters that load a client library (pg, PGlite, mongoose, the EventStoreDB client, BullMQ, ioredis) are imported
 * only once the configuration selects them (lazy-adapters.ts).
 */
export async function createEngine(config: Config, options: EngineOptions = {}): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'errand' } });
  const clockCheck = options.clockCheck ?? postgresClockCheck(config);
  if (clockCheck) await checkClockAtStart(clockCheck, logger);
  const calendarDir = config.calendar.dir ?? CALENDAR_DATA_DIR;
  // Read before anything opens, so a broken holiday file stops the start with its name, as it always did.
  const calendarFiles = loadYears(calendarDir);
  let calendarDirectory: CalendarDirectory | null = null;
  const calendar = (region: string): Calendar => {
    if (!calendarDirectory) throw new Error('the calendars are not loaded yet');
    return calendarDirectory.calendar(region);
  };

  // Which values are personal is the catalogue's to say, and the catalogue lives in a store opened with the others:
  // the marks look it up when an event is sealed or opened, by then it is open (an unknown field counts as personal).
  let catalogueRef: CatalogueRepository | null = null;
  const marks = catalogueMarks({
    formField: (service, name) => catalogueRef?.catalogue.get(service.serviceId, service.serviceVersion)?.form.find((f) => f.name === name),
    dataField: (item, name) => catalogueRef?.dataCatalogue.get(item)?.fields.find((f) => f.name === name),
  });
  const stores = await openStores(config, { pglite: options.pglite, marks });
  const catalogue = createCatalogueRepository({ store: stores.catalogueStore, eventStore: stores.eventStore, seedFiles: () => readCatalogueDirectory(), clock });
  catalogueRef = catalogue;
  await catalogue.open();
  const dataCatalogue = catalogue.dataCatalogue;
  const catalogueAdmin = createCatalogueAdmin({ repository: catalogue, clock });
  // Holiday arrangements live in the catalogue store; a year's file dropped into CALENDAR_DIR is published there
  // (at start and on each rescan), and every process builds its calendars from what the store holds.
  await catalogueAdmin.syncCalendarFiles(calendarFiles);
  const calendarSource = openCalendarSource(() => catalogue.calendarYears(), calendarDir);
  calendarDirectory = calendarSource;
  // Projections and reactors read the catalogue too, without a command to refresh it first: follow the store.
  let catalogueWarnedAt = 0;
  const catalogueFollower = setInterval(() => {
    catalogue.refresh().catch((error: unknown) => {
      // During an outage every round fails: one line a minute says enough.
      if (Date.now() - catalogueWarnedAt < 60_000) return;
      catalogueWarnedAt = Date.now();
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'catalogue refresh failed; retrying');
    });
  }, 2000);
  catalogueFollower.unref();
  const queue = options.queue ?? (await openJobQueue(config.queue, clock));
  const hitCounter = options.hitCounter ?? (await openHitCounter(config, logger));
  const uploads =
    options.uploads ??
    (config.eventStore.kind === 'postgres'
      ? await createPostgresUploadStore({ connectionString: config.eventStore.url })
      : createFilesystemUploadStore(config.dataDir));
  const environment = createEnvironmentFactory({ calendar, dataCatalogue, timeZone: config.timeZone });
  const handler = createCommandHandler({
    events: stores.eventStore,
    services: catalogue,
    clock,
    environment,
    onAppended: options.onCaseTransition,
    appendReportsReplays: stores.eventStore.kind !== 'eventstoredb',
  });
  const commands = {
    load: handler.load,
    async check(command: CaseCommand, handleOptions?: HandleOptions) {
      await catalogue.ensureFresh();
      return handler.check(command, handleOptions);
    },
    async handle(command: CaseCommand, handleOptions?: HandleOptions) {
      await catalogue.ensureFresh();
      return handler.handle(command, handleOptions);
    },
  };
  const calendarRefresh = createCalendarRefresh({
    directory: calendarSource,
    beforeRescan: async () => {
      await catalogueAdmin.syncCalendarFiles(loadYears(calendarDir));
      await catalogue.refresh();
    },
    readStore: stores.readStore,
    load: async (caseId) => {
      await catalogue.ensureFresh();
      return handler.load(caseId);
    },
    handle: (command) => commands.handle(command),
    environment: (definition) => environment(definition, clock.now()),
    logger,
    rescanMs: config.calendar.rescanMs,
  });

  const reactor = createCaseJobsReactor({
    eventStore: followingCatalogue(stores.eventStore, catalogue),
    readStore: stores.readStore,
    queue,
    clock,
    timeZone: config.timeZone,
    calendar,
    loadCase: (caseId, atLeast) => handler.load(caseId, { atLeast }),
    // A limit set by a process on calendars since replaced, or a case the last pass did not list: recomputed here.
    recheckLimits: (state) => calendarRefresh.recheck(state),
    enqueueEvidence: async (payload, _jobId, replaceFinished) => {
      // Derived from the log: the material is still fetching, so a finished job under its id never took effect.
      await enqueueEvidenceJob(queue, payload, { ...EVIDENCE_RETRIES, replaceFinished, subjectFromCase: true });
    },
    onError: (error) => logger.warn({ err: error }, 'case-jobs reactor error'),
  });

  const notifications = await createNotifications(config, { stores, catalogue, clock, logger }, options.notifications);

  calendarRefresh.start();

  const running: Array<{ stop(): Promise<void> }> = [];
  let workers: Worker[] = [];
  let keeper: LeaseKeeper | null = null;
  let leases: LeaseManager | null = null;
  let reconciler: Reconciler | null = null;
  let retention: { arm(): Promise<void> } | null = null;
  // The case-jobs reactor follows the log and writes its checkpoint: one process at a time. The timer and evidence
  // workers are queue consumers, which BullMQ already hands each job to one of, so every worker runs them.
  const reactorWork: LeasedWork = {
    name: CASE_JOBS_REACTOR,
    async start(token) {
      await reactor.start(token);
      // The in-process queue starts empty and Redis may have been flushed: the lease holder rebuilds every open
      // case's jobs now, again whenever Redis lost its contents, and periodically; a failed pass is retried.
      reconciler = startReconciler({
        ...options.reconcile,
        // The daily retention timer lives on the queue too: arming it again is a no-op while it is there, and after a
        // flush it is the only way back (its handler arms the next day's, and a lost job has no handler to run).
        resync: async () => {
          await retention?.arm();
          return engine.reactor.resync();
        },
        epoch: () => queue.epoch(),
        onPass: ({ reason, cases }) => logger.info({ reason, count: cases }, 'open cases resynchronised'),
        onError: (error, reason) => logger.warn({ reason, err: error instanceof Error ? error.message : String(error) }, 'resync failed; retrying'),
      });
    },
    async stop() {
      await reconciler?.stop();
      reconciler = null;
      await reactor.stop();
    },
  };
  const shredder = createShredder({
    eventStore: stores.eventStore,
    keys: stores.keys,
    uploads,
    clock,
    timeZone: config.timeZone,
    // Read models that hold personal values are rebuilt from the log, where the shredded values now read "erased".
    // Afresh: a rebuild running now may have read them before, so another is owed after it.
    rebuilds: readStoreShredRebuilds(stores.readStore, async () => {
      for (const name of PERSONAL_READ_MODELS) await requestRebuild(stores.readStore, name, randomUUID(), clock.now(), { afresh: true });
    }),
  });
  const retentionDeps: RetentionDeps = {
    queue,
    clock,
    timeZone: config.timeZone,
    eventStore: stores.eventStore,
    async closedCases(offset, limit) {
      const collection = await activeCollection(stores.readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: CASE_VIEW_VERSION });
      const found = await stores.readStore.find(collection, { where: { open: false }, orderBy: [{ field: 'caseId', direction: 'asc' }], limit, offset });
      return found.items.map((doc) => String(doc.caseId));
    },
    schedule: (serviceId, version) => catalogue.get(serviceId, version)?.retention,
    shredder,
    logger,
  };
  const engine: Engine = {
    shredder,
    privacy: createPrivacyCommands({ eventStore: stores.eventStore, keys: stores.keys, shredder, clock, timeZone: config.timeZone }),
    retention: { run: (today) => runRetention(retentionDeps, today) },
    config,
    logger,
    clock,
    stores,
    queue,
    hitCounter,
    uploads,
    payments: options.payments ?? createSandboxPaymentProvider({ clock, autoConfirm: true }),
    legalEntities: options.legalEntities ?? noLegalEntityRegistry,
    dataCatalogue,
    catalogue,
    catalogueAdmin,
    calendar,
    calendars: calendarRefresh,
    commands,
    reactor,
    notifications,
    leasesHeld: () => keeper?.held() ?? [],
    async startBackground() {
      workers.push(startTimerWorker({ queue, handle: commands.handle, onRefused: (error) => logger.info({ code: error.code }, 'timer found nothing to do') }));
      workers.push(startPaymentWorker({
        queue,
        payments: engine.payments,
        clock,
        load: async (caseId) => {
      await catalogue.ensureFresh();
      return handler.load(caseId);
    },
        handle: commands.handle,
        onRefused: (error, payload) => logger.error({ code: error.code, caseId: payload.caseId, err: error.message }, 'closing payment orders: the case refused what the provider answered; retried'),
      }));
      const retentionJob = startRetentionJob(retentionDeps);
      workers.push(retentionJob.worker);
      await retentionJob.arm();
      retention = retentionJob;
      // A shredding whose process stopped before asking for the rebuilds it owed: asked for now, not at 02:00.
      await shredder.rebuilds.resume().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not look for rebuilds a shredding owes; the next retention pass looks again'));
      const leased: LeasedWork[] = [reactorWork, notifications.work];
      for (const part of options.backgroundParts ?? []) {
        const started = await part(engine);
        running.push(started);
        leased.push(...(started.leased ?? []));
      }
      leases = options.leases ?? (await openLeases(config, logger, stores.readStore));
      keeper = startLeaseKeeper({ leases, work: leased, logger, intervalMs: options.leaseIntervalMs });
      // The first round before returning, so a lone worker (the embedded default) runs everything once started.
      await keeper.tick();
      logger.info({ leases: keeper.held() }, 'background work started');
      // A failure is logged by the pass itself, and the pass is owed until the next rescan gets it through.
      void calendarRefresh.recalculateOnChange().then(
        (count) => logger.info({ count }, 'open cases checked against the calendars loaded'),
        () => undefined,
      );
    },
    async stop() {
      clearInterval(catalogueFollower);
      await calendarRefresh.stop();
      await keeper?.stop();
      keeper = null;
      await leases?.close().catch((error: unknown) => logger.warn({ err: error }, 'closing leases failed'));
      leases = null;
      for (const part of running.reverse()) await part.stop().catch((error: unknown) => logger.warn({ err: error }, 'stop failed'));
      running.length = 0;
      await Promise.allSettled(workers.map((w) => w.close()));
      workers = [];
      await notifications.close();
      await queue.close();
      await hitCounter.close();
      await uploads.close();
      await stores.close();
    },
  };
  return engine;
}
