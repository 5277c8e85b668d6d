/**
 * Signed heads of the event log (issue #12, item 1), after Certificate Transparency's signed tree heads: the
 * platform periodically signs { position, size, link, timestamp, previous } where `link` is the log's hash link at
 * `position` (adapters/event-store/postgres/log-chain.ts) and `previous` the SHA-256 of the head before it, so the
 * heads form a chain of their own. An auditor keeps an exported head; later, `audit verify --head FILE` proves the
 * log still holds exactly what the head vouched for and only grew since.
 */
import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import type { EventStore, StoredLogHead, TrustedHead } from '../event-store/index.ts';
import { verifyHeadJws, type HeadSigner } from './sign.ts';

export const LOG_NAME = 'errand-event-log';

/** What is signed; bigints as decimal strings so positions beyond 2^53 survive JSON. */
export interface HeadPayload {
  log: typeof LOG_NAME;
  position: string;
  size: string;
  link: string;
  timestamp: string;
  previous: string | null;
}

/** The exported file: the payload in clear, the key id and the compact JWS over it. */
export interface ExportedHead extends HeadPayload {
  kid: string;
  jws: string;
}

export const headDigest = (jws: string) => createHash('sha256').update(jws).digest('hex');

function payloadOf(jws: string): HeadPayload {
  const part = jws.split('.')[1];
  if (part === undefined) throw new Error('not a compact JWS');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as HeadPayload;
}

function kidOf(jws: string): string {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : '';
  } catch {
    return '';
  }
}

/**
 * A stored head as an auditor would export it. A row whose JWS does not even parse (written straight into the table,
 * not by a publisher) is exported with its own columns, to fail the signature check by name rather than stop the
 * audit with an exception.
 */
export function exportHead(stored: StoredLogHead): ExportedHead {
  let signed: Partial<HeadPayload> = {};
  try {
    signed = payloadOf(stored.jws);
  } catch {
    // Left to checkHeads: no key verifies it.
  }
  const columns: HeadPayload = { log: LOG_NAME, position: stored.position.toString(), size: stored.size.toString(), link: stored.link, timestamp: stored.signedAt, previous: null };
  return { ...columns, ...signed, kid: kidOf(stored.jws), jws: stored.jws };
}

/**
 * The latest stored head, before a new one is built on it: signed by a key of this platform, its row's position and
 * link the signed ones, and the log still reaching it. Anyone with only the database password can insert a row into
 * the heads table (its triggers refuse only changes and deletions); building on such a row would verify nothing after
 * it and sign nothing again, without a word.
 */
async function checkLatest(store: EventStore, previous: StoredLogHead, keys: readonly JWK[]): Promise<void> {
  const exported = exportHead(previous);
  const check = await checkHeads([exported], keys, false);
  const refuse = (reason: string) => new Error(`refusing to sign a head: the latest stored head (position ${previous.position}) ${reason}`);
  if (!check.ok) throw refuse(`does not verify: ${check.fault!.reason}`);
  if (exported.position !== previous.position.toString() || exported.link !== previous.link) throw refuse('is not what its signature says: its row was written by hand');
  const end = await store.head?.();
  if (end && end.prepare < previous.position) throw refuse(`lies beyond the end of the log (position ${end.prepare}): events it vouched for were removed`);
}

/**
 * Verifies what was appended since the last signed head (so a head is never signed over a broken chain), signs the
 * new head and keeps it beside the log. Returns the latest head; nothing new is signed when the log has not grown.
 */
export async function publishHead(store: EventStore, signer: HeadSigner, now: () => Date = () => new Date(), keys: readonly JWK[] = []): Promise<ExportedHead | null> {
  const { verifyLog, logHeads } = store;
  if (!verifyLog || !logHeads) throw new Error(`the ${store.kind} event store keeps no hash-linked log to sign`);
  const previous = await logHeads.latest();
  // The signer's own key and the platform's earlier ones (a head signed before a rotation).
  if (previous) await checkLatest(store, previous, [await signer.publicJwk(), ...keys]);
  const from = previous ? { position: previous.position, link: previous.link } : undefined;
  const verdict = await verifyLog.call(store, [], from);
  if (!verdict.ok) throw new Error(`refusing to sign a head: position ${verdict.fault!.position}: ${verdict.fault!.reason}`);
  if (!verdict.last || (previous && verdict.last.position === previous.position)) return previous ? exportHead(previous) : null;
  // The verifier reads only after `previous`, so this means a stale or misordered read: signing it would put a head
  // below the one it names and break the chain of heads.
  if (previous && verdict.last.position < previous.position) {
    throw new Error(`refusing to sign a head at position ${verdict.last.position}: not above the latest head at ${previous.position}`);
  }
  const size = (previous?.size ?? 0n) + BigInt(verdict.checked);
  const timestamp = now().toISOString();
  const payload: HeadPayload = {
    log: LOG_NAME,
    position: verdict.last.position.toString(),
    size: size.toString(),
    link: verdict.last.link,
    timestamp,
    previous: previous ? headDigest(previous.jws) : null,
  };
  const jws = await signer.sign({ ...payload });
  const head: StoredLogHead = { position: verdict.last.position, size, link: verdict.last.link, signedAt: timestamp, jws };
  if (await logHeads.append(head, previous)) return exportHead(head);
  // Another publisher (a deposed lease holder finishing its tick) signed first: its head is the latest.
  const winner = await logHeads.latest();
  return winner ? exportHead(winner) : null;
}

export interface HeadCheck {
  ok: boolean;
  /** Heads whose signature held, to verify the log against. */
  trusted: TrustedHead[];
  fault: { position: string; reason: string } | null;
}

/**
 * Checks each head's signature with the platform's public keys (by kid) and that its clear fields are the signed
 * ones; with `chained`, also that each head names the one before it (the heads kept beside the log).
 */
export async function checkHeads(heads: readonly ExportedHead[], keys: readonly JWK[], chained: boolean): Promise<HeadCheck> {
  const trusted: TrustedHead[] = [];
  let before: ExportedHead | null = null;
  for (const head of heads) {
    const fail = (reason: string): HeadCheck => ({ ok: false, trusted, fault: { position: head.position, reason } });
    const key = keys.find((k) => k.kid === kidOf(head.jws));
    if (!key) return fail(`no public key with kid ${kidOf(head.jws) || '(none)'}`);
    let signed: Record<string, unknown>;
    try {
      signed = await verifyHeadJws(head.jws, key);
    } catch (error) {
      return fail(`signature does not verify: ${(error as Error).message}`);
    }
    for (const field of ['log', 'position', 'size', 'link', 'timestamp', 'previous'] as const) {
      if (signed[field] !== head[field]) return fail(`${field} differs from what was signed`);
    }
    if (chained) {
      const expected = before ? headDigest(before.jws) : null;
      if (head.previous !== expected) return fail('does not name the head before it: the chain of signed heads was altered');
      if (before && BigInt(head.position) <= BigInt(before.position)) return fail('positions of signed heads must grow');
    }
    trusted.push({ position: BigInt(head.position), link: head.link });
    before = head;
  }
  return { ok: true, trusted, fault: null };
}
