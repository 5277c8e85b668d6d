import { expect } from 'chai';
import { createRefreshingKeySet, generateSigningKey, KeysUnavailableError, publicJwk, publicKeySet } from '../../adapters/jose/index.ts';

const first = generateSigningKey('k1');
const second = generateSigningKey('k2');
const jwks = (...keys: Array<typeof first>) => ({ keys: keys.map((k) => publicJwk(k.kid, k.publicKey)) });

/** A key source over a document the test changes, counting reads, on a clock the test moves. */
function followed(options: { retryGapMs?: number } = {}) {
  const world = { document: jwks(first) as unknown, reads: 0, clock: 0, failures: [] as string[] };
  const keys = createRefreshingKeySet({
    source: 'test keys',
    load: () => {
      world.reads++;
      if (world.document instanceof Error) throw world.document;
      return world.document;
    },
    initial: publicKeySet(jwks(first)),
    refreshMs: 1000,
    retryGapMs: options.retryGapMs ?? 100,
    maxStaleMs: 5000,
    now: () => world.clock,
    onReadFailed: (error) => world.failures.push(error.message),
  });
  return { world, keys };
}

describe('trusted keys that follow their source (JWKS file or URL)', () => {
  it('given keys younger than the refresh period, then the source is not read again; once older, it is, and a removed key is gone', async () => {
    const { world, keys } = followed();
    world.document = jwks(second);
    world.clock = 999;
    expect([...(await keys.current()).keys()]).to.deep.equal(['k1']);
    expect(world.reads).to.equal(0);
    world.clock = 1000;
    expect([...(await keys.current()).keys()]).to.deep.equal(['k2']);
    expect(world.reads).to.equal(1);
  });

  it('given signatures naming unknown kids in a burst, then the source is read once per retry gap, not once per signature', async () => {
    const { world, keys } = followed();
    world.clock = 200;
    await Promise.all([keys.refreshForUnknownKid(), keys.refreshForUnknownKid(), keys.refreshForUnknownKid()]);
    await keys.refreshForUnknownKid();
    expect(world.reads).to.equal(1);
    world.clock = 300;
    await keys.refreshForUnknownKid();
    expect(world.reads).to.equal(2);
  });

  it('given a source that reads with no keys, then none is trusted at once: an emptied file is a removal, not a failure', async () => {
    const { world, keys } = followed();
    world.document = { keys: [] };
    world.clock = 1000;
    expect((await keys.current()).size).to.equal(0);
    expect(world.failures).to.deep.equal([]);
  });

  it('given reads that fail (or refuse a key), then the keys read before are kept until the bound, each failure reported, then KeysUnavailableError', async () => {
    const { world, keys } = followed();
    world.document = new Error('ENOENT');
    world.clock = 1000;
    expect([...(await keys.current()).keys()]).to.deep.equal(['k1']);
    world.document = { keys: [{ kty: 'oct', kid: 'k3', k: 'c2VjcmV0' }] };
    world.clock = 1100;
    expect([...(await keys.current()).keys()]).to.deep.equal(['k1']);
    expect(world.failures).to.have.length(2);
    expect(world.failures[1]).to.match(/private key material|only RSA/);
    world.clock = 5001;
    let thrown: unknown;
    await keys.current().catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(KeysUnavailableError);
    expect((thrown as Error).message).to.match(/test keys has not been read for 5 s .*no key is trusted/);
  });
});
