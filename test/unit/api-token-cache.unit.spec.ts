import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { createTokenVerifier, TokenError } from '../../api/auth/index.ts';

const SECRET = 'a-development-secret-of-at-least-32-chars';

/** The TokenError a refused token rejects with. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the token was accepted');
}

describe('verified-token cache', () => {
  const verifier = createTokenVerifier({ issuer: 'errand', audience: 'errand-api', hs256Secret: SECRET, clockToleranceSeconds: 0 });
  const token = (seconds: number) =>
    jwt.sign({ kind: 'auditor', sub: 'auditor-1' }, SECRET, { algorithm: 'HS256', issuer: 'errand', audience: 'errand-api', expiresIn: seconds });

  it('given a token verified once, when it is presented again, then the same principal comes back', async () => {
    const t = token(60);
    expect(await verifier.verify(t)).to.deep.equal(await verifier.verify(t));
    expect(await verifier.verify(t)).to.include({ kind: 'auditor', id: 'auditor-1' });
  });

  it('given a cached token that has since expired, when it is presented again, then it is refused', async () => {
    const t = token(1);
    expect(await verifier.verify(t)).to.include({ kind: 'auditor' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const error = await refusal(verifier.verify(t));
    expect(error).to.be.instanceOf(TokenError);
    expect((error as TokenError).reason).to.match(/expired/);
  });

  it('given a token whose signature was tampered with, then the cache of the genuine one does not vouch for it', async () => {
    const t = token(60);
    await verifier.verify(t);
    const forged = `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(verifier.verify(forged))).to.be.instanceOf(TokenError);
  });
});
