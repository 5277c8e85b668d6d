import type { ReadStore } from '../../domain/ports/read-store.ts';
import { activeCollection } from '../runner/index.ts';
import { AUDIT_HEAD, AUDIT_TRAIL, AUDIT_TRAIL_PROJECTION, AUDIT_TRAIL_VERSION, HEAD_ID } from '../views/audit-trail/index.ts';
import { verifyChain, type ChainVerdict } from './verify-chain.ts';

const PAGE = 1000;

/** Verifies page by page, resuming each page from the last hash, so memory stays flat however long the trail. */
export async function verifyStoredChain(readStore: ReadStore): Promise<ChainVerdict> {
  const fallback = { fallbackVersion: AUDIT_TRAIL_VERSION };
  const trail = await activeCollection(readStore, AUDIT_TRAIL_PROJECTION, AUDIT_TRAIL, fallback);
  const heads = await activeCollection(readStore, AUDIT_TRAIL_PROJECTION, AUDIT_HEAD, fallback);
  const head = await readStore.get(heads, HEAD_ID);
  let after: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const { items } = await readStore.find(trail, {
      where: after ? { seq: { gt: after.seq } } : {},
      orderBy: [{ field: 'seq', direction: 'asc' }],
      limit: PAGE,
    });
    const last = items.length < PAGE;
    // The head is checked with the last page only: it describes the end of the chain.
    const verdict = verifyChain(items, { after, head: last && head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined });
    checked += verdict.checked;
    if (!verdict.ok) return { ...verdict, checked };
    if (last) return { ok: true, checked };
    const end = items[items.length - 1]!;
    after = { seq: Number(end.seq), hash: String(end.hash) };
  }
}
