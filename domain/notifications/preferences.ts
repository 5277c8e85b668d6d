import type { Channel, Language } from './notification.ts';

/**
 * A person's choice: the inbox always (what one must act on is never silent), email and SMS when chosen and an
 * address is given. Kept under the person's recipient key; addresses are personal data, read only to send.
 */
export interface NotificationPreferences {
  language: Language;
  email: boolean;
  sms: boolean;
  emailAddress: string | null;
  phone: string | null;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = { language: 'zh-CN', email: false, sms: false, emailAddress: null, phone: null };

/** Which channels the server can use: email needs SMTP_URL; SMS always has an adapter (in-process by default). */
export interface AvailableChannels {
  email: boolean;
  sms: boolean;
}

/**
 * The channels a notification goes out on: the inbox always; email and SMS only for a person who chose them, gave an
 * address, and only when the server has that channel. Groups (a department's clerks) get the inbox only.
 */
export function chooseChannels(preferences: NotificationPreferences | null, available: AvailableChannels, personal: boolean): Channel[] {
  const channels: Channel[] = ['inbox'];
  if (!personal || !preferences) return channels;
  if (preferences.email && preferences.emailAddress && available.email) channels.push('email');
  if (preferences.sms && preferences.phone && available.sms) channels.push('sms');
  return channels;
}

/** A mobile number: E.164 (+ and 8-15 digits) or a mainland number (11 digits starting with 1). */
export const PHONE_PATTERN = '^(\\+[1-9][0-9]{7,14}|1[3-9][0-9]{9})$';
export const EMAIL_PATTERN = '^[^\\s@<>()",;:]+@[^\\s@<>()",;:]+\\.[^\\s@<>()",;:]+$';
