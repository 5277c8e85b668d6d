import type { Logger } from 'pino';
import { caseIdOfStream, caseStream } from '../../domain/case/events.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { START, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';
import {
  carrierType,
  chooseChannels,
  deliveryId,
  emptyCaseFacts,
  evolveCaseFacts,
  isPersonalKey,
  notificationId,
  notificationsFor,
  renderNotification,
  renderSms,
  TELLING_EVENT_TYPES,
  type AvailableChannels,
  type Channel,
  type Language,
  type MovedDate,
  type Notification,
  type NotificationFacts,
  type NotificationKind,
  type NotificationPreferences,
} from '../../domain/notifications/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { EventStore, Subscription } from '../../domain/ports/event-store.ts';
import { backoffDelayMs } from '../queue/index.ts';
import type { Doc, ReadStore } from '../../domain/ports/read-store.ts';
import { DeliveryError, type EmailSender, type SmsSender } from '../../domain/ports/notifications.ts';

/** Its checkpoint, lease and fencing token go by this name. */
export const NOTIFICATIONS = 'notifications';
/** One document per notification: what the inbox lists (every recipient, every channel choice). */
export const NOTIFICATION_INBOX = 'notification_inbox';
/** One document per (reader, notification) marked read. */
export const NOTIFICATION_READS = 'notification_reads';
/** One document per email or SMS delivery: its state, attempts and last error. Never an address. */
export const NOTIFICATION_OUTBOX = 'notification_outbox';
/** The deliveries still to try, by id: a small collection the dispatcher polls. */
export const NOTIFICATION_PENDING = 'notification_pending';
/** Preferences by recipient key (language, channels, the addresses to send to). */
export const NOTIFICATION_PREFERENCES = 'notification_preferences';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface DeliveryRecord {
  id: string;
  notificationId: string;
  channel: Exclude<Channel, 'inbox'>;
  to: string;
  kind: NotificationKind;
  audience: 'citizen' | 'clerk';
  caseId: string;
  facts: NotificationFacts;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  clock: Clock;
  logger: Logger;
  /** The service definition a case was opened with. */
  service(id: string, version: number): ServiceDefinition | undefined;
  email: EmailSender | null;
  sms: SmsSender | null;
  /** Base URL of the pages, for the link in messages (null: no link). */
  publicUrl: string | null;
  /** Attempts per delivery before it is marked failed (default 8). */
  maxAttempts?: number;
  /** Wait after the first failed attempt, doubling each time (default 5000 ms), capped at maxBackoffMs (default 1 h). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How often the dispatcher looks for due deliveries (default 500 ms). */
  pollMs?: number;
  /**
   * How long a delivery being sent is left alone by every dispatcher (default 2 min; the senders' timeouts are 10 s
   * for each step of a send): a send that never got its outcome recorded is tried again after it.
   */
  claimMs?: number;
  /** Deliveries the dispatcher takes at once (default 20). */
  batchSize?: number;
  /** Events the feeder reads at once (default 200). */
  feedBatchSize?: number;
}

/** The stored message lists every date `notification` tells moved. */
function listsMoves(carrier: Doc | undefined, notification: Notification): boolean {
  const key = (m: MovedDate) => `${m.limit}:${m.previousOn}:${m.dueOn}`;
  const listed = new Set(((carrier?.facts as NotificationFacts | undefined)?.moved ?? []).map(key));
  return carrier !== undefined && (notification.facts.moved ?? []).every((m) => listed.has(key(m)));
}

function asPreferences(doc: Doc | undefined | null): NotificationPreferences | null {
  return doc ? (doc as unknown as NotificationPreferences) : null;
}

/**
 * The notification outbox. The feeder follows the event store from its own checkpoint (like the case-jobs reactor)
 * and writes, in one fenced transaction with that checkpoint, each notification's inbox document and one outbox
 * record per email or SMS delivery. Ids are derived from the event, so a batch told again after a crash finds its
 * notifications already there and adds nothing. The dispatcher sends the due deliveries and records each outcome
 * at once; failures are retried with backoff, then marked failed (GET /admin/notifications shows them).
 */
