import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytesPooled } from '../random-bytes.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import { ERASED, getAt, setAll, type FieldPath } from '../../domain/privacy/personal-data.ts';

/**
 * The sealed form of an event's personal values: one AES-256-GCM ciphertext (node:crypto) per event, under the data
 * subject's key, kept in the event's metadata with the key id. The values are removed from where they were (null in
 * their place; a citizen actor's id becomes the key id) and the paths name where they go back. The additional data
 * binds the ciphertext to its stream, event id, type, key id and paths, so it cannot be moved to another event.
 * The log's hash links are taken over what is stored, i.e. over this ciphertext.
 *
 * Stored as one JSON string, `A256GCM.<key id>.<base64url of iv ‖ ciphertext ‖ tag>.<paths>`, the paths written
 * `data/applicant/id,metadata/actor/id` (each step URI-encoded, so no step holds a separator): a flat string is
 * parsed, stored, hashed and read back at a fraction of the cost of an object of arrays, and every event a case
 * appends or a rebuild reads carries one. Events sealed before it hold the object form `{ v: 1, alg, kid, iv, ct,
 * tag, paths }` (paths as JSON arrays); both open alike.
 */
export interface SealedValues {
  /** The subject key's id: an opaque identifier, never an identity number. */
  kid: string;
  iv: Buffer;
  ct: Buffer;
  tag: Buffer;
  paths: Array<Array<string | number>>;
  /** The paths exactly as the additional data binds them (their stored text, as a JSON value). */
  pathsBound: string;
}

export interface SubjectKey {
  id: string;
  /** 32 bytes. */
  bytes: Buffer;
}

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'A256GCM.';

/** The id of the key that sealed `event`, without opening anything; null when nothing in it is sealed. */
export function sealedKeyId(event: Pick<NewEvent, 'metadata'>): string | null {
  const sealed = (event.metadata as unknown as Record<string, unknown>).sealed;
  if (typeof sealed === 'string') {
    if (!sealed.startsWith(PREFIX)) return null;
    const kidEnd = sealed.indexOf('.', PREFIX.length);
    // Read as unsealed, its values would stay null without a word: a cut value is corruption.
    if (kidEnd <= PREFIX.length) throw new Error('a sealed value is cut short');
    return sealed.slice(PREFIX.length, kidEnd);
  }
  return isSealedV1(sealed) ? sealed.kid : null;
}

/** The sealed values of `event`; null when it has none. A sealed value that does not parse is corruption: it throws. */
export function sealedOf(event: Pick<NewEvent, 'metadata'>): SealedValues | null {
  const sealed = (event.metadata as unknown as Record<string, unknown>).sealed;
  if (typeof sealed === 'string' && sealed.startsWith(PREFIX)) {
    const kid = sealedKeyId(event)!;
    const kidEnd = PREFIX.length + kid.length;
    const bytesEnd = sealed.indexOf('.', kidEnd + 1);
    const bytes = bytesEnd < 0 ? Buffer.alloc(0) : Buffer.from(sealed.slice(kidEnd + 1, bytesEnd), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('a sealed value is cut short');
    const { paths, bound } = parsedPaths(sealed.slice(bytesEnd + 1));
    return {
      kid,
      iv: bytes.subarray(0, IV_BYTES),
      ct: bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES),
      tag: bytes.subarray(bytes.length - TAG_BYTES),
      paths,
      pathsBound: bound,
    };
  }
  if (!isSealedV1(sealed)) return null;
  if (!isPathList(sealed.paths)) throw new Error('a sealed value names a path no plain value could be at');
  const b = (text: string) => Buffer.from(text, 'base64url');
  return { kid: sealed.kid, iv: b(sealed.iv), ct: b(sealed.ct), tag: b(sealed.tag), paths: sealed.paths, pathsBound: JSON.stringify(sealed.paths) };
}

/** `event` with the values at `paths` sealed under `key`; unchanged when there are none. */
export function sealEvent<E extends NewEvent>(stream: string, event: E, paths: readonly FieldPath[], key: SubjectKey): E {
  if (paths.length === 0) return event;
  if (key.bytes.length !== KEY_BYTES) throw new Error(`a subject key is ${KEY_BYTES} bytes`);
  if (key.id.includes('.')) throw new Error('a subject key id has no dots');
  const values = paths.map((path) => getAt(event, path));
  const pathsText = paths.map((path) => path.map((step) => encodeURIComponent(step)).join('/')).join(',');
  const iv = randomBytesPooled(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(additionalData(stream, event, key.id, JSON.stringify(pathsText)));
  // Plain JSON: the bytes are only ever decrypted and parsed, never hashed on their own (the log hashes the event).
  // GCM is a stream mode: update() answers every byte and final() none.
  const ct = cipher.update(JSON.stringify(values), 'utf8');
  cipher.final();
  const envelope = `${PREFIX}${key.id}.${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url')}.${pathsText}`;
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
  let values: unknown[];
  if (key === null) {
    values = sealed.paths.map(() => ERASED);
  } else {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(additionalData(stream, event, sealed.kid, sealed.pathsBound));
    decipher.setAuthTag(sealed.tag);
    // GCM is a stream mode: update() answers every byte, final() only checks the tag (and throws on a mismatch).
    const plain = decipher.update(sealed.ct);
    decipher.final();
    values = JSON.parse(plain.toString('utf8')) as unknown[];
  }
  if (owned) {
    // The caller owns the event (just parsed from a row): the values go back where they were, nothing is copied.
    (event as { metadata: unknown }).metadata = metadata;
    for (let index = 0; index < sealed.paths.length; index += 1) putAt(event, sealed.paths[index]!, values[index]);
    return event;
  }
  return setAll({ ...event, metadata: metadata as unknown as E['metadata'] } as E, sealed.paths, (index) => values[index]);
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
 * Binds the ciphertext to its event: the JSON text of `[stream, event id, type, key id, paths]`, where the paths are
 * the JSON string of their stored text (the first form bound its JSON arrays there). JSON of strings is
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
