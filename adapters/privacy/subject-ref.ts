import { createHmac, type KeyObject } from 'node:crypto';

/**
 * A keyed hash (HMAC-SHA-256) of a subject's identity number: how the key store finds a subject's keys, e.g. for
 * erasure on request, without holding the number. Without the secret the number cannot be recovered by trying
 * every possible ID (an unkeyed hash could be: ID numbers are few and structured).
 */
export function subjectRef(secret: Buffer | KeyObject, subject: { type: string; id: string }): string {
  return `sr_${createHmac('sha256', secret).update(`${subject.type}\u0000${subject.id}`, 'utf8').digest('base64url')}`;
}
