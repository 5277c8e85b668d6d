import { expect } from 'chai';
import { keepKey, keySlot } from '../../adapters/key-bytes.ts';

describe('key bytes kept in memory of their own', () => {
  it('given many slots, then each has the size asked, starts zeroed, and writing one changes no other', () => {
    const slots = Array.from({ length: 300 }, (_, i) => keySlot(i % 2 === 0 ? 32 : 64));
    slots.forEach((slot, i) => {
      expect(slot).to.have.length(i % 2 === 0 ? 32 : 64);
      expect(slot.every((byte) => byte === 0)).to.equal(true);
    });
    slots.forEach((slot, i) => slot.fill(i % 251));
    slots.forEach((slot, i) => expect(slot.every((byte) => byte === i % 251)).to.equal(true));
  });

  it("given a kept key, then it shares no memory with Node's pool of small buffers, so it cannot keep a slab of other bytes alive", () => {
    const pooled = Buffer.from('a short-lived value');
    const key = keepKey(Buffer.alloc(32, 7));
    expect(key.equals(Buffer.alloc(32, 7))).to.equal(true);
    expect(key.buffer).to.not.equal(pooled.buffer);
    // Keys only: a slab holds as many as fit, and nothing else is ever cut from it.
    const neighbours = Array.from({ length: 10 }, () => keySlot(32));
    expect(neighbours.some((slot) => slot.buffer === key.buffer)).to.equal(true);
    expect(Buffer.from('another value').buffer).to.not.equal(key.buffer);
  });

  it('given a copy kept, when the original changes, then the kept key does not', () => {
    const original = Buffer.alloc(32, 1);
    const kept = keepKey(original);
    original.fill(2);
    expect(kept.every((byte) => byte === 1)).to.equal(true);
  });

  it('given a large or a zero size, then a large one gets memory of its own and zero is refused', () => {
    const large = keySlot(2048);
    expect(large).to.have.length(2048);
    expect(large.buffer.byteLength).to.equal(2048);
    expect(() => keySlot(0)).to.throw(RangeError);
    expect(() => keySlot(1.5)).to.throw(RangeError);
  });
});
