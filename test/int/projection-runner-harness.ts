/**
 * What the projection runner's integration suites share: the two SQL stores (and, with MONGO_URL set, PostgreSQL
 * events with a MongoDB or FerretDB read store), fresh per test, and the runner helpers.
 */
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import { createMongoReadStore } from '../../adapters/read-store/mongo/index.ts';
import { createPGliteReadStore } from '../../adapters/read-store/pglite/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import type { ReadStore, ReadStoreTransaction } from '../../domain/ports/read-store.ts';
import { formatCheckpoint, type RecordedEvent } from '../../domain/events/index.ts';
import { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions } from '../../projections/index.ts';
import { createTestMongoDatabase } from '../support/mongo.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { requireEnv } from '../support/skip.ts';
import { readAllEvents } from '../support/read-all.ts';
import { caseProjector, collectingLogger, eventually } from '../unit/projection-runner-fixtures.ts';

export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
  dispose(): Promise<void>;
}

/** Both stores over one database, closed and then the database released. */
function storesOver(eventStore: EventStore, readStore: ReadStore, release: () => Promise<void>): Stores {
  return {
    eventStore,
    readStore,
    async dispose() {
      await eventStore.close();
      await readStore.close();
      await release();
    },
  };
}

export const STORES: Array<{ name: string; open: () => Promise<Stores> }> = [
  {
    name: 'PostgreSQL (event store and read store)',
    async open() {
      const db = await createTestDatabase('projection_runner');
      const eventStore = await createPostgresEventStore({ connectionString: db.url, poolSize: 4 });
      return storesOver(eventStore, createPostgresReadStore({ connectionString: db.url, maxConnections: 4 }), () => db.drop());
    },
  },
  {
    name: 'PGlite (own instance: the shared one holds another suite’s event tables)',
    async open() {
      const pglite = new PGlite();
      return storesOver(await createPGliteEventStore({ pglite }), createPGliteReadStore({ pglite }), () => pglite.close());
    },
  },
  ...mongoStores(),
];

function mongoStores(): Array<{ name: string; open: () => Promise<Stores> }> {
  const server = requireEnv('MONGO_URL', 'projection runner over PostgreSQL events and a MongoDB read store');
  if (!server) return [];
  return [
    {
      name: 'PostgreSQL events and a MongoDB read store (MONGO_URL)',
      async open() {
        const db = await createTestDatabase('projection_runner_mongo');
        const mongo = createTestMongoDatabase(server, 'projection_runner');
        const eventStore = await createPostgresEventStore({ connectionString: db.url, poolSize: 4 });
        return storesOver(eventStore, createMongoReadStore({ url: mongo.url }), async () => {
          await mongo.drop();
          await db.drop();
        });
      },
    },
  ];
}

/** The real read store, with the transaction writes `rewire` returns put in place of the real ones. */
export function rewiredWrites(real: ReadStore, rewire: (tx: ReadStoreTransaction) => Partial<ReadStoreTransaction>): ReadStore {
  return { ...real, transaction: (work) => real.transaction((tx) => work({ ...tx, ...rewire(tx) })) };
}

export interface RunnerHarness {
  readonly stores: Stores;
  readonly logger: ReturnType<typeof collectingLogger>;
  /** Events this test appended; a test appending directly adds its own count. */
  appended: number;
  /** A runner over this test's stores (the case-summary projector unless `projectors` says otherwise). */
  runner(options?: Partial<ProjectionRunnerOptions>): ProjectionRunner;
  /** The whole log, once every event this test appended is visible to readAll. */
  log(): Promise<RecordedEvent[]>;
  head(): Promise<RecordedEvent['checkpoint']>;
  /** Waits until the runner's first projection reports the log's last checkpoint. */
  caughtUp(runner: ProjectionRunner): Promise<Awaited<ReturnType<ProjectionRunner['status']>>[number]>;
}

/** Call inside a describe: fresh stores before each test, every runner stopped and the stores dropped after it. */
export function runnerHarness(open: () => Promise<Stores>): RunnerHarness {
  let stores: Stores | undefined;
  let runners: ProjectionRunner[] = [];
  const logger = collectingLogger();
  // readAll holds back events while any older transaction in the cluster is open (other suites share the server).
  const log = () =>
    eventually(async () => {
      const all = await readAllEvents(harness.stores.eventStore);
      expect(all).to.have.length(harness.appended);
      return all;
    }, 30_000);
  const harness: RunnerHarness = {
    get stores() {
      if (!stores) throw new Error('stores are opened per test');
      return stores;
    },
    logger,
    appended: 0,
    runner(options = {}) {
      const created = createProjectionRunner({
        eventStore: harness.stores.eventStore,
        readStore: harness.stores.readStore,
        projectors: [caseProjector()],
        logger,
        idleMs: 5,
        retryDelayMs: 10,
        dropDelayMs: 0,
        ...options,
      });
      runners.push(created);
      return created;
    },
    log,
    head: async () => (await log()).at(-1)!.checkpoint,
    async caughtUp(runner) {
      const target = formatCheckpoint(await harness.head());
      return eventually(async () => {
        const [status] = await runner.status();
        expect(status!.checkpoint).to.equal(target);
        return status!;
      }, 30_000);
    },
  };
  beforeEach(async () => {
    harness.appended = 0;
    stores = await open();
    runners = [];
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
    await stores?.dispose();
    stores = undefined;
  });
  return harness;
}
