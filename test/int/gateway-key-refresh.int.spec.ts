import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { assembleEvidenceProviders, gatewayKeyFiles, type EvidenceProviders } from '../../adapters/evidence/index.ts';
import { generateSigningKey, publicJwk } from '../../adapters/jose/index.ts';
import { EvidenceRefusedError, ProviderUnavailableError } from '../../domain/ports/evidence.ts';
import { requestFor, shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { startGateway, type GatewayFixture } from './gateway-fixture.ts';

const REFRESH_MS = 60_000;
const MAX_STALE_MS = 300_000;
const request = requestFor('household-registration', subjectId('instant-approval'), ['name']);

/** Why a fetch failed, or 'found'. */
async function outcome(providers: EvidenceProviders): Promise<string> {
  try {
    return (await providers.router.fetch(request)).status;
  } catch (error) {
    if (error instanceof EvidenceRefusedError) return `refused: ${error.message}`;
    if (error instanceof ProviderUnavailableError) return `unavailable: ${error.message}`;
    throw error;
  }
}

describe('a department gateway\'s keys follow its JWKS file while the platform runs (no restart)', function () {
  this.timeout(30_000);
  let dataDir: string;
  let file: string;
  let gw: GatewayFixture;
  let providers: EvidenceProviders | undefined;
  let clock: number;
  const errors: Array<Record<string, unknown>> = [];
  const writeKeys = (...keys: Array<{ kid: string; publicKey: KeyObject }>) => writeFileSync(file, JSON.stringify({ keys: keys.map((k) => publicJwk(k.kid, k.publicKey)) }));
  const assemble = (target: GatewayFixture) =>
    assembleEvidenceProviders({
      evidence: { gateways: { PSB: target.url }, sqlLibraryUrl: null, demoLibrary: false, limits: {} },
      catalogue: shippedCatalogue(),
      signer: target.signer,
      dataDir,
      gatewayKeyRefresh: { refreshMs: REFRESH_MS, retryGapMs: 0, maxStaleMs: MAX_STALE_MS, now: () => clock },
      logger: { info: () => undefined, warn: () => undefined, error: (object) => errors.push(object) },
    });

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'errand-gateway-keys-'));
    file = gatewayKeyFiles(dataDir, 'PSB').jwks;
    mkdirSync(dirname(file), { recursive: true });
    clock = Date.now();
    errors.length = 0;
    gw = await startGateway();
  });
  afterEach(async () => {
    await providers?.close();
    providers = undefined;
    await gw.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a gateway key removed from the file, when the refresh period has passed, then its answers are no longer believed', async () => {
    const other = generateSigningKey('PSB-gw-2027');
    writeKeys(gw.gatewayKey, other);
    providers = await assemble(gw);
    expect(await outcome(providers)).to.equal('found');
    writeKeys(other);
    clock += REFRESH_MS;
    expect(await outcome(providers)).to.match(/^refused: .*unknown key "PSB-gw-2026"/);
  });

  it('given an answer signed with a key the platform has not read yet, when the key is added to the file, then it is believed at once, not a refresh period later', async () => {
    const rotated = generateSigningKey('PSB-gw-2027');
    const next = await startGateway({ gatewaySigningKey: { kid: rotated.kid, privateKey: rotated.privateKey } });
    try {
      writeKeys(gw.gatewayKey);
      providers = await assemble(next);
      expect(await outcome(providers)).to.match(/^refused: .*unknown key "PSB-gw-2027"/);
      writeKeys(gw.gatewayKey, rotated);
      expect(await outcome(providers)).to.equal('found');
    } finally {
      await next.close();
    }
  });

  it('given the file cannot be read, then the keys read before are trusted for a bounded time with the failure reported, then none until it reads again', async () => {
    writeKeys(gw.gatewayKey);
    providers = await assemble(gw);
    writeFileSync(file, '{"keys": [');
    clock += REFRESH_MS;
    expect(await outcome(providers)).to.equal('found');
    expect(errors.length).to.be.at.least(1);
    expect(errors[0]).to.include({ department: 'PSB', file });
    // Past the bound a key is trusted by nobody's say-so: the answer is not believed, and the worker retries later.
    clock += MAX_STALE_MS;
    expect(await outcome(providers)).to.match(/^unavailable: .*keys cannot be read/);
    writeKeys(gw.gatewayKey);
    expect(await outcome(providers)).to.equal('found');
  });
});
