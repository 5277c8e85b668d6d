import { expect } from 'chai';
import { pino } from 'pino';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createHttpSmsSender, createNotificationOutbox, NOTIFICATION_INBOX, NOTIFICATION_OUTBOX, NOTIFICATION_PENDING, NOTIFICATIONS, writePreferences, type DeliveryRecord } from '../../adapters/notifications/index.ts';
import { type ReadStore } from '../../adapters/read-store/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import { START } from '../../domain/events/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { APPLICANT, SINGLE } from '../support/case-fixtures.ts';
import { until } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTestSmsProvider, type TestSmsProvider } from '../support/sms-provider.ts';
import { toldCase } from '../support/told-cases.ts';

const silent = pino({ level: 'silent' });
const citizen = { kind: 'citizen' as const, id: APPLICANT };
const PHONE = '13800138000';

/** A case drafted and accepted: one text ("accepted") for an applicant who chose SMS only. */
async function appendAcceptedCase(events: EventStore): Promise<void> {
  const told = toldCase();
  await events.append(caseStream(told.caseId), told.opened(), { expectedRevision: 'no_stream' });
}

/** README, Notifications: the SMS provider shape's answers, through the outbox and the real HTTP sender. */
describe('Notification outbox on PostgreSQL with the HTTP SMS sender: retried, refused and out of attempts', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let provider: TestSmsProvider;
  let eventStore: EventStore;
  let readStore: ReadStore;
  let outbox: ReturnType<typeof createNotificationOutbox> | null;

  beforeEach(async () => {
    db = await createTestDatabase('notify_sms');
    provider = await startTestSmsProvider();
    eventStore = await createPostgresEventStore({ connectionString: db.url });
    readStore = createPostgresReadStore({ connectionString: db.url });
    outbox = null;
    await writePreferences(readStore, citizen, { language: 'en', email: false, sms: true, emailAddress: null, phone: PHONE });
    await readStore.transaction(async (tx) => tx.setCheckpoint(NOTIFICATIONS, START));
  });
  afterEach(async () => {
    await outbox?.stop();
    await eventStore.close();
    await readStore.close();
    await provider.close();
    await db.drop();
  });

  /** Starts an outbox with the HTTP sender, appends one accepted case, and waits for its text to be sent or failed. */
  async function settled(options: { maxAttempts?: number; timeoutMs?: number } = {}): Promise<DeliveryRecord> {
    outbox = createNotificationOutbox({
      eventStore,
      readStore,
      clock: systemClock,
      logger: silent,
      service: (id, version) => (id === SINGLE.id && version === SINGLE.version ? SINGLE : undefined),
      email: null,
      sms: createHttpSmsSender({ url: provider.url, token: provider.token, timeoutMs: options.timeoutMs }),
      publicUrl: 'https://errand.example',
      pollMs: 50,
      backoffMs: 50,
      maxAttempts: options.maxAttempts ?? 10,
    });
    await outbox.start(1);
    await appendAcceptedCase(eventStore);
    const record = await until('the text sent or failed', async () => {
      const [delivery] = (await readStore.find(NOTIFICATION_OUTBOX, { limit: 10 })).items as unknown as DeliveryRecord[];
      return delivery && delivery.status !== 'pending' ? delivery : null;
    });
    // Settled means nothing is left to try: the delivery is no longer among the pending ones.
    expect((await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total).to.equal(0);
    expect((await readStore.find(NOTIFICATION_OUTBOX, { limit: 10 })).total).to.equal(1);
    return record;
  }

  async function storedRecords(): Promise<string> {
    return JSON.stringify(await Promise.all([NOTIFICATION_INBOX, NOTIFICATION_OUTBOX, NOTIFICATION_PENDING].map((c) => readStore.find(c, { limit: 1000 }))));
  }

  it('given the provider answering 429, then 503, then 408, then the text is tried again each time and sent once, under the delivery\'s id', async () => {
    provider.failNext(1, 429);
    provider.failNext(1, 503);
    provider.failNext(1, 408);
    const record = await settled();
    expect(record).to.include({ status: 'sent', attempts: 4, lastError: null });
    expect(provider.requests).to.deep.equal([429, 503, 408, 200].map((status) => ({ reference: record.id, status })));
    expect(provider.messages.map((m) => [m.reference, m.to])).to.deep.equal([[record.id, PHONE]]);
  });

  it('given the provider answering 403, then the text is failed after one attempt with the answer recorded, and no stored record holds the number', async () => {
    provider.failNext(1, 403);
    const record = await settled();
    expect(record).to.include({ status: 'failed', attempts: 1, lastError: 'SMS provider answered 403' });
    expect(provider.requests).to.deep.equal([{ reference: record.id, status: 403 }]);
    expect(provider.messages).to.have.length(0);
    expect(await storedRecords()).to.not.include(PHONE).and.not.include(APPLICANT);
  });

  it('given maxAttempts 2 and a provider answering 503 every time, then the text is failed after exactly two attempts', async () => {
    provider.failNext(1000, 503);
    const record = await settled({ maxAttempts: 2 });
    expect(record).to.include({ status: 'failed', attempts: 2, lastError: 'SMS provider answered 503' });
    expect(provider.requests).to.deep.equal([503, 503].map((status) => ({ reference: record.id, status })));
    expect(await storedRecords()).to.not.include(PHONE);
  });

  it('given no answer within the sender\'s timeout (the text went out, its answer was lost), then it is tried again with the same reference and not sent twice', async () => {
    provider.holdNext(1);
    const record = await settled({ timeoutMs: 2000 });
    expect(record.status).to.equal('sent');
    expect(record.attempts).to.be.at.least(2);
    expect(provider.requests[0]).to.deep.equal({ reference: record.id, status: null });
    expect(provider.requests.every((r) => r.reference === record.id)).to.equal(true);
    expect(provider.messages.map((m) => m.reference)).to.deep.equal([record.id]);
  });
});
