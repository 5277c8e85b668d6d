import {
  ANY_ROLE,
  DEFAULT_PREFERENCES,
  recipientKey,
  renderNotification,
  type Language,
  type Notification,
  type NotificationPreferences,
} from '../../domain/notifications/index.ts';
import type { Doc, ReadStore } from '../../domain/ports/read-store.ts';
import { NOTIFICATION_INBOX, NOTIFICATION_PREFERENCES, NOTIFICATION_READS } from './outbox.ts';

/** Who reads an inbox: a citizen, or a clerk (who also sees the cards of their department and roles). */
export type Reader = { kind: 'citizen'; id: string } | { kind: 'clerk'; id: string; department: string; roles: string[] };

export function readerKey(reader: Reader): string {
  return recipientKey({ kind: reader.kind, id: reader.id });
}

/** Every recipient key whose notifications this reader sees. */
export function inboxKeys(reader: Reader): string[] {
  if (reader.kind === 'citizen') return [readerKey(reader)];
  return [readerKey(reader), ...[ANY_ROLE, ...reader.roles].map((role) => recipientKey({ kind: 'group', department: reader.department, role }))];
}

export interface InboxItem {
  id: string;
  kind: Notification['kind'];
  caseId: string;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
  /** The page where the reader acts on it. */
  href: string;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  unread: number;
}

const markId = (reader: string, notification: string) => `${reader}.${notification}`;

export async function readInbox(store: ReadStore, reader: Reader, options: { language: Language; limit: number; offset: number }): Promise<InboxPage> {
  const keys = inboxKeys(reader);
  const me = readerKey(reader);
  const page = await store.find(NOTIFICATION_INBOX, {
    where: { to: { in: keys } },
    orderBy: [{ field: 'createdAt', direction: 'desc' }, { field: 'position', direction: 'desc' }],
    limit: options.limit,
    offset: options.offset,
  });
  const marks = page.items.length ? await store.getMany(NOTIFICATION_READS, page.items.map((n) => markId(me, String(n.id)))) : new Map<string, Doc>();
  const readCount = (await store.find(NOTIFICATION_READS, { where: { reader: me, to: { in: keys } }, limit: 1 })).total;
  const items = page.items.map((doc) => {
    const n = doc as unknown as Notification;
    const message = renderNotification(n.kind, n.facts, options.language);
    return {
      id: n.id,
      kind: n.kind,
      caseId: n.caseId,
      title: message.title,
      body: message.body,
      createdAt: n.createdAt,
      read: marks.has(markId(me, n.id)),
      href: `/${reader.kind}/cases/${n.caseId}`,
    };
  });
  return { items, total: page.total, unread: Math.max(0, page.total - readCount) };
}

/** Marks one notification read for this reader; false when it is not in their inbox. Idempotent. */
export async function markRead(store: ReadStore, reader: Reader, id: string, at: Date): Promise<boolean> {
  const doc = await store.get(NOTIFICATION_INBOX, id);
  const keys = inboxKeys(reader);
  if (!doc || !keys.includes(String(doc.to))) return false;
  const me = readerKey(reader);
  await store.transaction(async (tx) => tx.put(NOTIFICATION_READS, markId(me, id), { reader: me, to: String(doc.to), notificationId: id, readAt: at.toISOString() }));
  return true;
}

export async function readPreferences(store: ReadStore, reader: Reader): Promise<NotificationPreferences> {
  const doc = await store.get(NOTIFICATION_PREFERENCES, readerKey(reader));
  return doc ? { ...DEFAULT_PREFERENCES, ...(doc as unknown as NotificationPreferences) } : { ...DEFAULT_PREFERENCES };
}

export async function writePreferences(store: ReadStore, reader: Reader, preferences: NotificationPreferences): Promise<void> {
  const doc: Doc = { ...preferences };
  await store.transaction(async (tx) => tx.put(NOTIFICATION_PREFERENCES, readerKey(reader), doc));
}
