import sodium from 'libsodium-wrappers';
import { fillRandom } from '../random-bytes.ts';

/**
 * libsodium's XChaCha20-Poly1305 (seal, open), called on libsodium's own WebAssembly exports with one scratch
 * region of its memory.
 *
 * Why not the wrappers' functions: each call of theirs allocates and copies every argument into the WebAssembly
 * memory, the key included, frees it without wiping it, and copies the answer out into a new array. For values of a
 * few dozen bytes that glue cost more than the cipher, on every event a case appends or a rebuild reads
 * (docs/benchmarks.md). Here text goes straight into the scratch region as UTF-8 (and base64url straight in as
 * bytes), answers come straight out as text, and the region (key, plain bytes) is wiped after every call. libsodium's
 * ChaCha20 code may still leave the last partial 64-byte block of a value in a buffer on its own stack (all of a
 * short value), which this module cannot reach; the values are JavaScript strings on both sides of the call anyway.
 *
 * The exports are libsodium's C functions as emscripten builds them, 64-bit lengths passed as two 32-bit halves.
 * That calling convention is not a documented interface of libsodium-wrappers: test/unit/privacy-sodium.unit.spec.ts
 * checks every function here against the wrappers' own, so an upgrade that changes it fails there, not in a log.
 */
interface SodiumExports {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: number, clenP: number, m: number, mlenLow: number, mlenHigh: number, ad: number, adlenLow: number, adlenHigh: number, nsec: number, npub: number, k: number,
  ): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: number, mlenP: number, nsec: number, c: number, clenLow: number, clenHigh: number, ad: number, adlenLow: number, adlenHigh: number, npub: number, k: number,
  ): number;
}

// libsodium compiles its WebAssembly once per process, before the first call.
await sodium.ready;
const lib = (sodium as unknown as { libsodium: SodiumExports }).libsodium;

export const XCHACHA_KEY_BYTES = 32;
export const XCHACHA_NONCE_BYTES = 24;
export const XCHACHA_TAG_BYTES = 16;
/** Regions above this are allocated for the call and freed after it, so one large file does not stay resident. */
const KEEP_BYTES = 64 * 1024;

let scratch = 0;
let scratchBytes = 0;
let view: Buffer = Buffer.alloc(0);

/** A Buffer over libsodium's memory; made again when the memory grew (growing detaches the old one). */
function heap(): Buffer {
  const memory = lib.HEAPU8;
  if (view.buffer !== memory.buffer) view = Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength);
  return view;
}

/** Allocates in libsodium's memory; throws rather than answer 0 (its malloc's "no memory"), or wrap a size round. */
function allocate(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size >= 2 ** 31) throw new Error('a value too large to seal or open');
  const pointer = lib._malloc(size);
  if (pointer === 0) throw new Error('libsodium could not allocate memory');
  return pointer;
}

/** `work` with a region of at least `size` bytes, wiped whole afterwards whatever happens. */
function withRegion<T>(size: number, work: (base: number) => T): T {
  let base = scratch;
  let temporary = false;
  if (size > scratchBytes) {
    if (size > KEEP_BYTES) {
      base = allocate(size);
      temporary = true;
    } else {
      // The new region first: if it cannot be had, the old one stays as it was and still serves smaller values.
      const bytes = Math.max(size, 4096);
      base = allocate(bytes);
      if (scratch !== 0) lib._free(scratch);
      scratch = base;
      scratchBytes = bytes;
    }
  }
  try {
    return work(base);
  } finally {
    heap().fill(0, base, base + size);
    if (temporary) lib._free(base);
  }
}

/** At least as many bytes as `text` takes in UTF-8: for short text its length bounds it, without a scan. */
const utf8Bound = (text: string) => (text.length <= 4096 ? text.length * 3 : Buffer.byteLength(text, 'utf8'));

/**
 * Writes `text` as UTF-8 at `at`, never past `at + room` (a write without a length runs to the end of libsodium's
 * memory); a text that filled its room exactly is measured, so a cut one can never pass for whole.
 */
function writeText(memory: Buffer, text: string, at: number, room: number): number {
  const written = memory.write(text, at, room, 'utf8');
  if (written === room && room > 0 && Buffer.byteLength(text, 'utf8') !== written) throw new Error('a text did not fit the room made for it');
  return written;
}
const checkKey = (key: Uint8Array) => {
  if (key.length !== XCHACHA_KEY_BYTES) throw new Error(`a key is ${XCHACHA_KEY_BYTES} bytes`);
};

/**
 * `work` in a region holding `key` at `k` and the UTF-8 of `ad` at `a` (adBytes long), then `more` bytes of room.
 */
function withKeyAndAd<T>(key: Uint8Array, ad: string, more: number, work: (memory: Buffer, k: number, a: number, adBytes: number) => T): T {
  checkKey(key);
  const adRoom = utf8Bound(ad);
  return withRegion(XCHACHA_KEY_BYTES + adRoom + more, (base) => {
    const memory = heap();
    memory.set(key, base);
    const a = base + XCHACHA_KEY_BYTES;
    return work(memory, base, a, writeText(memory, ad, a, adRoom));
  });
}

/**
 * XChaCha20-Poly1305 of `plain` (UTF-8) with additional data `ad` (UTF-8) under `key`, a random nonce: answers the
 * base64url of nonce ‖ ciphertext ‖ tag.
 */
export function xchachaSeal(key: Uint8Array, ad: string, plain: string): string {
  const plainRoom = utf8Bound(plain);
  return withKeyAndAd(key, ad, plainRoom + XCHACHA_NONCE_BYTES + plainRoom + XCHACHA_TAG_BYTES, (memory, k, a, adBytes) => {
    const m = a + adBytes;
    const mBytes = writeText(memory, plain, m, plainRoom);
    // The nonce goes right before the ciphertext, so one encoding covers both.
    const n = m + mBytes;
    fillRandom(memory, n, XCHACHA_NONCE_BYTES);
    const c = n + XCHACHA_NONCE_BYTES;
    if (lib._crypto_aead_xchacha20poly1305_ietf_encrypt(c, 0, m, mBytes, 0, a, adBytes, 0, 0, n, k) !== 0) throw new Error('libsodium refused to seal');
    return heap().toString('base64url', n, c + mBytes + XCHACHA_TAG_BYTES);
  });
}

/**
 * The plain text (UTF-8) of `sealed`, the base64url of nonce ‖ ciphertext ‖ tag, with additional data `ad`; null when
 * the key, the tag or the additional data do not match, or it is too short to hold a nonce and a tag.
 */
export function xchachaOpen(key: Uint8Array, ad: string, sealed: string): string | null {
  // base64url decodes to at most three bytes for every four characters.
  const bytesRoom = Math.ceil((sealed.length * 3) / 4);
  return withKeyAndAd(key, ad, 2 * bytesRoom, (memory, k, a, adBytes) => {
    const n = a + adBytes;
    const bytes = memory.write(sealed, n, bytesRoom, 'base64url');
    if (bytes < XCHACHA_NONCE_BYTES + XCHACHA_TAG_BYTES) return null;
    const c = n + XCHACHA_NONCE_BYTES;
    const cBytes = bytes - XCHACHA_NONCE_BYTES;
    const m = n + bytes;
    if (lib._crypto_aead_xchacha20poly1305_ietf_decrypt(m, 0, 0, c, cBytes, 0, a, adBytes, 0, n, k) !== 0) return null;
    return heap().toString('utf8', m, m + cBytes - XCHACHA_TAG_BYTES);
  });
}
