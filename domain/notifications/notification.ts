import { createHash } from 'node:crypto';
import type { LocalizedText } from '../catalogue/index.ts';

/**
 * What someone must be told about a case: a notification is derived from one event for one recipient. Pure data: no
 * names, no ID numbers, no form values; only what the message needs (the receipt number, the service, dates, which
 * materials).
 */
export type NotificationKind =
  | 'accepted'
  | 'notAccepted'
  | 'supplementRequested'
  | 'revisionRequested'
  | 'previewToConfirm'
  | 'approved'
  | 'denied'
  | 'certificateIssued'
  | 'followUpRequired'
  | 'followUpDue'
  | 'deadlineWarning'
  | 'deadlineOverdue'
  | 'suspended'
  | 'resumed'
  | 'datesMoved';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  'accepted', 'notAccepted', 'supplementRequested', 'revisionRequested', 'previewToConfirm', 'approved', 'denied',
  'certificateIssued', 'followUpRequired', 'followUpDue', 'deadlineWarning', 'deadlineOverdue', 'suspended', 'resumed',
  'datesMoved',
];

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

/**
 * Who is told. A person (the applicant, or a clerk holding the case) is named only by a key hashed from their id, so
 * no outbox, inbox or preference record holds an ID number. A group is a department's clerks in one role ('any':
 * every clerk of the department), for cards nobody holds yet and for supervisors (approvers).
 */
export type Recipient = { kind: 'citizen' | 'clerk'; id: string } | { kind: 'group'; department: string; role: string };

export const ANY_ROLE = 'any';

/** The stored key of a recipient: `p-<32 hex>` for a person, `g-<DEPT>-<role>` for a group. */
export function recipientKey(recipient: Recipient): string {
  if (recipient.kind === 'group') return `g-${recipient.department}-${recipient.role}`;
  return `p-${createHash('sha256').update(`errand/notifications/${recipient.kind}/${recipient.id}`).digest('hex').slice(0, 32)}`;
}

/** A person's key receives email and SMS when they chose them; a group's only the inbox. */
export function isPersonalKey(key: string): boolean {
  return key.startsWith('p-');
}

/** Everything a template may say: never personal data. */
export interface NotificationFacts {
  receiptNo?: string | null;
  service: LocalizedText;
  /** A due date (YYYY-MM-DD) the recipient must act by, or the limit that is close / passed. */
  dueOn?: string | null;
  materials?: LocalizedText[];
  limit?: 'promised' | 'statutory';
  level?: 'yellow' | 'red';
  certificateNo?: string | null;
  /** Why the case is paused (a suspension): its kind only; the reason typed by the clerk is on the case page. */
  suspension?: 'hearing' | 'testing' | 'inspection' | 'expert_review';
  /** Dates the applicant was told that have moved, each from what it was to what it is now. */
  moved?: MovedDate[];
  /** What moved them: the limit extended (art. 42), the case resumed after a suspension, or the limits recomputed (a new holiday calendar, new counting rules). */
  cause?: 'extended' | 'resumed' | 'recalculated';
}

/** A date the applicant was told (the promised decision, a supplement's or an owed material's due date) that moved. */
export interface MovedDate {
  limit: 'promised' | 'statutory' | 'supplement' | 'followUp';
  previousOn: string;
  dueOn: string;
  /** followUp: the material owed. */
  material?: LocalizedText;
}

export interface Notification {
  /** Deterministic: the same event and recipient always give the same id, so a replay finds it already there. */
  id: string;
  kind: NotificationKind;
  to: string;
  /** Where the recipient acts: 'citizen' or 'clerk' pages (the link in messages). */
  audience: 'citizen' | 'clerk';
  caseId: string;
  facts: NotificationFacts;
  eventId: string;
  createdAt: string;
}

/**
 * The notification id: a UUID-shaped digest of (event id, kind, recipient key). An event told twice (a replay after
 * a crash) gives the same id, so the outbox keeps one record and sends one message.
 */
export function notificationId(eventId: string, kind: NotificationKind, to: string): string {
  const hex = createHash('sha256').update(`${eventId}\n${kind}\n${to}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export type Channel = 'inbox' | 'email' | 'sms';
export const DELIVERY_CHANNELS: readonly Exclude<Channel, 'inbox'>[] = ['email', 'sms'];

/** One channel's delivery of one notification: its outbox record's id. */
export function deliveryId(notification: string, channel: Exclude<Channel, 'inbox'>): string {
  return `${notification}.${channel}`;
}
