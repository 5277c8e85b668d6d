import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically random bytes for keys and IVs, drawn from a pool filled 4 KiB at a time by the operating system's
 * CSPRNG (as node:crypto's randomUUID does): one `randomBytes` call per sealed event and per new key was a tenth of
 * the sealing store's CPU. Each refill is a new buffer and every answer is a copy, so no two callers ever share bytes.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytesPooled(size: number): Buffer {
  checkSize(size);
  const bytes = Buffer.allocUnsafe(size);
  fillRandom(bytes, 0, size);
  return bytes;
}

/** Writes `size` random bytes into `target` at `at`, from the same pool (a nonce straight into libsodium's memory). */
export function fillRandom(target: Uint8Array, at: number, size: number): void {
  checkSize(size);
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    offset = 0;
  }
  target.set(pool.subarray(offset, offset + size), at);
  // The bytes handed out are wiped from the pool, so a later read of the pool (a heap dump) cannot find a live key.
  pool.fill(0, offset, offset + size);
  offset += size;
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > POOL_BYTES) throw new RangeError(`random bytes come 1 to ${POOL_BYTES} at a time`);
}
