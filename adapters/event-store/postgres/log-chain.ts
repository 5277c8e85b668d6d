import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../domain/json/canonical-json.ts';
import type { LogFault, LogVerdict, TrustedHead } from '../../../domain/ports/event-store.ts';

export type { LogFault, LogVerdict, TrustedHead } from '../../../domain/ports/event-store.ts';

/**
 * The event log's hash links (issue #12, item 1): pure, so the append path, the migration that links old rows and
 * the verifier share one definition. Each stored event carries
 *
 *   digest = sha256(RFC 8785 canonical JSON of { type, data, metadata })        computed in Node before the append
 *   entry  = sha256(int8 position || int8 revision || sha256(utf8 stream) || digest)   fixed widths: unambiguous
 *   link   = sha256(previous link || entry), the first previous link being 32 zero bytes
 *
 * and the SQL append function computes entry and link under the log lock (migration 004), so the stored link of
 * position n commits to every byte of every event up to n and to their order. Changing, deleting, reordering or
 * inserting an event breaks the recomputed chain at that event; an attacker who also rewrites every later link
 * (or truncates the tail) produces a chain that no longer matches a head exported earlier (signed heads).
 *
 * Why a hash chain and not a Merkle tree (RFC 9162): a Merkle tree gives logarithmic inclusion and consistency
 * proofs to clients that do not hold the log. Our auditors do hold it (they verify the contents of every event,
 * which is linear anyway), the platform appends under one lock where a chain costs one hash per event and a tree
 * would cost a path update, and "the log only grew since head H" is checked by recomputing the chain up to H's
 * position and comparing links, exactly what Certificate Transparency's consistency check establishes.
 */
export const GENESIS_LINK: Buffer = Buffer.alloc(32);

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** What the digest covers: the event as stored (the stored jsonb parsed back gives the same canonical bytes). */
export interface EventContent {
  type: string;
  data: unknown;
  metadata: unknown;
}

export function eventDigest(event: EventContent): Buffer {
  return sha256(Buffer.from(canonicalJson({ type: event.type, data: event.data, metadata: event.metadata }), 'utf8'));
}

const int8 = (value: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(value);
  return bytes;
};

export function entryHash(position: bigint, stream: string, revision: bigint, digest: Buffer): Buffer {
  return sha256(int8(position), int8(revision), sha256(Buffer.from(stream, 'utf8')), digest);
}

export function nextLink(previous: Buffer, entry: Buffer): Buffer {
  return sha256(previous, entry);
}

/** One row of the events table as the verifier reads it. */
export interface StoredEntry extends EventContent {
  position: bigint;
  stream: string;
  revision: bigint;
  link: Buffer;
}

/**
 * Walks the log in position order, fed page by page. Stops at the first fault: what follows a broken link cannot
 * be vouched for. Links are recomputed from the contents, never taken from the row, so a row whose link was
 * rewritten to fit its forged contents still fails where the recomputed chain and a trusted head part.
 */
export class LogVerifier {
  private link: Buffer = GENESIS_LINK;
  private expected: bigint | null = null;
  private checked = 0;
  private fault: LogFault | null = null;
  private heads: TrustedHead[];
  private readonly matched = new Set<TrustedHead>();

  /** `from`: start after a point already verified (a signed head), to check only what was appended since. */
  constructor(heads: readonly TrustedHead[] = [], from?: TrustedHead) {
    this.heads = [...heads].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    if (from) {
      this.link = Buffer.from(from.link, 'hex');
      this.expected = from.position + 1n;
      this.heads = this.heads.filter((h) => h.position > from.position);
    }
  }

  /** False once a fault is found: the caller may stop reading. */
  push(entry: StoredEntry): boolean {
    if (this.fault) return false;
    if (this.expected !== null && entry.position !== this.expected) {
      return this.fail(this.expected, `expected position ${this.expected} next, found ${entry.position}: an event is missing or out of order`);
    }
    let digest: Buffer;
    try {
      digest = eventDigest(entry);
    } catch (error) {
      return this.fail(entry.position, `contents cannot be canonicalised: ${(error as Error).message}`);
    }
    const link = nextLink(this.link, entryHash(entry.position, entry.stream, entry.revision, digest));
    if (!link.equals(entry.link)) {
      return this.fail(entry.position, 'stored link does not match the event and the link before it: the event or one before it was altered');
    }
    for (const head of this.heads) {
      if (head.position !== entry.position) continue;
      if (head.link !== link.toString('hex')) {
        return this.fail(entry.position, `the log differs from the trusted head at position ${head.position}: it was rewritten`);
      }
      this.matched.add(head);
    }
    this.link = link;
    this.expected = entry.position + 1n;
    this.checked += 1;
    return true;
  }

  finish(): LogVerdict {
    const last = this.expected === null ? null : { position: this.expected - 1n, link: this.link.toString('hex') };
    if (!this.fault) {
      const end = last?.position ?? 0n;
      const missed = this.heads.find((h) => !this.matched.has(h));
      if (missed && missed.position > end) {
        this.fault = { position: end + 1n, reason: `the log ends at position ${end} but a trusted head vouches for position ${missed.position}: events were removed` };
      } else if (missed) {
        this.fault = { position: missed.position, reason: `a trusted head vouches for position ${missed.position}, which the log no longer holds` };
      }
    }
    return { ok: this.fault === null, checked: this.checked, last, fault: this.fault };
  }

  private fail(position: bigint, reason: string): false {
    this.fault = { position, reason };
    return false;
  }
}
