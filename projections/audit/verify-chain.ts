import { GENESIS_HASH, entryHash } from './hash-chain.ts';

export interface ChainBreak {
  seq: number;
  id: string;
  reason: string;
}

export interface ChainVerdict {
  ok: boolean;
  /** Entries checked before the first break (all of them when ok). */
  checked: number;
  firstBroken?: ChainBreak;
}

export interface VerifyOptions {
  /** Where checking resumes: the seq and hash of the entry before the first one given (a page after the first). */
  after?: { seq: number; hash: string };
  /** The trail's head document: catches entries cut off at the end, which leave no gap to notice. */
  head?: { seq: number; hash: string };
}

type Entry = Record<string, unknown>;

const idOf = (entry: Entry) => (typeof entry.id === 'string' ? entry.id : '?');

/**
 * Checks entries given in seq order: numbering without gaps, each prevHash equal to the previous hash, each hash
 * equal to the recomputed one. Reports the first entry where the chain breaks; everything before it is intact.
 */
export function verifyChain(entries: Iterable<Entry>, options: VerifyOptions = {}): ChainVerdict {
  let expectedSeq = (options.after?.seq ?? 0) + 1;
  let previousHash = options.after?.hash ?? GENESIS_HASH;
  let checked = 0;
  const broken = (entry: Entry, seq: number, reason: string): ChainVerdict => ({ ok: false, checked, firstBroken: { seq, id: idOf(entry), reason } });
  for (const entry of entries) {
    const seq = entry.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return broken(entry, expectedSeq, 'seq is missing or not a whole number');
    if (seq !== expectedSeq) {
      const reason = seq > expectedSeq ? `entries ${expectedSeq}..${seq - 1} are missing` : `seq ${seq} repeats or goes back (expected ${expectedSeq})`;
      return broken(entry, seq, reason);
    }
    if (entry.prevHash !== previousHash) return broken(entry, seq, 'prevHash does not match the hash of the previous entry');
    if (typeof entry.hash !== 'string' || entry.hash !== entryHash(entry as Entry & { prevHash: string })) {
      return broken(entry, seq, 'hash does not match the entry content');
    }
    previousHash = entry.hash;
    expectedSeq += 1;
    checked += 1;
  }
  const head = options.head;
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== previousHash)) {
    const reason = head.seq > expectedSeq - 1 ? `entries ${expectedSeq}..${head.seq} are missing at the end` : 'the head does not match the last entry';
    return { ok: false, checked, firstBroken: { seq: head.seq, id: 'head', reason } };
  }
  return { ok: true, checked };
}
