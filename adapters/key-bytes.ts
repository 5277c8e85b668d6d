/**
 * Room for key bytes that are kept (cached keys, keys made ahead), in slabs that hold nothing else. A small Buffer is
 * a view on Node's shared 8 KiB pool: one cached 32-byte key kept that whole slab alive, with whatever short-lived
 * bytes were cut from it around the key. A sealing store caching its cases' keys held about 600 bytes of pool per
 * case that way, counted by V8 as external memory that hastens full collections (docs/benchmarks.md). A slab here
 * is 4 KiB of keys only; one long-cached key still keeps its slab alive, but no other bytes, and slabs fill in the
 * order keys are made, as caches evict them.
 */
const SLAB_BYTES = 4096;
let slab = Buffer.alloc(0);
let used = 0;

/** `size` zeroed bytes that share memory only with other keys. */
export function keySlot(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('a key slot holds at least one byte');
  if (size > SLAB_BYTES / 4) return Buffer.alloc(size);
  if (used + size > slab.length) {
    // Never from the shared pool (Buffer.alloc of this size is memory of its own), and zeroed.
    slab = Buffer.alloc(SLAB_BYTES);
    used = 0;
  }
  const slot = slab.subarray(used, used + size);
  used += size;
  return slot;
}

/** A copy of `bytes` in a key slot. */
export function keepKey(bytes: Uint8Array): Buffer {
  const slot = keySlot(bytes.length);
  slot.set(bytes);
  return slot;
}
