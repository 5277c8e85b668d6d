import { expect } from 'chai';
import { boundedMap } from '../../adapters/bounded-map.ts';

describe('bounded map', () => {
  it('given a map of 64, when 200 keys are set, then it never holds more than 64 and keeps the most recently set', () => {
    const map = boundedMap<number, number>(64);
    for (let i = 0; i < 200; i += 1) {
      map.set(i, i);
      expect(map.size).to.be.at.most(64);
    }
    expect(map.has(199)).to.equal(true);
    expect(map.has(0)).to.equal(false);
    // Evicted a chunk at a time, oldest first: what is left is one unbroken run ending with the newest key.
    const keys = [...map.keys()];
    expect(keys).to.deep.equal(Array.from({ length: keys.length }, (_, i) => 200 - keys.length + i));
    expect(keys.length).to.be.greaterThan(64 - 64 / 16 - 1);
  });

  it('given a key set again, then it counts as new: it outlives keys set after it the first time', () => {
    const map = boundedMap<string, number>(4);
    for (const key of ['a', 'b', 'c', 'd']) map.set(key, 1);
    map.set('a', 2);
    map.set('e', 1);
    expect(map.get('a')).to.equal(2);
    expect(map.has('b')).to.equal(false);
  });

  it('given a limit below one, then it is refused', () => {
    expect(() => boundedMap(0)).to.throw(RangeError);
  });
});
