import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createInProcessSmsSender, createNotificationOutbox, NOTIFICATION_INBOX, NOTIFICATION_OUTBOX, NOTIFICATION_PENDING, NOTIFICATION_PREFERENCES, NOTIFICATIONS, writePreferences, type DeliveryRecord } from '../../adapters/notifications/index.ts';
import { createSmtpEmailSender } from '../../adapters/notifications/smtp/index.ts';
import type { EmailSender } from '../../domain/ports/notifications.ts';
import { type ReadStore } from '../../adapters/read-store/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import { START, type RecordedEvent } from '../../domain/events/index.ts';
import { notificationsFor } from '../../domain/notifications/index.ts';
import type { Doc } from '../../domain/ports/read-store.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { APPLICANT, SINGLE } from '../support/case-fixtures.ts';
import { printed, startScript } from '../support/child-process.ts';
import { until } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { toldCase } from '../support/told-cases.ts';

const silent = pino({ level: 'silent' });

/** Stands for the worker dying between a send and the record of its outcome. */
class WorkerGone extends Error {}
const citizen = { kind: 'citizen' as const, id: APPLICANT };

/** A case that is accepted, approved and certified: three emails for an applicant who chose email. */
async function appendCertifiedCase(events: EventStore, applicant = APPLICANT): Promise<string> {
  const told = toldCase();
  const { caseId, event } = told;
  await events.append(
    caseStream(caseId),
    [
      ...told.opened({ applicant }),
      event('CaseApproved', { decidedOn: '2026-03-03', by: 'clerk', reasons: [] }),
      event('CertificateIssued', { certificateNo: `C-${caseId.slice(0, 8)}`, certificateType: 'RESIDENCE', issuedOn: '2026-03-03', validUntil: null, holder: { type: 'person', id: applicant } }),
    ],
    { expectedRevision: 'no_stream' },
  );
  return caseId;
}

/** As if notifications had run since the log began (a first start otherwise begins at the head). */
async function tellFromStart(readStore: ReadStore): Promise<void> {
  await readStore.transaction(async (tx) => tx.setCheckpoint(NOTIFICATIONS, START));
}

async function deliveries(readStore: ReadStore): Promise<DeliveryRecord[]> {
  return (await readStore.find(NOTIFICATION_OUTBOX, { limit: 1000 })).items as unknown as DeliveryRecord[];
}

