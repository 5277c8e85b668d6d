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
 */
export interface SealedValues {
  v: 1;
  alg: 'A256GCM';
  /** The subject key's id: an opaque identifier, never an identity number. */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
  paths: Array<Array<string | number>>;
}

export interface SubjectKey {
  id: string;
  /** 32 bytes. */
  bytes: Buffer;
}

export const KEY_BYTES = 32;
const IV_BYTES = 12;

export function sealedOf(event: Pick<NewEvent, 'metadata'>): SealedValues | null {
  const sealed = (event.metadata as unknown as Record<string, unknown>).sealed;
  return isSealed(sealed) ? sealed : null;
}

/** `event` with the values at `paths` sealed under `key`; unchanged when there are none. */
export function sealEvent<E extends NewEvent>(stream: string, event: E, paths: readonly FieldPath[], key: SubjectKey): E {
  if (paths.length === 0) return event;
  if (key.bytes.length !== KEY_BYTES) throw new Error(`a subject key is ${KEY_BYTES} bytes`);
  const values = paths.map((path) => getAt(event, path));
  const plainPaths = paths as Array<Array<string | number>>;
  const iv = randomBytesPooled(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(additionalData(stream, event, key.id, plainPaths));
  // Plain JSON: the bytes are only ever decrypted and parsed, never hashed on their own (the log hashes the event).
  // GCM is a stream mode: update() answers every byte and final() none.
  const ct = cipher.update(JSON.stringify(values), 'utf8');
  cipher.final();
  const envelope: SealedValues = { v: 1, alg: 'A256GCM', kid: key.id, iv: b64(iv), ct: b64(ct), tag: b64(cipher.getAuthTag()), paths: plainPaths };
  // The envelope's own path goes last: metadata is copied once, for it and for a citizen actor's id alike.
  return setAll(event, [...paths, SEALED_PATH], (index) => (index === paths.length ? envelope : isActorId(paths[index]!) ? key.id : null));
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
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(additionalData(stream, event, sealed.kid, sealed.paths));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]);
    values = JSON.parse(plain.toString('utf8')) as unknown[];
  }
  const opened = { ...event, metadata: metadata as unknown as E['metadata'] } as E;
  if (owned) {
    // The caller owns the event (just parsed from a row): put the values back where they were, without copying.
    sealed.paths.forEach((path, index) => putAt(opened, path, values[index]));
    return opened;
  }
  return setAll(opened, sealed.paths, (index) => values[index]);
}

/** Binds the ciphertext to its event: JSON of an array of strings and of the paths (arrays of strings and numbers) is deterministic. */
function additionalData(stream: string, event: NewEvent, kid: string, paths: unknown): Buffer {
  return Buffer.from(JSON.stringify([stream, event.metadata.eventId, event.type, kid, paths]), 'utf8');
}

function putAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

const SEALED_PATH: FieldPath = ['metadata', 'sealed'];
const isActorId = (path: FieldPath) => path.length === 3 && path[0] === 'metadata' && path[1] === 'actor' && path[2] === 'id';
const b64 = (bytes: Buffer) => bytes.toString('base64url');

function isSealed(value: unknown): value is SealedValues {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SealedValues>;
  return v.v === 1 && v.alg === 'A256GCM' && typeof v.kid === 'string' && typeof v.iv === 'string' && typeof v.ct === 'string' && typeof v.tag === 'string' && Array.isArray(v.paths);
}