export function createNotificationOutbox(options: OutboxOptions) {
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? 5000;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const pollMs = options.pollMs ?? 500;
  const claimMs = options.claimMs ?? 120_000;
  const available: AvailableChannels = { email: options.email !== null, sms: options.sms !== null };
  let subscription: Subscription | null = null;
  let token: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let again = false;

  /**
   * The notifications a batch's events cause. `unlessCarried`: the dates a TimeLimitsRecalculated moved whose carrier
   * (the resumption or the recomputed decision limits of the same command, derive.ts) was told in an earlier batch,
   * possibly by a release that read the stream only up to its batch's end and so did not list them; each is told on
   * its own unless the carrier's stored message lists its dates.
   */
  async function notificationsOf(batch: RecordedEvent[]): Promise<{ told: Notification[]; unlessCarried: Array<{ notification: Notification; carrierId: string }> }> {
    const telling = new Map<string, RecordedEvent[]>();
    for (const event of batch) {
      const caseId = caseIdOfStream(event.streamId);
      if (!caseId || !TELLING_EVENT_TYPES.has(event.type)) continue;
      telling.set(caseId, [...(telling.get(caseId) ?? []), event]);
    }
    const out: Notification[] = [];
    const unlessCarried: Array<{ notification: Notification; carrierId: string }> = [];
    for (const [caseId, events] of telling) {
      const wanted = new Set(events.map((e) => e.metadata.eventId));
      // The facts before each event come from the case's own stream, so a replay derives exactly the same messages.
      // Read whole: a batch may end inside one command's append, and a message reads all that command recorded.
      const stream = await options.eventStore.readStream(caseStream(caseId));
      const byCommand = new Map<string, RecordedEvent[]>();
      for (const event of stream) {
        const same = byCommand.get(event.metadata.commandId);
        if (same) same.push(event);
        else byCommand.set(event.metadata.commandId, [event]);
      }
      let facts = emptyCaseFacts(caseId);
      let definition: ServiceDefinition | undefined;
      for (const event of stream) {
        if (wanted.has(event.metadata.eventId)) {
          definition ??= facts.serviceId !== null && facts.serviceVersion !== null ? options.service(facts.serviceId, facts.serviceVersion) : undefined;
          const alongside = byCommand.get(event.metadata.commandId)!.filter((other) => other !== event);
          const tellable = { type: event.type, data: event.data, eventId: event.metadata.eventId, occurredAt: event.metadata.occurredAt };
          if (definition) {
            out.push(...notificationsFor(tellable, facts, definition, alongside));
            // A carrier precedes what it carries in its append: not in this batch, it was told in an earlier one.
            const carrier = alongside.find((other) => other.type === carrierType(event));
            if (carrier && !wanted.has(carrier.metadata.eventId)) {
              const kind = carrier.type === 'CaseResumed' ? 'resumed' : 'datesMoved';
              for (const notification of notificationsFor(tellable, facts, definition)) unlessCarried.push({ notification, carrierId: notificationId(carrier.metadata.eventId, kind, notification.to) });
            }
          } else options.logger.warn({ caseId }, 'notification skipped: the case\'s service version is unknown');
        }
        facts = evolveCaseFacts(facts, event);
      }
    }
    return { told: out, unlessCarried };
  }

  async function handleBatch(batch: RecordedEvent[]): Promise<void> {
    const { told, unlessCarried } = await notificationsOf(batch);
    const carriers = unlessCarried.length ? await options.readStore.getMany(NOTIFICATION_INBOX, unlessCarried.map((c) => c.carrierId)) : new Map<string, Doc>();
    const derived = [...told, ...unlessCarried.filter(({ notification, carrierId }) => !listsMoves(carriers.get(carrierId), notification)).map((c) => c.notification)];
    // Told before (a replay after a crash, or a second holder's late batch): the inbox document exists, skip it.
    const known = derived.length ? await options.readStore.getMany(NOTIFICATION_INBOX, derived.map((n) => n.id)) : new Map<string, Doc>();
    const fresh = derived.filter((n) => !known.has(n.id));
    const people = [...new Set(fresh.map((n) => n.to).filter(isPersonalKey))];
    const preferences = people.length ? await options.readStore.getMany(NOTIFICATION_PREFERENCES, people) : new Map<string, Doc>();
    const inbox: Array<{ id: string; doc: Doc }> = [];
    const deliveries: Array<{ id: string; doc: Doc }> = [];
    const pending: Array<{ id: string; doc: Doc }> = [];
    const now = options.clock.now().toISOString();
    const positions = new Map(batch.map((e) => [e.metadata.eventId, Number(e.position)]));
    for (const n of fresh) {
      // The log position orders notifications of one instant (one command's events) as they happened.
      inbox.push({ id: n.id, doc: { ...n, position: positions.get(n.eventId) ?? 0 } as unknown as Doc });
      for (const channel of chooseChannels(asPreferences(preferences.get(n.to)), available, isPersonalKey(n.to))) {
        if (channel === 'inbox') continue;
        const id = deliveryId(n.id, channel);
        const record: DeliveryRecord = {
          id, notificationId: n.id, channel, to: n.to, kind: n.kind, audience: n.audience, caseId: n.caseId, facts: n.facts,
          status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, createdAt: now, sentAt: null,
        };
        deliveries.push({ id, doc: record as unknown as Doc });
        pending.push({ id, doc: { id, nextAttemptAt: now, position: positions.get(n.eventId) ?? 0 } });
      }
    }
    const last = batch.at(-1);
    await options.readStore.transaction(async (tx) => {
      if (token !== null) await tx.fence(NOTIFICATIONS, token);
      if (inbox.length) await tx.putMany(NOTIFICATION_INBOX, inbox);
      if (deliveries.length) await tx.putMany(NOTIFICATION_OUTBOX, deliveries);
      if (pending.length) await tx.putMany(NOTIFICATION_PENDING, pending);
      if (last) await tx.setCheckpoint(NOTIFICATIONS, last.checkpoint);
    });
    if (pending.length) nudge();
  }

  function link(record: DeliveryRecord): string | undefined {
    return options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}/${record.audience}/cases/${record.caseId}` : undefined;
  }

  /** Where a delivery goes now; null when it is no longer to be sent (the channel turned off, the address removed). */
  function targetOf(record: DeliveryRecord, preferences: NotificationPreferences | null): { address: string; language: Language } | null {
    const address = record.channel === 'email' ? preferences?.emailAddress : preferences?.phone;
    const chosen = record.channel === 'email' ? preferences?.email : preferences?.sms;
    const sender = record.channel === 'email' ? options.email : options.sms;
    return chosen && address && sender ? { address, language: preferences?.language ?? 'zh-CN' } : null;
  }

  /** One send of a claimed delivery (its attempt already counted) and what it came to. */
  async function send(record: DeliveryRecord, { address, language }: { address: string; language: Language }): Promise<DeliveryRecord> {
    const now = options.clock.now();
    try {
      if (record.channel === 'email') {
        const message = renderNotification(record.kind, record.facts, language, link(record));
        await options.email!.send({ id: record.id, to: address, subject: message.title, text: message.body, language });
      } else {
        await options.sms!.send({ id: record.id, to: address, text: renderSms(record.kind, record.facts, language, link(record)) });
      }
      return { ...record, status: 'sent', sentAt: now.toISOString(), lastError: null };
    } catch (error) {
      const { attempts } = record;
      const permanent = error instanceof DeliveryError && error.permanent;
      const reason = error instanceof Error ? error.message : String(error);
      if (permanent || attempts >= maxAttempts) {
        options.logger.warn({ delivery: record.id, channel: record.channel, attempts, reason }, 'notification delivery failed for good');
        return { ...record, status: 'failed', lastError: reason };
      }
      const wait = Math.min(maxBackoffMs, backoffDelayMs(backoffMs, attempts));
      return { ...record, lastError: reason, nextAttemptAt: new Date(now.getTime() + wait).toISOString() };
    }
  }

  /** One pass: every due delivery (oldest first, a page at a time), each outcome recorded right after its send. */
  async function dispatch(): Promise<number> {
    const now = options.clock.now().toISOString();
    const due = await options.readStore.find(NOTIFICATION_PENDING, {
      where: { nextAttemptAt: { lte: now } },
      // Oldest first, and one instant's messages in log order (accepted before approved before the certificate).
      orderBy: [{ field: 'nextAttemptAt', direction: 'asc' }, { field: 'position', direction: 'asc' }],
      limit: options.batchSize ?? 20,
    });
    if (!due.items.length) return 0;
    const records = await options.readStore.getMany(NOTIFICATION_OUTBOX, due.items.map((d) => String(d.id)));
    const people = [...new Set([...records.values()].map((r) => String(r.to)))];
    const preferences = await options.readStore.getMany(NOTIFICATION_PREFERENCES, people);
    for (const item of due.items) {
      if (stopped) break;
      const id = String(item.id);
      const position = Number(item.position ?? 0);
      /** The delivery as it now stands (null: nothing left to send), under the fence unless told otherwise. */
      const record = async (next: DeliveryRecord | null, fenced = true) =>
        options.readStore.transaction(async (tx) => {
          if (fenced && token !== null) await tx.fence(NOTIFICATIONS, token);
          if (next) await tx.put(NOTIFICATION_OUTBOX, id, next as unknown as Doc);
          if (!next || next.status !== 'pending') await tx.delete(NOTIFICATION_PENDING, id);
          else await tx.put(NOTIFICATION_PENDING, id, { id, nextAttemptAt: next.nextAttemptAt, position });
        });
      const delivery = records.get(id) as unknown as DeliveryRecord | undefined;
      if (!delivery || delivery.status !== 'pending') {
        await record(null);
        continue;
      }
      const target = targetOf(delivery, asPreferences(preferences.get(delivery.to)));
      if (!target) {
        await record({ ...delivery, status: 'cancelled', lastError: 'channel no longer chosen or no address' });
        continue;
      }
      // Every send counts when it is claimed, so sends whose outcome never got recorded (the worker died during each,
      // say, on a message that kills it) end too, rather than go on every claim for ever.
      if (delivery.attempts >= maxAttempts) {
        options.logger.warn({ delivery: id, channel: delivery.channel, attempts: delivery.attempts }, 'notification delivery failed for good');
        await record({ ...delivery, status: 'failed', lastError: delivery.lastError ?? `no outcome was recorded for its last ${delivery.attempts} sends` });
        continue;
      }
      // Claimed before it is sent, under the fence: once a newer holder has started, this one sends nothing more, and
      // the newer one leaves a delivery already on its way alone until the claim runs out (well past a sender's own
      // time limit). Only a send whose outcome never got recorded (the worker died mid-send) is then tried again,
      // with the same Message-ID or SMS reference.
      const claimed: DeliveryRecord = { ...delivery, attempts: delivery.attempts + 1, nextAttemptAt: new Date(options.clock.now().getTime() + claimMs).toISOString() };
      await record(claimed);
      const next = await send(claimed, target);
      // A message that left is on record whoever holds the lease by now: the newer holder, leaving it alone for the
      // claim, would otherwise send it again after. Anything else is this holder's to record only while it holds.
      await record(next, next.status !== 'sent');
    }
    return due.items.length;
  }

  function schedule(delayMs: number): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      running = (async () => {
        let full = false;
        try {
          again = false;
          full = (await dispatch()) >= (options.batchSize ?? 20);
        } catch (error) {
          options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'notification dispatch failed; retrying');
        } finally {
          running = null;
          schedule(full || again ? 0 : pollMs);
        }
      })();
    }, delayMs);
  }

  function nudge(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    schedule(0);
  }

  return {
    /** With a lease's fencing token, writes are refused once a newer holder started (raised first, then read). */
    async start(fence?: number): Promise<void> {
      token = fence ?? null;
      if (token !== null) await options.readStore.raiseFence(NOTIFICATIONS, token);
      let from: Checkpoint | null = await options.readStore.getCheckpoint(NOTIFICATIONS);
      if (!from) {
        // First start on a log that already holds cases: tell what happens from now on, not years of history. The
        // starting place is committed before anything is read, so a crash cannot move it past an untold event.
        from = (await options.eventStore.head?.()) ?? START;
        const start = from;
        await options.readStore.transaction(async (tx) => {
          if (token !== null) await tx.fence(NOTIFICATIONS, token);
          await tx.setCheckpoint(NOTIFICATIONS, start);
        });
      }
      stopped = false;
      subscription = options.eventStore.subscribe(from, handleBatch, {
        batchSize: options.feedBatchSize ?? 200,
        idleMs: 100,
        onError: (error) => options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'notification outbox error'),
        // The log went back in time under it. Reading it again from the start would tell, as new, everything before
        // this outbox's first start (it began at the head then), so it goes on from the head, and says which events
        // it will not tell: those appended since the restore up to now, at positions it had passed. Cases, work
        // queues and timers are whole again (projections rebuild, the reactor reads again); messages are courtesy.
        onRewound: async (from) => {
          const head = (await options.eventStore.head?.()) ?? START;
          options.logger.error({ checkpoint: from.prepare.toString(), head: head.prepare.toString() }, 'the event log went back in time under the notification outbox: events appended since, up to this head, are not told');
          await options.readStore.transaction(async (tx) => {
            if (token !== null) await tx.fence(NOTIFICATIONS, token);
            await tx.setCheckpoint(NOTIFICATIONS, head);
          });
          return head;
        },
      });
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await subscription?.stop();
      subscription = null;
      await running;
    },
    /** Runs one dispatch pass now (tests, and operators via the worker). */
    dispatch,
    get checkpoint(): Checkpoint | null {
      return subscription?.checkpoint ?? null;
    },
  };
}

export type NotificationOutbox = ReturnType<typeof createNotificationOutbox>;
