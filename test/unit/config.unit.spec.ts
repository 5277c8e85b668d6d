import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../adapters/config/index.ts';

describe('configuration', () => {
  it('given no variables, when loaded, then the embedded default is chosen', () => {
    const config = loadConfig({});
    expect(config.eventStore).to.deep.equal({ kind: 'pglite' });
    expect(config.readStore).to.deep.equal({ kind: 'pglite' });
    expect(config.queue).to.deep.equal({ kind: 'in-process' });
    expect(config.dataDir).to.equal('./data');
    expect(config.port).to.equal(3000);
    expect(config.auth.devSignIn).to.equal(true);
    expect(config.evidence.demoLibrary).to.equal(true);
    expect(config.calendar).to.deep.equal({ dir: null, rescanMs: 600_000 });
  });

  it('given CALENDAR_DIR at an existing folder and a rescan period, when loaded, then both are taken', () => {
    expect(loadConfig({ CALENDAR_DIR: '.', CALENDAR_RESCAN_MS: '0' }).calendar).to.deep.equal({ dir: '.', rescanMs: 0 });
  });

  it('given production URLs, when loaded, then each port follows what is configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/errand',
      REDIS_URL: 'redis://cache:6379',
      MONGO_URL: 'mongodb://mongo/errand',
      EVIDENCE_SQL_URL: 'postgres://library/shared',
    });
    expect(config.eventStore).to.deep.equal({ kind: 'postgres', url: 'postgres://db/errand', settleHeap: true });
    expect(config.readStore).to.deep.equal({ kind: 'mongodb', url: 'mongodb://mongo/errand' });
    expect(config.queue).to.deep.equal({ kind: 'bullmq', url: 'redis://cache:6379', prefix: 'errand' });
    expect(config.auth.devSignIn).to.equal(false);
    expect(config.evidence.demoLibrary).to.equal(false);
  });

  it('given PG_SETTLE_HEAP off (a transaction-pooling proxy in front), when loaded, then the event store does not settle its connections; a value that is not a yes or no stops the start', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/errand', PG_SETTLE_HEAP: 'off' }).eventStore).to.deep.equal({ kind: 'postgres', url: 'postgres://db/errand', settleHeap: false });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/errand', PG_SETTLE_HEAP: 'sometimes' })).to.throw(/PG_SETTLE_HEAP/);
  });

  it('given EVENTSTORE_URL, when loaded, then EventStoreDB holds the events', () => {
    expect(loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }).eventStore.kind).to.equal('eventstoredb');
  });

  describe('leases', () => {
    const esdb = 'esdb://events:2113?tls=false';
    for (const [label, env, expected] of [
      ['nothing configured', {}, 'in-process'],
      ['PostgreSQL events', { DATABASE_URL: 'postgres://db/errand', REDIS_URL: 'redis://cache' }, 'postgres'],
      ['EventStoreDB events with PostgreSQL read models', { EVENTSTORE_URL: esdb, READ_DATABASE_URL: 'postgres://db/read', REDIS_URL: 'redis://cache' }, 'postgres'],
      ['PostgreSQL events with MongoDB read models', { DATABASE_URL: 'postgres://db/errand', MONGO_URL: 'mongodb://mongo/errand' }, 'postgres'],
      ['EventStoreDB and MongoDB with Redis', { EVENTSTORE_URL: esdb, MONGO_URL: 'mongodb://mongo/errand', REDIS_URL: 'redis://cache' }, 'redis'],
      ['EventStoreDB and MongoDB without Redis', { EVENTSTORE_URL: esdb, MONGO_URL: 'mongodb://mongo/errand' }, 'in-process'],
      ['the embedded default with Redis', { REDIS_URL: 'redis://cache' }, 'in-process'],
      ['LEASES=redis beside PostgreSQL', { DATABASE_URL: 'postgres://db/errand', REDIS_URL: 'redis://cache', LEASES: 'redis' }, 'redis'],
    ] as const) {
      it(`given ${label}, when loaded, then leases are ${expected}`, () => {
        expect(loadConfig(env).leases).to.equal(expected);
      });
    }

    for (const [label, env] of [
      ['LEASES=redis without REDIS_URL', { LEASES: 'redis' }],
      ['LEASES=postgres with no PostgreSQL', { EVENTSTORE_URL: esdb, MONGO_URL: 'mongodb://mongo/errand', LEASES: 'postgres' }],
      ['LEASES=zookeeper', { LEASES: 'zookeeper' }],
    ] as const) {
      it(`given ${label}, when loaded, then it fails naming LEASES`, () => {
        expect(() => loadConfig(env)).to.throw(ConfigError, /^LEASES: expected /);
      });
    }
  });

  it('given gateway pairs, when loaded, then they map departments to URLs', () => {
    const config = loadConfig({ GATEWAY_URLS: 'PSB=http://127.0.0.1:4001, AMR=https://amr.example' });
    expect(config.evidence.gateways).to.deep.equal({ PSB: 'http://127.0.0.1:4001', AMR: 'https://amr.example' });
  });

  it('given department limits, when loaded, then each department gets its calls per window and its concurrency (10 when not said)', () => {
    const config = loadConfig({ EVIDENCE_LIMITS: 'PSB=20/1s, HRSS=300/1m:4,NRB=5/250ms,AMR=1/2h,TAX=1/576h' });
    expect(config.evidence.limits).to.deep.equal({
      PSB: { max: 20, durationMs: 1000, concurrency: 10 },
      HRSS: { max: 300, durationMs: 60_000, concurrency: 4 },
      NRB: { max: 5, durationMs: 250, concurrency: 10 },
      AMR: { max: 1, durationMs: 7_200_000, concurrency: 10 },
      TAX: { max: 1, durationMs: 576 * 3_600_000, concurrency: 10 },
    });
    expect(loadConfig({}).evidence.limits).to.deep.equal({});
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=20' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=0/1s' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=5/1s:0' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=5/1d' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=5/577h' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['EVIDENCE_LIMITS', { EVIDENCE_LIMITS: 'PSB=5/1s,PSB=6/1s' }, /^EVIDENCE_LIMITS: expected DEPT=MAX\/DURATION/],
    ['PORT', { PORT: 'eighty' }, /^PORT: expected a whole number from 0 to 65535, got "eighty"$/],
    ['PORT', { PORT: '70000' }, /^PORT: expected a whole number/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a URL starting with postgres:\/\//],
    ['REDIS_URL', { REDIS_URL: 'not a url' }, /^REDIS_URL: expected a URL/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of trace, debug/],
    ['AUTH_DEV_SIGNIN', { AUTH_DEV_SIGNIN: 'maybe' }, /^AUTH_DEV_SIGNIN: expected true or false/],
    ['AUTH_HS256_SECRET', { AUTH_HS256_SECRET: 'short' }, /^AUTH_HS256_SECRET: expected at least 32 characters, got "\(hidden\)"$/],
    ['TIMEZONE', { TIMEZONE: 'Mars/Olympus' }, /^TIMEZONE: expected an IANA time zone/],
    ['GATEWAY_URLS', { GATEWAY_URLS: 'psb:4001' }, /^GATEWAY_URLS: expected DEPT=/],
    ['CALENDAR_DIR', { CALENDAR_DIR: './no-such-calendars' }, /^CALENDAR_DIR: expected an existing directory, got "\.\/no-such-calendars"$/],
    ['CALENDAR_RESCAN_MS', { CALENDAR_RESCAN_MS: 'hourly' }, /^CALENDAR_RESCAN_MS: expected a whole number/],
  ];
  for (const [variable, env, message] of bad) {
    it(`given a bad ${variable} (${JSON.stringify(Object.values(env)[0])}), when loaded, then it fails naming ${variable}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
  }
});
