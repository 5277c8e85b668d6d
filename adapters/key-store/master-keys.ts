import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { randomBytesPooled } from '../random-bytes.ts';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../durable-file.ts';
import type { KeyWrapper } from '../../domain/ports/key-store.ts';

/**
 * Master keys from configuration: `{ "current": "<id>", "keys": { "<id>": "<32 bytes, base64>" }, "lookupSecret":
 * "<32 bytes, base64>" }`. Rotation: add a key, make it current, run `rewrap`; the old key may be removed once no
 * wrapped key names it. The lookup secret keys the hash of ID numbers (subject refs) and is not rotated (the refs
 * in the log would change).
 */
export interface MasterKeyFile {
  current: string;
  keys: Record<string, string>;
  lookupSecret: string;
}

export interface MasterKeys {
  wrapper: KeyWrapper;
  lookupSecret: Buffer;
}

const IV = 12;
const TAG = 16;

export function parseMasterKeys(file: MasterKeyFile, where: string): MasterKeys {
  // Key objects, made once: a cold cache unwraps a key per case, and a raw key costs a conversion on every call.
  const keys = new Map<string, KeyObject>();
  for (const [id, text] of Object.entries(file.keys ?? {})) keys.set(id, createSecretKey(decode32(text, `${where}: keys.${id}`)));
  if (!keys.has(file.current)) throw new Error(`${where}: current names no key in keys`);
  const lookupSecret = decode32(file.lookupSecret, `${where}: lookupSecret`);
  const wrapper: KeyWrapper = {
    currentId: file.current,
    async wrap(dataKey, keyId) {
      const iv = randomBytesPooled(IV);
      const cipher = createCipheriv('aes-256-gcm', keys.get(file.current)!, iv);
      cipher.setAAD(Buffer.from(keyId, 'utf8'));
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { masterKeyId: file.current, wrapped: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
    },
    async unwrap(wrapped, masterKeyId, keyId) {
      const master = keys.get(masterKeyId);
      if (!master) throw new Error(`master key ${masterKeyId} is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, IV));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(IV, IV + TAG));
      return Buffer.concat([decipher.update(wrapped.subarray(IV + TAG)), decipher.final()]);
    },
  };
  return { wrapper, lookupSecret };
}

/** A fresh key file's content: one master key and a lookup secret. */
export function newMasterKeyFile(id = `m${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): MasterKeyFile {
  return { current: id, keys: { [id]: randomBytes(32).toString('base64') }, lookupSecret: randomBytes(32).toString('base64') };
}

/** Reads the key file; when `create` and it is missing, writes a new one (owner-only), as the embedded default does. */
export function loadMasterKeyFile(path: string, options: { create: boolean }): MasterKeys {
  if (!existsSync(path)) {
    if (!options.create) throw new Error(`${path}: no master key file`);
    // Flushed before any key is wrapped under it; when another process starting at the same moment made it first,
    // that one is used.
    writeFileDurably(path, `${JSON.stringify(newMasterKeyFile(), null, 2)}\n`, { mode: 0o600, exclusive: true });
  }
  return parseMasterKeys(JSON.parse(readFileSync(path, 'utf8')) as MasterKeyFile, path);
}

function decode32(text: unknown, where: string): Buffer {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) throw new Error(`${where}: expected 32 bytes in base64`);
  return bytes;
}
