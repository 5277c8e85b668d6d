import { createDecipheriv } from 'node:crypto';
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES, xchachaOpen, xchachaSeal } from './sodium.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import { ERASED, getAt, setAll, type FieldPath } from '../../domain/privacy/personal-data.ts';

/**
 * The sealed form of an event's personal values: one AEAD ciphertext per event, under the data subject's key, kept in
 * the event's metadata with the key id. The values are removed from where they were (null in their place; a citizen
 * actor's id becomes the key id) and the paths name where they go back. The additional data binds the ciphertext to
 * its stream, event id, type, key id and paths, so it cannot be moved to another event. The log's hash links are
 * taken over what is stored, i.e. over this ciphertext.
 *
 * Sealed with XChaCha20-Poly1305 (libsodium, a random 24-byte nonce) and stored as one JSON string,
 * `XC20P.<key id>.<base64url of nonce ‖ ciphertext ‖ tag>.<paths>`, the paths written
 * `data/applicant/id,metadata/actor/id` (each step URI-encoded, so no step holds a separator). node:crypto's
 * AES-256-GCM, which sealed before, builds a cipher object per call; for values of a few dozen bytes that cost more
 * than the cipher, and every event a case appends or a rebuild reads pays it (docs/benchmarks.md). What it sealed
 * opens as before: the string form `A256GCM.<key id>.<iv ‖ ciphertext ‖ tag>.<paths>` and the first, object form
 * `{ v: 1, alg, kid, iv, ct, tag, paths }` (paths as JSON arrays).
 */
export type SealedValues = {
  /** The subject key's id: an opaque identifier, never an identity number. */
  kid: string;
  paths: Array<Array<string | number>>;
  /** The paths exactly as the A256GCM forms' additional data binds them (their stored text, as a JSON value). */
  pathsBound: string;
  /** The paths as stored (the string forms; the first form's JSON arrays). */
  pathsText: string;
} & (
  /** `bytes` as stored: base64url of nonce (24 bytes) ‖ ciphertext ‖ tag, decoded only into libsodium's memory. */
  | { alg: 'XC20P'; bytes: string }
  /** The 12-byte nonce, and the ciphertext followed by its 16-byte tag. */
  | { alg: 'A256GCM'; iv: Buffer; body: Buffer }
);

export interface SubjectKey {
  id: string;
  /** 32 bytes. */
  bytes: Buffer;
}

export const KEY_BYTES = 32;
const TAG_BYTES = 16;
const ALGORITHMS = { A256GCM: { prefix: 'A256GCM.', ivBytes: 12 }, XC20P: { prefix: 'XC20P.', ivBytes: XCHACHA_NONCE_BYTES } } as const;
type Algorithm = keyof typeof ALGORITHMS;

/**
 * The algorithm of a sealed string, by its prefix. A form this release does not know throws: read as unsealed, its
 * values would stay null without a word (as releases before the XC20P form read it).
 */
function algorithmOf(sealed: string): Algorithm {
  if (sealed.startsWith(ALGORITHMS.XC20P.prefix)) return 'XC20P';
  if (sealed.startsWith(ALGORITHMS.A256GCM.prefix)) return 'A256GCM';
  throw new Error('a sealed value is of a form this release does not know');
}

/** The id of the key that sealed `event`, without opening anything; null when nothing in it is sealed. */
export function sealedKeyId(event: Pick<NewEvent, 'metadata'>): string | null {
  const sealed = (event.metadata as unknown as Record<string, unknown>).sealed;
  if (typeof sealed === 'string') return headOf(sealed).kid;
  if (sealed === undefined) return null;
  if (!isSealedV1(sealed)) throw new Error('a sealed value is of a form this release does not know');
  return sealed.kid;
}

/** The algorithm and key id at the head of a sealed string, read once for both. */
function headOf(sealed: string): { alg: Algorithm; kid: string; kidEnd: number } {
  const alg = algorithmOf(sealed);
  const prefix = ALGORITHMS[alg].prefix;
  const kidEnd = sealed.indexOf('.', prefix.length);
  // Read as unsealed, its values would stay null without a word: a cut value is corruption.
  if (kidEnd <= prefix.length) throw new Error('a sealed value is cut short');
  return { alg, kid: sealed.slice(prefix.length, kidEnd), kidEnd };
}

