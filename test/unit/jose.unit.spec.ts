import { expect } from 'chai';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import {
  generateSigningKey,
  jwkThumbprint,
  loadJwksFile,
  publicJwk,
  publicKeySet,
  resolveSigningKey,
  signJson,
  signJwt,
  verifyJson,
  verifyJwt,
  type JwsVerification,
} from '../../adapters/jose/index.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ iss: 'errand', aud: 'PSB', iat: now(), exp: now() + 60, dataItem: 'x' });

const old = generateSigningKey('ec-2025');
const current = generateSigningKey('ec-2026');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = publicKeySet([
  { kid: old.kid, alg: 'ES256', key: old.publicKey },
  { kid: current.kid, alg: 'ES256', key: current.publicKey },
  { kid: 'rsa', alg: 'RS256', key: rsa.publicKey },
]);
const signWith = (privateKey: KeyObject, kid: string) => signJwt(claims(), resolveSigningKey({ kid, privateKey }));

function failureOf(result: JwsVerification): string {
  return result.ok ? 'accepted' : result.failure.code;
}

describe('JOSE module (adapters/jose)', () => {
  describe('verifyJwt', () => {
    it('given tokens from both keys of a rotation, when verified, then both are accepted and name their key', async () => {
      for (const key of [old, current]) {
        const result = await verifyJwt(await signWith(key.privateKey, key.kid), keys);
        expect(result.ok && result.kid).to.equal(key.kid);
        expect(result.ok && result.payload.dataItem).to.equal('x');
      }
    });

    it('given a token signed by the old key but naming the new kid, when verified, then the signature fails', async () => {
      expect(failureOf(await verifyJwt(await signWith(old.privateKey, current.kid), keys))).to.equal('signature');
    });

    it('given HS256 keyed with the public key as secret, when verified, then it is refused without a secret and fails the signature with one', async () => {
      const secret = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa' })}.${b64(claims())}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      const refused = await verifyJwt(token, keys);
      expect(refused.ok === false && refused.failure).to.deep.equal({ code: 'algorithm', alg: 'HS256' });
      expect(failureOf(await verifyJwt(token, keys, { hs256Secret: new TextEncoder().encode('another-development-secret-0123456789') }))).to.equal('signature');
    });

    it('given alg "none" with or without a signature, when verified, then the algorithm is refused', async () => {
      for (const signature of ['', 'AAAA']) {
        const result = await verifyJwt(`${b64({ alg: 'none', kid: current.kid })}.${b64(claims())}.${signature}`, keys);
        expect(result.ok === false && result.failure).to.deep.equal({ code: 'algorithm', alg: 'none' });
      }
    });

    it('given an RS256 header naming an EC key, when verified, then the key fixes the algorithm and it is refused', async () => {
      const token = await signWith(current.privateKey, current.kid);
      const forged = [b64({ alg: 'RS256', kid: current.kid }), ...token.split('.').slice(1)].join('.');
      expect(failureOf(await verifyJwt(forged, keys))).to.equal('key-mismatch');
    });

    it('given a wrong or missing kid, when verified, then it is refused before any signature check', async () => {
      expect(await verifyJwt(await signWith(current.privateKey, 'nobody'), keys)).to.deep.equal({ ok: false, failure: { code: 'unknown-kid', kid: 'nobody' } });
      const token = await signWith(current.privateKey, current.kid);
      expect(failureOf(await verifyJwt([b64({ alg: 'ES256' }), ...token.split('.').slice(1)].join('.'), keys))).to.equal('no-kid');
    });

    it('given a tampered payload, when verified, then the signature fails', async () => {
      const [head, , signature] = (await signWith(current.privateKey, current.kid)).split('.');
      expect(failureOf(await verifyJwt(`${head}.${b64({ ...claims(), dataItem: 'y' })}.${signature}`, keys))).to.equal('signature');
    });

    it('given something that is not a compact JWS, when verified, then it is malformed', async () => {
      for (const token of ['', 'a.b', 'a.b.c.d', '!!.b.c', 42]) expect(failureOf(await verifyJwt(token, keys))).to.equal('malformed');
    });
  });

  describe('key sets', () => {
    const ecJwk = publicJwk('k', current.privateKey);
    const privateJwk = { ...current.privateKey.export({ format: 'jwk' }), kid: 'k' };

    it('given public keys with private members (JWKS, kid map or PEM), when loaded, then they are refused', () => {
      expect(() => publicKeySet({ keys: [privateJwk] })).to.throw(/private key material/);
      expect(() => publicKeySet({ k: privateJwk })).to.throw(/private key material/);
      expect(() => publicKeySet({ k: current.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string })).to.throw(/private key material/);
    });

    it('given a JWKS with a weak RSA key, a wrong alg, a duplicate kid or no kid, when loaded, then it is refused', () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
      expect(() => publicKeySet({ keys: [{ ...weak, kid: 'w' }] })).to.throw(/2048 bits/);
      expect(() => publicKeySet({ keys: [{ ...ecJwk, alg: 'HS256' }] })).to.throw(/alg HS256 is not accepted/);
      expect(() => publicKeySet({ keys: [ecJwk, ecJwk] })).to.throw(/appears twice/);
      expect(() => publicKeySet({ keys: [{ ...ecJwk, kid: undefined }] })).to.throw(/"kid"/);
    });

    it('given a JWKS with an encryption key, when loaded, then only the signing keys are kept', () => {
      expect([...publicKeySet({ keys: [ecJwk, { ...ecJwk, kid: 'enc', use: 'enc' }] }).keys()]).to.deep.equal(['k']);
    });

    it('given a JWKS file, when loaded, then bad files are errors naming the file and good ones give their keys', () => {
      const dir = mkdtempSync(join(tmpdir(), 'jose-'));
      writeFileSync(join(dir, 'good.json'), JSON.stringify({ keys: [ecJwk] }));
      writeFileSync(join(dir, 'bad.json'), '{');
      expect(loadJwksFile(join(dir, 'good.json')).map((k) => [k.kid, k.alg])).to.deep.equal([['k', 'ES256']]);
      expect(() => loadJwksFile(join(dir, 'bad.json'))).to.throw(/bad\.json is not valid JSON/);
      expect(() => loadJwksFile(join(dir, 'missing.json'))).to.throw(/missing\.json cannot be read: ENOENT/);
    });

    it('given a public key, when thumbprinted synchronously, then it agrees with jose', async () => {
      expect(jwkThumbprint(ecJwk)).to.equal(await calculateJwkThumbprint(ecJwk));
      const rsaJwk = rsa.publicKey.export({ format: 'jwk' });
      expect(jwkThumbprint(rsaJwk)).to.equal(await calculateJwkThumbprint(rsaJwk));
    });
  });

  describe('signJson / verifyJson', () => {
    const signing = resolveSigningKey({ kid: current.kid, privateKey: current.privateKey });
    const certificate = { caseId: 'c-1', decision: 'approved', issuedAt: '2026-12-02T10:00:00.000Z', fields: { name: '张三', count: 2 } };

    it('given a signed document, when verified with its members in another order, then it holds (canonical JSON)', async () => {
      const signature = await signJson(certificate, signing);
      expect(signature.split('.')[1]).to.equal('');
      const reordered = { fields: { count: 2, name: '张三' }, issuedAt: certificate.issuedAt, decision: 'approved', caseId: 'c-1' };
      expect(await verifyJson(reordered, signature, keys)).to.deep.equal({ ok: true, kid: current.kid });
    });

    it('given a changed document, an unknown key or a rotated-out signer, when verified, then it is refused', async () => {
      const signature = await signJson(certificate, signing);
      const changed = await verifyJson({ ...certificate, decision: 'rejected' }, signature, keys);
      expect(changed.ok === false && changed.failure.code).to.equal('signature');
      const stranger = await signJson(certificate, resolveSigningKey({ kid: 'nobody', privateKey: generateSigningKey('x').privateKey }));
      expect((await verifyJson(certificate, stranger, keys)).ok).to.equal(false);
      const withoutOld = publicKeySet([{ kid: current.kid, alg: 'ES256', key: current.publicKey }]);
      const byOld = await signJson(certificate, resolveSigningKey({ kid: old.kid, privateKey: old.privateKey }));
      expect((await verifyJson(certificate, byOld, keys)).ok).to.equal(true);
      expect((await verifyJson(certificate, byOld, withoutOld)).ok).to.equal(false);
    });

    it('given a signature whose header says none, when verified, then the algorithm is refused', async () => {
      const signature = await signJson(certificate, signing);
      const none = [b64({ alg: 'none', kid: current.kid }), '', signature.split('.')[2]].join('.');
      const result = await verifyJson(certificate, none, keys);
      expect(result.ok === false && result.failure.code).to.equal('algorithm');
    });
  });
});
