import { expect } from 'chai';
import { randomBytesPooled } from '../../adapters/random-bytes.ts';

describe('pooled random bytes (keys and IVs)', () => {
  it('given many draws across pool refills, then every answer has the size asked and no two answers repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = randomBytesPooled(i % 2 === 0 ? 12 : 32);
      expect(bytes).to.have.length(i % 2 === 0 ? 12 : 32);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).to.equal(2_000);
  });

  it('given an answer, when the pool is drawn from again, then the answer is a copy that does not change', () => {
    const key = randomBytesPooled(32);
    const before = Buffer.from(key);
    for (let i = 0; i < 300; i += 1) randomBytesPooled(32);
    expect(key.equals(before)).to.equal(true);
    expect(key.buffer.byteLength).to.be.at.least(32);
    expect(key.every((byte) => byte === 0)).to.equal(false);
  });

  it('given a size outside 1 to 4096 bytes, then it is refused', () => {
    expect(() => randomBytesPooled(0)).to.throw(RangeError);
    expect(() => randomBytesPooled(4097)).to.throw(RangeError);
    expect(() => randomBytesPooled(1.5)).to.throw(RangeError);
  });
});