describe('Notification outbox on PostgreSQL: nothing lost, nothing sent twice', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let eventStore: EventStore;
  let readStore: ReadStore;

  beforeEach(async () => {
    db = await createTestDatabase('notify_outbox');
    smtp = await startTestSmtpServer();
    eventStore = await createPostgresEventStore({ connectionString: db.url });
    readStore = createPostgresReadStore({ connectionString: db.url });
    await writePreferences(readStore, citizen, { language: 'en', email: true, sms: true, emailAddress: 'citizen@example.test', phone: '13800138000' });
  });
  afterEach(async () => {
    await eventStore.close();
    await readStore.close();
    await smtp.close();
    await db.drop();
  });

  const outboxWith = (overrides: Partial<Parameters<typeof createNotificationOutbox>[0]> = {}) =>
    createNotificationOutbox({
      eventStore,
      readStore,
      clock: systemClock,
      logger: silent,
      service: (id, version) => (id === SINGLE.id && version === SINGLE.version ? SINGLE : undefined),
      email: createSmtpEmailSender({ url: smtp.url, from: 'Errand <no-reply@errand.test>' }),
      sms: createInProcessSmsSender(),
      publicUrl: 'https://errand.example',
      pollMs: 50,
      backoffMs: 50,
      ...overrides,
    });

  it('given a log told once, when its checkpoint is lost and the whole log is told again, then no message is recorded or sent twice', async () => {
    await tellFromStart(readStore);
    for (let i = 0; i < 3; i++) await appendCertifiedCase(eventStore);
    const sms = createInProcessSmsSender();
    let outbox = outboxWith({ sms });
    await outbox.start(1);
    await until('nine emails and texts, recorded as sent', async () => smtp.mails.length === 9 && sms.messages().length === 9 && (await deliveries(readStore)).filter((d) => d.status === 'sent').length === 18);
    await outbox.stop();
    // The feeder's place forgotten: everything it told is told again.
    await tellFromStart(readStore);
    outbox = outboxWith({ sms });
    await outbox.start(2);
    await until('the replay to reach the head', async () => (await readStore.getCheckpoint(NOTIFICATIONS))!.prepare > 0n && (await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total === 0);
    await appendCertifiedCase(eventStore);
    await until('the next case\'s emails and texts, recorded as sent', async () => smtp.mails.length === 12 && (await deliveries(readStore)).filter((d) => d.status === 'sent').length === 24);
    await outbox.stop();
    expect((await readStore.find(NOTIFICATION_INBOX, { limit: 1 })).total).to.equal(12);
    expect((await deliveries(readStore)).filter((d) => d.status === 'sent')).to.have.length(24);
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).to.equal(12);
    expect(sms.messages()).to.have.length(12);
    for (const mail of smtp.mails) expect(mail.raw).to.not.include(APPLICANT);
    // Nor does any record the outbox keeps: recipients are digests, facts hold no ID number.
    const kept = await Promise.all([NOTIFICATION_INBOX, NOTIFICATION_OUTBOX, NOTIFICATION_PREFERENCES].map((c) => readStore.find(c, { limit: 1000 })));
    expect(JSON.stringify(kept)).to.not.include(APPLICANT).and.not.include(APPLICANT.slice(0, 17));
  });

  it('given the outbox process killed mid-send, when it starts again, then every email arrives exactly once', async () => {
    await tellFromStart(readStore);
    for (let i = 0; i < 6; i++) await appendCertifiedCase(eventStore);
    const env = { DATABASE_URL: db.url, SMTP_URL: smtp.url, CLAIM_MS: '1000' };
    const held = smtp.holdAfter(7);
    const first = startScript('test/int/notification-outbox-child.ts', [], env);
    await held;
    // The eighth email's data is with the server, unanswered: the process dies before it knows.
    first.child.kill('SIGKILL');
    await first.exited;
    smtp.resume();
    expect(smtp.mails).to.have.length(7);
    // And its place in the log is forgotten too: the restart tells everything again.
    await tellFromStart(readStore);
    const second = startScript('test/int/notification-outbox-child.ts', [], env);
    try {
      await printed(second, '"ready":true');
      await until('all eighteen emails', async () => smtp.mails.length >= 18 && (await deliveries(readStore)).every((d) => d.status === 'sent'));
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
    const records = await deliveries(readStore);
    expect(records).to.have.length(18);
    expect(smtp.mails).to.have.length(18);
    const ids = smtp.mails.map((m) => /<([^@]+)@/.exec(m.messageId)![1]);
    expect(new Set(ids).size).to.equal(18);
    expect([...ids].sort()).to.deep.equal(records.map((r) => r.id).sort());
  });

  it('given a newer holder started while the older one is sending, then the older sends nothing more, its send is on record, and no email goes twice, even once its claim has run out', async () => {
    await tellFromStart(readStore);
    for (let i = 0; i < 3; i++) await appendCertifiedCase(eventStore);
    // The older holder's sender stops inside its first send until released.
    const smtpSender = createSmtpEmailSender({ url: smtp.url, from: 'Errand <no-reply@errand.test>' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const sending = new Promise<void>((resolve) => (entered = resolve));
    const gated: EmailSender = { kind: 'gated', send: async (message) => (entered(), await gate, smtpSender.send(message)), close: () => smtpSender.close() };
    // A short claim: were the older holder's send left unrecorded, the newer would send it again a second later.
    const older = outboxWith({ email: gated, sms: null, claimMs: 1000 });
    await older.start(1);
    await sending;
    const newer = outboxWith({ sms: null });
    await newer.start(2);
    try {
      await until('the newer holder to send all but the delivery on its way', async () => smtp.mails.length === 8 && (await readStore.find(NOTIFICATION_PENDING, { limit: 10 })).total === 1);
      release();
      await until('the older holder\'s send to arrive', async () => smtp.mails.length >= 9);
      // Stopping waits for the older holder's dispatch pass: whatever it would still send or record, it has by now.
      await older.stop();
      // Past every claim still standing, the newer holder looks again.
      const standing = (await readStore.find(NOTIFICATION_PENDING, { limit: 10 })).items.map((p) => Date.parse(String(p.nextAttemptAt)));
      await until('every claim run out', async () => standing.every((at) => Date.now() > at));
      await newer.dispatch();
      await newer.stop();
    } finally {
      release();
      await older.stop();
      await newer.stop();
    }
    const ids = smtp.mails.map((m) => m.messageId);
    expect(ids).to.have.length(9);
    expect(new Set(ids).size).to.equal(9);
    const records = await deliveries(readStore);
    expect(records.map((d) => d.status)).to.deep.equal(Array(9).fill('sent'));
    expect(records.every((d) => d.attempts === 1)).to.equal(true);
    expect((await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total).to.equal(0);
  });

  it('given sends whose outcome is never recorded (the worker dies during each), then the delivery is failed after maxAttempts sends, not sent on every claim for ever', async () => {
    await tellFromStart(readStore);
    await appendCertifiedCase(eventStore);
    // Each send reaches the server, and the worker is gone before its outcome is recorded: that write never lands.
    const dying: ReadStore = new Proxy(readStore, {
      get: (target, key) =>
        key === 'transaction'
          ? (work: Parameters<ReadStore['transaction']>[0]) =>
              target.transaction((tx) =>
                work(new Proxy(tx, {
                  get: (inner, name) =>
                    name === 'put'
                      ? async (collection: string, id: string, doc: Doc) => {
                          if (collection === NOTIFICATION_OUTBOX && doc.status === 'sent') throw new WorkerGone();
                          return inner.put(collection, id, doc);
                        }
                      : (inner[name as keyof typeof inner] as (...args: unknown[]) => unknown).bind(inner),
                })),
              )
          : (target[key as keyof ReadStore] as unknown),
    });
    const outbox = outboxWith({ readStore: dying, sms: null, claimMs: 200, maxAttempts: 2 });
    // Each dispatch pass is the life of one worker, which dies at its first send; the next pass is the next worker.
    await outbox.start(1);
    let records: DeliveryRecord[];
    try {
      records = await until('every delivery failed', async () => {
        const now = await deliveries(readStore);
        return now.length === 3 && now.every((d) => d.status === 'failed') ? now : null;
      });
    } finally {
      await outbox.stop();
    }
    expect(records.map((d) => d.attempts)).to.deep.equal([2, 2, 2]);
    for (const record of records) expect(record.lastError).to.equal('no outcome was recorded for its last 2 sends');
    // Two sends each, never a third.
    expect(smtp.mails).to.have.length(6);
  });

  it('given a server refusing for now, then the delivery is retried with growing waits and sent; refused for good, it is marked failed with the reason', async () => {
    smtp.refuse.transient.add('citizen@example.test');
    await tellFromStart(readStore);
    await appendCertifiedCase(eventStore);
    const outbox = outboxWith({ maxAttempts: 10 });
    await outbox.start(1);
    try {
      const waiting = await until('a retry scheduled', async () => (await deliveries(readStore)).find((d) => d.channel === 'email' && d.attempts >= 2 && d.status === 'pending'));
      expect(waiting.lastError).to.match(/SMTP: 451/);
      expect(Date.parse(waiting.nextAttemptAt)).to.be.greaterThan(Date.parse(waiting.createdAt));
      smtp.refuse.transient.clear();
      await until('all three sent', async () => (await deliveries(readStore)).filter((d) => d.channel === 'email' && d.status === 'sent').length === 3);
      smtp.refuse.permanent.add('citizen@example.test');
      await appendCertifiedCase(eventStore);
      const failed = await until('three failures', async () => {
        const bad = (await deliveries(readStore)).filter((d) => d.channel === 'email' && d.status === 'failed');
        return bad.length === 3 ? bad : null;
      });
      expect(failed.every((d) => d.attempts === 1 && /SMTP: 550/.test(d.lastError ?? ''))).to.equal(true);
      expect(JSON.stringify(await deliveries(readStore))).to.not.include('citizen@example.test');
      // The case's texts may still be on their way (each claimed before it is sent): then nothing is left pending.
      await until('nothing pending', async () => (await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total === 0);
    } finally {
      await outbox.stop();
    }
  });

  it('given email turned off after the notifications were recorded, then nothing is sent and the deliveries say cancelled', async () => {
    await tellFromStart(readStore);
    smtp.refuse.transient.add('citizen@example.test');
    await appendCertifiedCase(eventStore);
    const outbox = outboxWith({ backoffMs: 60_000 });
    await outbox.start(1);
    try {
      await until('three waiting emails', async () => (await deliveries(readStore)).filter((d) => d.channel === 'email' && d.attempts === 1).length === 3);
      await writePreferences(readStore, citizen, { language: 'en', email: false, sms: false, emailAddress: null, phone: null });
      smtp.refuse.transient.clear();
      // Their retry brought forward to now, rather than waiting the minute out.
      const waiting = (await readStore.find(NOTIFICATION_PENDING, { limit: 100 })).items;
      await readStore.transaction(async (tx) => {
        for (const d of waiting) await tx.put(NOTIFICATION_PENDING, String(d.id), { ...d, nextAttemptAt: new Date(0).toISOString() });
      });
      await until('the three emails cancelled', async () => (await deliveries(readStore)).filter((d) => d.channel === 'email' && d.status === 'cancelled').length === 3);
      expect(smtp.mails).to.have.length(0);
    } finally {
      await outbox.stop();
    }
  });

  /** A case accepted owing the lease, then suspended; then one command resuming it and moving the lease's due date. */
  async function resumedOwingLease(): Promise<{ caseId: string; resumedEvent: RecordedEvent }> {
    const told = toldCase();
    const { caseId, event } = told;
    const stream = caseStream(caseId);
    await eventStore.append(stream, [
      ...told.opened({ acceptedOn: '2026-03-03', receiptNo: 'R-RESUME', missingNonKey: ['lease'], due: { statutory: '2026-03-31', promised: '2026-03-17' } }),
      event('CaseSuspended', { kind: 'inspection', reason: 'on site', suspendedOn: '2026-03-05' }),
    ], { expectedRevision: 'no_stream' });
    // One command, two events: the resumption and the owed material's date it moved (workflows/deciders/review.ts).
    const resume = randomUUID();
    await eventStore.append(stream, [
      event('CaseResumed', { resumedOn: '2026-03-10', due: { statutory: '2026-04-03', promised: '2026-03-20' } }, resume),
      event('TimeLimitsRecalculated', { calendarVersion: 'v1', recalculatedOn: '2026-03-10', suspendedOn: '2026-03-05', limits: [{ limit: 'followUp', materialId: 'lease', from: '2026-03-03', previous: '2026-03-17', dueOn: '2026-03-20' }] }, resume),
    ], { expectedRevision: 'any' });
    const resumedEvent = (await eventStore.readStream(stream)).find((e) => e.type === 'CaseResumed')!;
    return { caseId, resumedEvent };
  }

  const subjects = () => smtp.mails.map((m) => m.subject.split(':')[0]).sort();

  it('given a resumption that also moves an owed material\'s due date, when the feeder reads one event at a time, then the applicant gets one message with both dates', async () => {
    await tellFromStart(readStore);
    await resumedOwingLease();
    const outbox = outboxWith({ feedBatchSize: 1 });
    await outbox.start(1);
    try {
      await until('the resumption\'s email', async () => smtp.mails.some((m) => m.subject.startsWith('Case resumed')));
      await until('every delivery sent', async () => (await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total === 0 && (await readStore.getCheckpoint(NOTIFICATIONS))!.prepare > 0n);
      expect(subjects()).to.deep.equal(['Application accepted', 'Case paused', 'Case resumed, dates moved']);
      const resumed = smtp.mails.find((m) => m.subject.startsWith('Case resumed'))!;
      expect(resumed.text).to.include('promised decision from 2026-03-17 to 2026-03-20').and.include('"Lease" due from 2026-03-17 to 2026-03-20');
    } finally {
      await outbox.stop();
    }
  });

  it('given the resumption told by a release that did not list the owed material\'s date (its batch ended there), when this release reads on, then that date is told on its own; listed, it is not told again', async () => {
    for (const listed of [false, true]) {
      const { caseId, resumedEvent } = await resumedOwingLease();
      // What the earlier release left: the resumption's message (with or without the lease) and its place after it.
      const facts = { caseId, applicant: { type: 'person', id: APPLICANT }, serviceId: SINGLE.id, serviceVersion: SINGLE.version, receiptNo: 'R-RESUME', holders: {}, due: { statutory: '2026-03-31', promised: '2026-03-17' }, statutoryTold: false };
      const told = notificationsFor({ type: resumedEvent.type, data: resumedEvent.data, eventId: resumedEvent.metadata.eventId, occurredAt: resumedEvent.metadata.occurredAt }, facts, SINGLE, listed ? (await eventStore.readStream(caseStream(caseId))).filter((e) => e.type === 'TimeLimitsRecalculated') : []);
      await readStore.transaction(async (tx) => {
        await tx.putMany(NOTIFICATION_INBOX, told.map((n) => ({ id: n.id, doc: { ...n, position: Number(resumedEvent.position) } as unknown as Doc })));
        await tx.setCheckpoint(NOTIFICATIONS, resumedEvent.checkpoint);
      });
      smtp.mails.length = 0;
      const outbox = outboxWith();
      await outbox.start(1);
      try {
        await until('the feeder to pass the resumption', async () => (await readStore.getCheckpoint(NOTIFICATIONS))!.prepare > resumedEvent.checkpoint.prepare);
        await until('every delivery sent', async () => (await readStore.find(NOTIFICATION_PENDING, { limit: 1 })).total === 0);
        if (listed) expect(subjects(), 'listed by the resumption').to.deep.equal([]);
        else {
          expect(subjects()).to.deep.equal(['Dates changed']);
          expect(smtp.mails[0]!.text).to.include('"Lease" due from 2026-03-17 to 2026-03-20');
        }
      } finally {
        await outbox.stop();
      }
    }
  });

  it('given a log that already held cases when notifications first started, then those are not told; what follows is', async () => {
    await appendCertifiedCase(eventStore);
    const outbox = outboxWith();
    await outbox.start(1);
    try {
      await appendCertifiedCase(eventStore);
      await until('the new case\'s emails', async () => smtp.mails.length === 3);
      expect((await readStore.find(NOTIFICATION_INBOX, { limit: 1 })).total).to.equal(3);
    } finally {
      await outbox.stop();
    }
  });
});