/** The sealed values of `event`; null when it has none. A sealed value that does not parse is corruption: it throws. */
export function sealedOf(event: Pick<NewEvent, 'metadata'>): SealedValues | null {
  const sealed = (event.metadata as unknown as Record<string, unknown>).sealed;
  if (typeof sealed === 'string') {
    const { alg, kid, kidEnd } = headOf(sealed);
    const bytesEnd = sealed.indexOf('.', kidEnd + 1);
    const bytesText = bytesEnd < 0 ? '' : sealed.slice(kidEnd + 1, bytesEnd);
    const pathsText = sealed.slice(bytesEnd + 1);
    if (alg === 'XC20P') {
      // Four base64url characters hold three bytes: fewer than a nonce and a tag cannot be a sealed value.
      if (Math.floor((bytesText.length * 3) / 4) < XCHACHA_NONCE_BYTES + XCHACHA_TAG_BYTES) throw new Error('a sealed value is cut short');
      const { paths, bound } = parsedPaths(pathsText);
      return { alg, kid, bytes: bytesText, paths, pathsBound: bound, pathsText };
    }
    const bytes = Buffer.from(bytesText, 'base64url');
    if (bytes.length < ALGORITHMS.A256GCM.ivBytes + TAG_BYTES) throw new Error('a sealed value is cut short');
    const { paths, bound } = parsedPaths(pathsText);
    return { alg, kid, iv: bytes.subarray(0, ALGORITHMS.A256GCM.ivBytes), body: bytes.subarray(ALGORITHMS.A256GCM.ivBytes), paths, pathsBound: bound, pathsText };
  }
  const kid = sealedKeyId(event);
  if (kid === null) return null;
  const v1 = sealed as SealedV1;
  if (!isPathList(v1.paths)) throw new Error('a sealed value names a path no plain value could be at');
  const b = (text: string) => Buffer.from(text, 'base64url');
  const pathsText = JSON.stringify(v1.paths);
  return { alg: 'A256GCM', kid, iv: b(v1.iv), body: Buffer.concat([b(v1.ct), b(v1.tag)]), paths: v1.paths, pathsBound: pathsText, pathsText };
}

/** `event` with the values at `paths` sealed under `key`; unchanged when there are none. */
export function sealEvent<E extends NewEvent>(stream: string, event: E, paths: readonly FieldPath[], key: SubjectKey): E {
  if (paths.length === 0) return event;
  if (key.bytes.length !== KEY_BYTES) throw new Error(`a subject key is ${KEY_BYTES} bytes`);
  if (key.id.includes('.')) throw new Error('a subject key id has no dots');
  const values = paths.map((path) => getAt(event, path));
  const pathsText = paths.map((path) => path.map((step) => encodeURIComponent(step)).join('/')).join(',');
  // Plain JSON: the bytes are only ever decrypted and parsed, never hashed on their own (the log hashes the event).
  // A random 24-byte nonce never repeats in practice.
  const bytes = xchachaSeal(key.bytes, boundTo(stream, event, key.id, pathsText), JSON.stringify(values));
  const envelope = `${ALGORITHMS.XC20P.prefix}${key.id}.${bytes}.${pathsText}`;
  const sealed = setAll(event, paths, (index) => (isActorId(paths[index]!) ? key.id : null));
  // Metadata is copied once: by setAll when a citizen actor's id was sealed, here otherwise.
  const metadata = (sealed.metadata === event.metadata ? { ...event.metadata } : sealed.metadata) as unknown as Record<string, unknown>;
  metadata.sealed = envelope;
  sealed.metadata = metadata as unknown as E['metadata'];
  return sealed;
}

/**
 * The event as it was before sealing. With `key` null (destroyed) every sealed value reads back as ERASED. A key
 * that does not open the ciphertext (tampered, or another key) throws: that is corruption, never "erased".
 */
export function openEvent<E extends NewEvent>(stream: string, event: E, key: Buffer | null, owned = false): E {
  const sealed = sealedOf(event);
  if (!sealed) return event;
  const { sealed: _omit, ...metadata } = event.metadata as unknown as Record<string, unknown>;
  const values = key === null ? sealed.paths.map(() => ERASED) : (JSON.parse(decrypt(stream, event, sealed, key)) as unknown[]);
  if (owned) {
    // The caller owns the event (just parsed from a row): the values go back where they were, nothing is copied.
    (event as { metadata: unknown }).metadata = metadata;
    for (let index = 0; index < sealed.paths.length; index += 1) putAt(event, sealed.paths[index]!, values[index]);
    return event;
  }
  return setAll({ ...event, metadata: metadata as unknown as E['metadata'] } as E, sealed.paths, (index) => values[index]);
}

