import { createHash } from 'node:crypto';

/**
 * Event ids derive from the command id, so a command retried after a lost response produces the same ids and the
 * store's idempotent append turns the second write into a no-op.
 */
export function eventIdFor(commandId: string, index: number): string {
  const hex = createHash('sha256').update(`${commandId}\u0000${index}`).digest('hex');
  // Shaped as a version-8 (custom) RFC 9562 UUID so stores that type the column as uuid accept it.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A case id for a new application, stable for a given command id so a retried create opens the same case. */
export function caseIdFor(commandId: string): string {
  return eventIdFor(`case\u0000${commandId}`, 0);
}
