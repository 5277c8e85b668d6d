import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What every chained entry carries; the rest of the entry is whatever the trail records. */
export interface Chained {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * sha256(prevHash + canonical JSON of the entry without its own hash). The entry holds its prevHash and seq too, so
 * changing, reordering or renumbering any entry changes its hash, and the next entry no longer links to it.
 */
export function entryHash(entry: Record<string, unknown> & { prevHash: string }): string {
  const { hash: _own, ...content } = entry;
  return createHash('sha256').update(entry.prevHash).update(canonicalJson(content)).digest('hex');
}

/** Links content into the chain after `head` (null for the first entry). */
export function chain<T extends Record<string, unknown>>(content: T, head: { seq: number; hash: string } | null): T & Chained {
  const linked = { ...content, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...linked, hash: entryHash(linked) };
}
