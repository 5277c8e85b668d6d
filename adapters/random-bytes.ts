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
  if (!Number.isInteger(size) || size < 1 || size > POOL_BYTES) throw new RangeError(`randomBytesPooled takes 1 to ${POOL_BYTES} bytes`);
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // The bytes handed out are wiped from the pool, so a later read of the pool (a heap dump) cannot find a live key.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
