import type { Engine } from '../../runtime/engine.ts';
import {
  markRead,
  NOTIFICATION_OUTBOX,
  readInbox,
  readPreferences,
  writePreferences,
  type Reader,
} from '../../adapters/notifications/index.ts';
import { EMAIL_PATTERN, LANGUAGES, NOTIFICATION_KINDS, PHONE_PATTERN, type Language, type NotificationPreferences } from '../../domain/notifications/index.ts';
import type { Principal } from '../auth/index.ts';
import { defineRoute, notFound, unprocessable, type ApiRouter } from '../http/index.ts';
import type { JsonSchema } from '../openapi/index.ts';
import { pagingQuery } from './paging.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const inboxItemSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'caseId', 'title', 'body', 'createdAt', 'read', 'href'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: [...NOTIFICATION_KINDS] },
    caseId: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    read: { type: 'boolean' },
    href: { type: 'string', description: 'The page where the reader acts on it' },
  },
};

const inboxSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'unread', 'page', 'pageSize'],
  properties: {
    items: { type: 'array', items: ref('InboxItem') },
    total: { type: 'integer', minimum: 0 },
    unread: { type: 'integer', minimum: 0 },
    page: { type: 'integer' },
    pageSize: { type: 'integer' },
  },
};

const preferencesSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['language', 'email', 'sms', 'emailAddress', 'phone', 'available'],
  properties: {
    language: { type: 'string', enum: [...LANGUAGES] },
    email: { type: 'boolean', description: 'Send by email (needs emailAddress); the inbox is always on' },
    sms: { type: 'boolean', description: 'Send by SMS (needs phone)' },
    emailAddress: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    available: {
      type: 'object',
      additionalProperties: false,
      required: ['email', 'sms'],
      properties: { email: { type: 'boolean' }, sms: { type: 'boolean' } },
      description: 'Channels this server can send on (email needs SMTP_URL)',
    },
  },
};

const preferencesBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['language', 'email', 'sms'],
  properties: {
    language: { type: 'string', enum: [...LANGUAGES] },
    email: { type: 'boolean' },
    sms: { type: 'boolean' },
    emailAddress: { type: ['string', 'null'], maxLength: 254, pattern: EMAIL_PATTERN },
    phone: { type: ['string', 'null'], maxLength: 16, pattern: PHONE_PATTERN },
  },
};

const deliverySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'notificationId', 'channel', 'kind', 'caseId', 'status', 'attempts', 'nextAttemptAt', 'lastError', 'createdAt', 'sentAt'],
  properties: {
    id: { type: 'string' },
    notificationId: { type: 'string' },
    channel: { type: 'string', enum: ['email', 'sms'] },
    kind: { type: 'string', enum: [...NOTIFICATION_KINDS] },
    caseId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'sent', 'failed', 'cancelled'] },
    attempts: { type: 'integer', minimum: 0 },
    nextAttemptAt: { type: 'string', format: 'date-time' },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    sentAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

function readerOf(principal: Principal): Reader {
  if (principal.kind === 'clerk') return { kind: 'clerk', id: principal.id, department: principal.department, roles: principal.roles };
  return { kind: 'citizen', id: principal.id };
}

