import type { Logger } from 'pino';
import type { Config } from '../adapters/config/index.ts';
import type { LeasedWork } from '../adapters/lease/index.ts';
import {
  createHttpSmsSender,
  createInProcessSmsSender,
  createNotificationOutbox,
  NOTIFICATIONS,
  type EmailSender,
  type NotificationOutbox,
  type OutboxOptions,
  type SmsSender,
} from '../adapters/notifications/index.ts';
import type { Stores } from './stores.ts';
import { createSmtpEmailSender } from './lazy-adapters.ts';
import type { CatalogueRepository } from './catalogue-repository.ts';
import { followingCatalogue } from './catalogue-following-store.ts';
import type { Clock } from '../domain/time/clock.ts';

/** Overrides for tests: other senders, a shorter backoff or poll. */
export interface NotificationOverrides {
  email?: EmailSender | null;
  sms?: SmsSender | null;
  tuning?: Pick<OutboxOptions, 'maxAttempts' | 'backoffMs' | 'maxBackoffMs' | 'pollMs' | 'batchSize'>;
}

export interface Notifications {
  email: EmailSender | null;
  sms: SmsSender | null;
  outbox: NotificationOutbox;
  /** The outbox as a leased job: one worker process at a time feeds it and sends, writes fenced by the lease. */
  work: LeasedWork;
  close(): Promise<void>;
}

/**
 * The notification ports as the configuration names them: email through SMTP when SMTP_URL is set (else no email),
 * SMS through the documented HTTP provider shape when SMS_URL is set (else kept in process).
 */
export async function createNotifications(
  config: Config,
  deps: { stores: Stores; catalogue: CatalogueRepository; clock: Clock; logger: Logger },
  overrides: NotificationOverrides = {},
): Promise<Notifications> {
  const settings = config.notifications;
  const email = overrides.email !== undefined ? overrides.email : settings.smtpUrl ? await createSmtpEmailSender({ url: settings.smtpUrl, from: settings.smtpFrom }) : null;
  const sms =
    overrides.sms !== undefined ? overrides.sms : settings.smsUrl ? createHttpSmsSender({ url: settings.smsUrl, token: settings.smsToken }) : createInProcessSmsSender();
  const outbox = createNotificationOutbox({
    eventStore: followingCatalogue(deps.stores.eventStore, deps.catalogue),
    readStore: deps.stores.readStore,
    clock: deps.clock,
    logger: deps.logger,
    service: (id, version) => deps.catalogue.get(id, version),
    email,
    sms,
    publicUrl: settings.publicUrl ?? (config.eventStore.kind === 'pglite' ? `http://${config.host}:${config.port}` : null),
    maxAttempts: settings.maxAttempts,
    backoffMs: settings.backoffMs,
    ...overrides.tuning,
  });
  return {
    email,
    sms,
    outbox,
    work: { name: NOTIFICATIONS, start: (token: number) => outbox.start(token), stop: () => outbox.stop() },
    async close() {
      await outbox.stop();
      await Promise.allSettled([email?.close(), sms?.close()]);
    },
  };
}
