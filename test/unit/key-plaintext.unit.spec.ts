import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { packKeys, unpackKeys } from '../../adapters/key-store/index.ts';

describe('key store: what a row wraps (keys, then the subject they were made for)', () => {
  it('given one key or a case\'s two and a subject, when packed and unpacked, then both come back as they went in', () => {
    for (const keys of [randomBytes(32), randomBytes(64)]) {
      const { plain, holdsSubject } = packKeys(keys, '11010119900307421X');
      expect(holdsSubject).to.equal(true);
      const back = unpackKeys(plain, true);
      expect(back.keys.equals(keys)).to.equal(true);
      expect(back.subject).to.equal('11010119900307421X');
    }
  });

  it('given no subject, an empty one or one longer than a length byte can say, then the keys are wrapped alone and the row holds no subject', () => {
    const keys = randomBytes(32);
    for (const subject of [null, '', 'x'.repeat(256)]) {
      const { plain, holdsSubject } = packKeys(keys, subject);
      expect(holdsSubject).to.equal(false);
      expect(plain.equals(keys)).to.equal(true);
      expect(unpackKeys(plain, false)).to.deep.equal({ keys, subject: null });
    }
  });

  it('given a row marked as holding its subject whose bytes are only keys (written back by an earlier release), then unpacking throws rather than read a key byte as a subject', () => {
    expect(() => unpackKeys(randomBytes(32), true)).to.throw(/do not parse/);
    expect(() => unpackKeys(randomBytes(64), true)).to.throw(/do not parse/);
    expect(() => unpackKeys(Buffer.alloc(0), true)).to.throw(/do not parse/);
  });

  it('given a row whose evidence half was shredded while a racing write put both keys back, then the keys read are the bytes written, with the subject intact', () => {
    const both = packKeys(randomBytes(64), 'S1').plain;
    expect(unpackKeys(both, true).keys.length).to.equal(64);
    expect(unpackKeys(both, true).subject).to.equal('S1');
  });
});
