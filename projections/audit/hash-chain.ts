import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/json/canonical-json.ts';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What every chained entry carries; the rest of the entry is whatever the trail records. */
export interface Chained {
  seq: number;
  prevHash: string;
  hash: string;
}

const sha256 = (prevHash: string, content: Record<string, unknown>) => createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');

/**
 * sha256(prevHash + canonical JSON of the entry without its own hash). The entry holds its prevHash and seq too, so
 * changing, reordering or renumbering any entry changes its hash, and the next entry no longer links to it.
 */
export function entryHash(entry: Record<string, unknown> & { prevHash: string }): string {
  if (!('hash' in entry)) return sha256(entry.prevHash, entry);
  const { hash: _own, ...content } = entry;
  return sha256(entry.prevHash, content);
}

/** Links content into the chain after `head` (null for the first entry). */
export function chain<T extends Record<string, unknown>>(content: T, head: { seq: number; hash: string } | null): T & Chained {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const linked: Record<string, unknown> = { ...content, seq: (head?.seq ?? 0) + 1, prevHash };
  linked.hash = sha256(prevHash, linked);
  return linked as T & Chained;
}
