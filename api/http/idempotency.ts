/**
 * Idempotency-Key scoping. A key is the client's name for one request, so it is only meaningful for the principal
 * that sent it: the command id is derived from (principal, key), and another principal sending the same key names
 * another command. Without the scope a key is global: someone could take a key first and make another's POST
 * /cases answer with their case, or replay a key to learn another's case id, revision and status.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../auth/index.ts';
import { registerErrorMapping } from './error-mapping.ts';
import { unprocessable } from './problem.ts';

/** A UUID-shaped (version 8, RFC 9562) hash of the principal and the key; stable across retries and processes. */
export function keyedCommandId(principal: Principal | null, key: string): string {
  const scope = principal ? `${principal.kind}\u0000${principal.id}` : 'anonymous';
  const hex = createHash('sha256').update(`idempotency\u0000${scope}\u0000${key}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** The same key with another method, path or payload is a client bug; replaying the first answer would hide it. */
registerErrorMapping('IDEMPOTENCY_KEY_REUSED', (error) =>
  unprocessable(error.message, { slug: 'idempotency-key-reused', title: 'Idempotency-Key used for another request' }),
);