/** The plain JSON text of sealed values; throws when the key, the tag or the additional data do not match. */
function decrypt(stream: string, event: NewEvent, sealed: SealedValues, key: Buffer): string {
  if (sealed.alg === 'XC20P') {
    const plain = xchachaOpen(key, boundTo(stream, event, sealed.kid, sealed.pathsText), sealed.bytes);
    if (plain === null) throw new Error('a sealed value does not open with its key: the key, the ciphertext or what it is bound to changed');
    return plain;
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAAD(additionalData(stream, event, sealed.kid, sealed.pathsBound));
  decipher.setAuthTag(sealed.body.subarray(sealed.body.length - TAG_BYTES));
  // GCM is a stream mode: update() answers every byte, final() only checks the tag (and throws on a mismatch).
  const plain = decipher.update(sealed.body.subarray(0, sealed.body.length - TAG_BYTES));
  decipher.final();
  return plain.toString('utf8');
}

/**
 * The paths of a sealed value, parsed once per distinct text: the events of one type and service name the same
 * fields, so a rebuild reads a few hundred distinct lists millions of times. Frozen, as they are shared. Steps come
 * back as strings: an array's index "2" puts and gets exactly as 2 does.
 */
const pathsCache = new Map<string, { paths: Array<Array<string | number>>; bound: string }>();
const PATHS_CACHE_ENTRIES = 1024;

function parsedPaths(text: string): { paths: Array<Array<string | number>>; bound: string } {
  const known = pathsCache.get(text);
  if (known) return known;
  let paths: unknown;
  try {
    paths = text === '' ? [] : text.split(',').map((path) => path.split('/').map(decodeURIComponent));
  } catch {
    paths = null;
  }
  if (!isPathList(paths) || paths.length === 0) throw new Error('a sealed value names no paths, or a path no plain value could be at');
  for (const path of paths) Object.freeze(path);
  const parsed = { paths: Object.freeze(paths) as Array<Array<string | number>>, bound: JSON.stringify(text) };
  if (pathsCache.size >= PATHS_CACHE_ENTRIES) pathsCache.delete(pathsCache.keys().next().value!);
  pathsCache.set(text, parsed);
  return parsed;
}

/**
 * Binds an XC20P ciphertext to its event: stream, event id, type, key id and the paths' stored text, each written as
 * its length in UTF-16 code units, a colon and itself. Lengths make the fields unambiguous whatever they hold (a row
 * read back is not validated), at a third of the cost of JSON-quoting each field as the A256GCM forms do.
 */
function boundTo(stream: string, event: NewEvent, kid: string, pathsText: string): string {
  const eventId = event.metadata.eventId;
  const type = event.type;
  // A row read back is not validated: an id of ["x"] would be written as the text x.
  if (typeof eventId !== 'string' || typeof type !== 'string') throw new Error('a sealed event has an event id and a type that are not text');
  return `${stream.length}:${stream}${eventId.length}:${eventId}${type.length}:${type}${kid.length}:${kid}${pathsText.length}:${pathsText}`;
}

/**
 * Binds an A256GCM ciphertext to its event: the JSON text of `[stream, event id, type, key id, paths]`, where the
 * paths are the JSON string of their stored text (the first form bound its JSON arrays there). JSON of strings is
 * deterministic, so sealer and reader build the same bytes.
 */
function additionalData(stream: string, event: NewEvent, kid: string, pathsBound: string): Buffer {
  const q = JSON.stringify;
  return Buffer.from(`[${q(stream)},${q(event.metadata.eventId)},${q(event.type)},${q(kid)},${pathsBound}]`, 'utf8');
}

function putAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  const last = path.length - 1;
  for (let depth = 0; depth < last; depth += 1) node = node[path[depth]!] as Record<string | number, unknown>;
  node[path[last]!] = value;
}

const isActorId = (path: FieldPath) => path.length === 3 && path[0] === 'metadata' && path[1] === 'actor' && path[2] === 'id';

interface SealedV1 {
  v: 1;
  alg: 'A256GCM';
  kid: string;
  iv: string;
  ct: string;
  tag: string;
  paths: Array<Array<string | number>>;
}

function isSealedV1(value: unknown): value is SealedV1 {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SealedV1>;
  return v.v === 1 && v.alg === 'A256GCM' && typeof v.kid === 'string' && typeof v.iv === 'string' && typeof v.ct === 'string' && typeof v.tag === 'string' && Array.isArray(v.paths);
}

/**
 * Paths are read from the row and values are put back along them, before anything checks the log's hash links (and a
 * destroyed key authenticates nothing): a path must not lead into a prototype.
 */
function isPathList(paths: unknown): paths is Array<Array<string | number>> {
  return Array.isArray(paths) && paths.every((path) => Array.isArray(path) && path.length > 0 && path.every(isPlainStep));
}

const isPlainStep = (step: unknown) => (typeof step === 'string' && !UNSAFE_STEPS.has(step)) || (typeof step === 'number' && Number.isInteger(step) && step >= 0);
const UNSAFE_STEPS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
