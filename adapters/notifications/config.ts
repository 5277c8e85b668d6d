import { ConfigError } from '../config/index.ts';

export interface NotificationConfig {
  /** smtp:// or smtps:// (nodemailer connection URL); email is off without it. */
  smtpUrl: string | null;
  smtpFrom: string;
  /** An SMS provider speaking the documented shape; without it SMS stays in this process (adapters/notifications/sms-in-process.ts). */
  smsUrl: string | null;
  smsToken: string | null;
  /** Base URL of the pages, for the link in emails and SMS. */
  publicUrl: string | null;
  maxAttempts: number;
  backoffMs: number;
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function urlOf(env: Env, name: string, protocols: string[]): string | null {
  const raw = value(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not echoed: a mistyped URL may still hold a password.
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, '(hidden)');
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) throw new ConfigError(name, `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`, `${parsed.protocol}//…`);
  return raw;
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  return Number(raw);
}

/** The notification settings (README, Configuration): checked at start like every other variable. */
export function loadNotificationConfig(env: Env = process.env): NotificationConfig {
  const smtpFrom = value(env, 'SMTP_FROM') ?? 'Errand <no-reply@errand.invalid>';
  if (!/@[^\s@>]+/.test(smtpFrom)) throw new ConfigError('SMTP_FROM', 'an address such as "Errand <no-reply@city.example>"', smtpFrom);
  return {
    smtpUrl: urlOf(env, 'SMTP_URL', ['smtp', 'smtps']),
    smtpFrom,
    smsUrl: urlOf(env, 'SMS_URL', ['http', 'https']),
    smsToken: value(env, 'SMS_TOKEN'),
    publicUrl: urlOf(env, 'PUBLIC_URL', ['http', 'https']),
    maxAttempts: whole(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 100),
    backoffMs: whole(env, 'NOTIFY_BACKOFF_MS', 5000, 10, 3_600_000),
  };
}
