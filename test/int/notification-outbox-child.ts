/**
 * The notification outbox alone in a child process, for the kill test: PostgreSQL stores from DATABASE_URL, email
 * through SMTP_URL, the test service definition. Prints {"ready":true} once started; SIGKILL is what tests send.
 */
import { pino } from 'pino';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { createNotificationOutbox } from '../../adapters/notifications/index.ts';
import { createSmtpEmailSender } from '../../adapters/notifications/smtp/index.ts';
import { createPostgresReadStore } from '../../adapters/read-store/postgres/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { SINGLE } from '../support/case-fixtures.ts';

const url = process.env.DATABASE_URL!;
const eventStore = await createPostgresEventStore({ connectionString: url });
const readStore = createPostgresReadStore({ connectionString: url });
const outbox = createNotificationOutbox({
  eventStore,
  readStore,
  clock: systemClock,
  logger: pino({ level: 'silent' }),
  service: (id, version) => (id === SINGLE.id && version === SINGLE.version ? SINGLE : undefined),
  email: createSmtpEmailSender({ url: process.env.SMTP_URL!, from: 'Errand <no-reply@errand.test>' }),
  sms: null,
  publicUrl: 'https://errand.example',
  pollMs: 50,
  backoffMs: 100,
  // The delivery in flight when the kill test kills this process is sent again once its claim runs out.
  claimMs: Number(process.env.CLAIM_MS ?? 120_000),
});
// A fencing token above every earlier run's, as a lease would grant.
await outbox.start(Date.now());
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
