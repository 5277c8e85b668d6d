import { expect } from 'chai';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { claimsProblem, describeJwsFailure, publicKeySet, signJwt, verifyJwt, type AsymmetricAlgorithm, type VerificationKey } from '../../adapters/jose/index.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys: Map<string, VerificationKey> = publicKeySet({ ec: ec.publicKey, rsa: rsa.publicKey });
const now = Math.floor(Date.now() / 1000);
const claims = { iss: 'errand', aud: 'PSB', iat: now, exp: now + 60, jti: 'j1', dataItem: 'x' };
/** Claims valid at the moment of the call: specs verified by a library against the real clock must not age. */
const freshClaims = () => {
  const at = Math.floor(Date.now() / 1000);
  return { ...claims, iat: at, exp: at + 60 };
};

const signJws = (payload: Record<string, unknown>, key: KeyObject, alg: AsymmetricAlgorithm, kid: string) => signJwt(payload, { kid, alg, key });

async function verifyJws(token: string | Promise<string>, set: Map<string, VerificationKey>) {
  const result = await verifyJwt(await token, set);
  return result.ok ? { ok: true as const, payload: result.payload } : { ok: false as const, reason: describeJwsFailure(result.failure) };
}

async function tamper(signed: Promise<string>, part: number, change: (s: string) => string): Promise<string> {
  const parts = (await signed).split('.');
  parts[part] = change(parts[part] as string);
  return parts.join('.');
}

describe('exchange JWS (ES256 / RS256 only, through adapters/jose)', () => {
  it('given tokens signed here, when a standard JWT library verifies them, then they are valid (ES256 and RS256)', async () => {
    expect(jwt.verify(await signJws(freshClaims(), ec.privateKey, 'ES256', 'ec'), ec.publicKey, { algorithms: ['ES256'], audience: 'PSB', issuer: 'errand' })).to.include({ jti: 'j1' });
    expect(jwt.verify(await signJws(freshClaims(), rsa.privateKey, 'RS256', 'rsa'), rsa.publicKey, { algorithms: ['RS256'] })).to.include({ dataItem: 'x' });
  });

  it('given tokens signed by a standard JWT library, when verified here, then they are accepted with their claims', async () => {
    const es = jwt.sign({ dataItem: 'x' }, ec.privateKey, { algorithm: 'ES256', keyid: 'ec', expiresIn: 60 });
    const rs = jwt.sign({ dataItem: 'y' }, rsa.privateKey, { algorithm: 'RS256', keyid: 'rsa', expiresIn: 60 });
    const a = await verifyJws(es, keys);
    const b = await verifyJws(rs, keys);
    expect(a.ok && a.payload.dataItem).to.equal('x');
    expect(b.ok && b.payload.dataItem).to.equal('y');
  });

  const refusals: Array<[string, () => string | Promise<string>, string]> = [
    ['alg "none"', () => `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'ec' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`, '"none" is not accepted'],
    ['HS256 with the public key as secret', () => jwt.sign(claims, ec.publicKey.export({ format: 'pem', type: 'spki' }) as string, { algorithm: 'HS256', keyid: 'ec' }), 'not accepted'],
    ['an RS256 header on an EC key', () => tamper(signJws(freshClaims(), ec.privateKey, 'ES256', 'ec'), 0, () => Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'ec' })).toString('base64url')), 'ES256, the token says RS256'],
    ['an unknown kid', () => signJws(claims, ec.privateKey, 'ES256', 'other'), 'unknown key'],
    ['a changed payload', () => tamper(signJws(freshClaims(), ec.privateKey, 'ES256', 'ec'), 1, () => Buffer.from(JSON.stringify({ ...claims, dataItem: 'y' })).toString('base64url')), 'signature is invalid'],
    ['a DER-encoded ECDSA signature', () => jwt.sign(claims, ec.privateKey, { algorithm: 'ES256', keyid: 'ec' }).split('.').slice(0, 2).join('.') + '.' + Buffer.alloc(70, 1).toString('base64url'), 'signature is invalid'],
    ['four segments', async () => `${await signJws(freshClaims(), ec.privateKey, 'ES256', 'ec')}.x`, 'malformed'],
  ];
  for (const [what, make, reason] of refusals) {
    it(`given ${what}, when verified, then it is refused`, async () => {
      const result = await verifyJws(make(), keys);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.reason).to.contain(reason);
    });
  }

  it('given registered claims, when checked, then expiry, issuer, audience and lifetime are enforced', () => {
    const rules = { issuer: 'errand', audience: 'PSB', nowSeconds: now, toleranceSeconds: 5, maxLifetimeSeconds: 120 };
    expect(claimsProblem(claims, rules)).to.equal(null);
    expect(claimsProblem({ ...claims, exp: now - 10 }, rules)).to.contain('expired');
    expect(claimsProblem({ ...claims, exp: undefined }, rules)).to.contain('no expiry');
    expect(claimsProblem({ ...claims, aud: ['CAB', 'PSB'] }, rules)).to.equal(null);
    expect(claimsProblem({ ...claims, aud: 'CAB' }, rules)).to.contain('not addressed');
    expect(claimsProblem({ ...claims, iss: 'x' }, rules)).to.contain('not issued');
    expect(claimsProblem({ ...claims, exp: now + 600 }, rules)).to.contain('longer than 120');
    expect(claimsProblem({ ...claims, iat: now + 60, exp: now + 100 }, rules)).to.contain('future');
    expect(claimsProblem({ ...claims, nbf: now + 60 }, rules)).to.contain('not valid yet');
  });
});
