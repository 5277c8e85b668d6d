export * from '../../domain/ports/notifications.ts';
export { createInProcessSmsSender, type InProcessSms } from './sms-in-process.ts';
export { createHttpSmsSender, type HttpSmsOptions } from './sms-http.ts';
export * from './outbox.ts';
export * from './inbox.ts';
export { loadNotificationConfig, type NotificationConfig } from './config.ts';