/** The inbox, preferences and the delivery log; registers its named schemas on the router. */
export function registerNotificationRoutes(api: ApiRouter, engine: Engine): void {
  const store = engine.stores.readStore;
  const available = () => ({ email: engine.notifications.email !== null, sms: engine.notifications.sms !== null });
  api.schema('InboxItem', inboxItemSchema);
  api.schema('NotificationPreferences', preferencesSchema);
  api.schema('NotificationDelivery', deliverySchema);
  const people = ['citizen', 'clerk'] as const;
  api.add(
    defineRoute<Record<string, never>, { page: number; pageSize: number; lang?: Language }, unknown>({
      method: 'get',
      path: '/me/notifications',
      summary: 'My inbox: what I must act on, newest first, with the unread count',
      description:
        'A citizen sees what concerns their cases; a clerk also sees the deadline cards of their department (and, as an approver, the red cards for supervisors). Texts are in `lang`, else the language of my preferences.',
      tags: ['notifications'],
      auth: [...people],
      query: { type: 'object', properties: { ...pagingQuery(20, 100), lang: { type: 'string', enum: [...LANGUAGES] } } },
      responses: { 200: { description: 'Inbox page', schema: inboxSchema } },
      handler: async (ctx) => {
        const reader = readerOf(ctx.requirePrincipal());
        const language = ctx.query.lang ?? (await readPreferences(store, reader)).language;
        const page = await readInbox(store, reader, { language, limit: ctx.query.pageSize, offset: (ctx.query.page - 1) * ctx.query.pageSize });
        return { status: 200, body: { ...page, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
    defineRoute<{ notificationId: string }, Record<string, never>, unknown>({
      method: 'post',
      path: '/me/notifications/:notificationId/read',
      summary: 'Mark a notification of my inbox read (again: no change)',
      tags: ['notifications'],
      auth: [...people],
      params: { type: 'object', required: ['notificationId'], properties: { notificationId: { type: 'string', format: 'uuid' } } },
      body: { type: 'object', properties: {}, additionalProperties: false },
      responses: { 204: { description: 'Marked read' }, 404: { description: 'Not in my inbox' } },
      handler: async (ctx) => {
        if (!(await markRead(store, readerOf(ctx.requirePrincipal()), ctx.params.notificationId, engine.clock.now()))) throw notFound('no such notification in your inbox');
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/notification-preferences',
      summary: 'How I am told: language, email and SMS (the inbox is always on)',
      tags: ['notifications'],
      auth: [...people],
      responses: { 200: { description: 'My preferences', schema: ref('NotificationPreferences') } },
      handler: async (ctx) => ({ status: 200, body: { ...(await readPreferences(store, readerOf(ctx.requirePrincipal()))), available: available() } }),
    }),
    defineRoute<Record<string, never>, Record<string, never>, Partial<NotificationPreferences> & Pick<NotificationPreferences, 'language' | 'email' | 'sms'>>({
      method: 'put',
      path: '/me/notification-preferences',
      summary: 'Choose how I am told',
      description: 'Choosing email needs an emailAddress and SMTP on the server; SMS needs a phone (E.164, or 11 digits for a mainland mobile). Addresses are kept only to send, never shown in logs or the delivery log.',
      tags: ['notifications'],
      auth: [...people],
      body: preferencesBody,
      responses: { 200: { description: 'Saved', schema: ref('NotificationPreferences') }, 422: { description: 'A channel chosen without its address, or not available here' } },
      handler: async (ctx) => {
        const body = ctx.body;
        const next: NotificationPreferences = { language: body.language, email: body.email, sms: body.sms, emailAddress: body.emailAddress ?? null, phone: body.phone ?? null };
        if (next.email && !next.emailAddress) throw unprocessable('email chosen without an emailAddress', { slug: 'notification-address-missing' });
        if (next.sms && !next.phone) throw unprocessable('sms chosen without a phone', { slug: 'notification-address-missing' });
        if (next.email && !available().email) throw unprocessable('this server sends no email (SMTP_URL is not set)', { slug: 'notification-channel-unavailable' });
        await writePreferences(store, readerOf(ctx.requirePrincipal()), next);
        return { status: 200, body: { ...next, available: available() } };
      },
    }),
    defineRoute<Record<string, never>, { page: number; pageSize: number; status?: string }, unknown>({
      method: 'get',
      path: '/admin/notifications',
      summary: 'Email and SMS deliveries: pending retries and failures with their last error (never an address)',
      tags: ['admin'],
      auth: ['admin'],
      query: { type: 'object', properties: { ...pagingQuery(50, 200), status: { type: 'string', enum: ['pending', 'sent', 'failed', 'cancelled'] } } },
      responses: {
        200: {
          description: 'Deliveries, newest first',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['items', 'total', 'page', 'pageSize'],
            properties: { items: { type: 'array', items: ref('NotificationDelivery') }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
          },
        },
      },
      handler: async (ctx) => {
        const result = await store.find(NOTIFICATION_OUTBOX, {
          where: ctx.query.status ? { status: ctx.query.status } : {},
          orderBy: [{ field: 'createdAt', direction: 'desc' }],
          limit: ctx.query.pageSize,
          offset: (ctx.query.page - 1) * ctx.query.pageSize,
        });
        const items = result.items.map((d) => ({
          id: d.id, notificationId: d.notificationId, channel: d.channel, kind: d.kind, caseId: d.caseId, status: d.status,
          attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, createdAt: d.createdAt, sentAt: d.sentAt,
        }));
        return { status: 200, body: { items, total: result.total, page: ctx.query.page, pageSize: ctx.query.pageSize } };
      },
    }),
  );
}
