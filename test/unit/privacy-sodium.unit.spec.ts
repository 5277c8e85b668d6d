import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import sodium from 'libsodium-wrappers';
import { xchachaOpen, xchachaSeal } from '../../adapters/privacy/sodium.ts';

// The module calls libsodium's WebAssembly exports directly. These specs hold it to libsodium-wrappers' own functions,
// so a libsodium upgrade that changes the exports' calling convention fails here.
await sodium.ready;
const lib = (sodium as unknown as { libsodium: { HEAPU8: Uint8Array; _malloc(size: number): number } }).libsodium;

const TEXTS = ['', 'a', '国'.repeat(4096), '国'.repeat(4097), '["110101199003074477","漕溪北路 1 号","13800138000"]', '😀 e\u0301 \u0000 end', 'x'.repeat(5000), 'é'.repeat(30_000)];
const ADS = ['', '6:case-1', '国'.repeat(40)];

describe('privacy: libsodium called directly (seal, open)', () => {
  it('given texts of every size and script, when sealed here, then libsodium-wrappers opens them to the same text with the same additional data', () => {
    for (const text of TEXTS) {
      for (const ad of ADS) {
        const key = randomBytes(32);
        const bytes = Buffer.from(xchachaSeal(key, ad, text), 'base64url');
        expect(bytes.length).to.equal(24 + Buffer.byteLength(text, 'utf8') + 16);
        const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(24), Buffer.from(ad, 'utf8'), bytes.subarray(0, 24), key, 'text');
        expect(plain).to.equal(text);
      }
    }
  });

  it('given texts sealed by libsodium-wrappers, when opened here, then the text comes back; a wrong key, additional data or byte gives null', () => {
    for (const text of TEXTS) {
      const ad = ADS[2]!;
      const key = randomBytes(32);
      const nonce = randomBytes(24);
      const sealed = Buffer.concat([nonce, sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(Buffer.from(text, 'utf8'), Buffer.from(ad, 'utf8'), null, nonce, key)]);
      const b64 = sealed.toString('base64url');
      expect(xchachaOpen(key, ad, b64)).to.equal(text);
      expect(xchachaOpen(randomBytes(32), ad, b64)).to.equal(null);
      expect(xchachaOpen(key, `${ad}x`, b64)).to.equal(null);
      for (const at of [0, 23, 24, sealed.length - 1]) {
        const flipped = Buffer.from(sealed);
        flipped[at]! ^= 1;
        expect(xchachaOpen(key, ad, flipped.toString('base64url'))).to.equal(null);
      }
    }
  });

  it('given fewer bytes than a nonce and a tag, when opened, then null', () => {
    expect(xchachaOpen(randomBytes(32), '', randomBytes(39).toString('base64url'))).to.equal(null);
    expect(xchachaOpen(randomBytes(32), '', '')).to.equal(null);
  });

  it('given a key of the wrong size, when sealing or opening, then it throws', () => {
    expect(() => xchachaSeal(randomBytes(16), '', 'x')).to.throw(/32 bytes/);
    expect(() => xchachaOpen(randomBytes(31), '', 'x')).to.throw(/32 bytes/);
  });

  it('given libsodium has no memory to give, when a value needs a larger region, then it throws, and later values seal and open as before', () => {
    const key = randomBytes(32);
    const malloc = lib._malloc;
    lib._malloc = () => 0;
    try {
      // Larger than any region made so far (up to 64 KiB a region is kept), smaller than the temporary ones.
      expect(() => xchachaSeal(key, 'ad', 'y'.repeat(21_000))).to.throw(/could not allocate/);
      expect(() => xchachaSeal(key, 'ad', 'z'.repeat(30_000))).to.throw(/could not allocate/);
    } finally {
      lib._malloc = malloc;
    }
    for (const text of ['small', 'y'.repeat(21_000), 'z'.repeat(30_000)]) expect(xchachaOpen(key, 'ad', xchachaSeal(key, 'ad', text))).to.equal(text);
  });

  // The plain text is a JavaScript string on both sides of the call anyway, and libsodium's ChaCha20 keeps the last
  // partial block in a buffer on its own stack; the key is what must not outlive the call.
  it('given a seal and an open, when done, then the key is nowhere in libsodium memory (the wrappers leave their copy)', () => {
    const memory = () => Buffer.from(lib.HEAPU8.buffer, lib.HEAPU8.byteOffset, lib.HEAPU8.byteLength);
    const key = randomBytes(32);
    const sealed = xchachaSeal(key, 'ad', 'a value');
    expect(memory().indexOf(key)).to.equal(-1);
    expect(xchachaOpen(key, 'ad', sealed)).to.equal('a value');
    expect(memory().indexOf(key)).to.equal(-1);
    // The same check sees the copy the wrappers leave behind, so it can fail.
    const nonce = randomBytes(24);
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt('a value', null, null, nonce, key);
    expect(memory().indexOf(key)).to.not.equal(-1);
  });
});
