import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { sweepExpired } from '../../adapters/certificates/expiry-sweep.ts';
import { createCertificateKeys } from '../../adapters/certificates/keys.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { createCertificateRegistry, type CertificateRegistryOptions } from '../../adapters/certificates/registry.ts';
import { renderCertificatePdf } from '../../adapters/documents/certificate-pdf.ts';
import { signJson, signJwt } from '../../adapters/jose/index.ts';
import { disclosureClaims, type CertificateCredential } from '../../domain/certificates/certificate.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { physicalCollection } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_VERSION } from '../../projections/views/case-view/index.ts';
import { SAMPLE_CREDENTIAL as credential } from '../support/certificate-fixtures.ts';


/** Only the key-based checks run here: they touch no store. */
function registryOn(dataDir: string) {
  return createCertificateRegistry(registryOptions(dataDir));
}

function registryOptions(dataDir: string): CertificateRegistryOptions {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('no store in this test')) });
  return {
    eventStore: unused as CertificateRegistryOptions['eventStore'],
    readStore: unused as CertificateRegistryOptions['readStore'],
    services: { get: () => undefined },
    dataCatalogue: unused as CertificateRegistryOptions['dataCatalogue'],
    dataDir,
    timeZone: 'Asia/Shanghai',
    clock: systemClock,
  };
}

describe('certificate keys and checks: each department vouches only for its own certificates', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'errand-certificate-keys-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given a department\'s first certificate, its key is made private (0600) with its public JWKS beside it and published with its department', () => {
    const keys = createCertificateKeys(dataDir);
    const psb = keys.signing('PSB');
    expect(statSync(join(dataDir, 'certificates', 'PSB-key.json')).mode & 0o777).to.equal(0o600);
    const published = keys.jwks().keys;
    expect(published.map((k) => [k.kid, k.department])).to.deep.equal([[psb.kid, 'PSB']]);
    expect(published[0]).to.not.have.property('d');
    expect(() => keys.signing('../etc')).to.throw(RangeError);
  });

  it('when a credential of PSB is signed with TAX\'s key, the check refuses it; signed with PSB\'s, it passes', async () => {
    const keys = createCertificateKeys(dataDir);
    const registry = registryOn(dataDir);
    expect(await registry.checkCredential(credential, await signJson(credential, keys.signing('PSB')))).to.deep.equal({ ok: true, department: 'PSB' });
    const check = await registry.checkCredential(credential, await signJson(credential, keys.signing('TAX')));
    expect(check.ok).to.equal(false);
  });

  it('when a PDF claiming to be TAX\'s certificate is sealed with PSB\'s key, the check refuses it', async () => {
    const keys = createCertificateKeys(dataDir);
    const registry = registryOn(dataDir);
    const psb = keys.signing('PSB');
    const render = (c: CertificateCredential) => renderCertificatePdf({ credential: c, verificationUrl: 'http://x/verify?no=A', printedUrl: 'http://x/verify?no=A', sign: (claim) => signJson(claim, psb) });
    expect((await registry.checkPdf(await render(credential))).ok).to.equal(true);
    const forged = await registry.checkPdf(await render({ ...credential, issuer: { ...credential.issuer, department: 'TAX' } }));
    expect(forged.ok).to.equal(false);
  });

  it('given a key another process made since (shared DATA_DIR), the check finds it by re-reading the folder', async () => {
    const registry = registryOn(dataDir);
    await registry.checkCredential(credential, 'x..y');
    const elsewhere = createCertificateKeys(dataDir);
    const amr = { ...credential, issuer: { ...credential.issuer, department: 'AMR' } };
    expect(await registry.checkCredential(amr, await signJson(amr, elsewhere.signing('AMR')))).to.deep.equal({ ok: true, department: 'AMR' });
  });

  it('given a running process, when an operator removes a compromised key from its department\'s JWKS and moves its private file away, then within the refresh period that key no longer vouches and certificates are signed with a new one, without a restart', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'errand-certificate-rotation-'));
    try {
      let now = 0;
      const keys = createCertificateKeys(folder, { now: () => now });
      const registry = createCertificateRegistry({ ...registryOptions(folder), keys });
      const compromised = keys.signing('PSB');
      const signedBefore = await signJson(credential, compromised);
      expect(await registry.checkCredential(credential, signedBefore)).to.deep.equal({ ok: true, department: 'PSB' });

      const jwksFile = join(folder, 'certificates', 'PSB.jwks.json');
      const jwks = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: Array<{ kid: string }> };
      writeFileSync(jwksFile, JSON.stringify({ keys: jwks.keys.filter((k) => k.kid !== compromised.kid) }));
      renameSync(join(folder, 'certificates', 'PSB-key.json'), join(folder, 'PSB-key.compromised.json'));
      now += 30_000;
      expect(keys.signing('PSB').kid, 'within the period the process may still hold it').to.equal(compromised.kid);

      now += 31_000;
      expect((await registry.checkCredential(credential, signedBefore)).ok).to.equal(false);
      const replacement = keys.signing('PSB');
      expect(replacement.kid).to.not.equal(compromised.kid);
      expect(await registry.checkCredential(credential, await signJson(credential, replacement))).to.deep.equal({ ok: true, department: 'PSB' });
      expect(keys.jwks().keys.map((k) => k.kid)).to.deep.equal([replacement.kid]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a disclosure token counts only when the certificate\'s issuer signed it, for that certificate', async () => {
    const keys = createCertificateKeys(dataDir);
    const registry = registryOn(dataDir);
    const token = await signJwt({ ...disclosureClaims(credential.certificateNo, ['holderName']) }, keys.signing('PSB'));
    expect(await registry.readDisclosure(token, credential.certificateNo, 'PSB')).to.deep.include({ disclose: ['holderName'] });
    expect(await registry.readDisclosure(token, credential.certificateNo, 'TAX')).to.be.a('string');
    expect(await registry.readDisclosure(token, 'OTHER-2026-000000000000', 'PSB')).to.be.a('string');
    expect(await registry.readDisclosure(`${token.slice(0, -3)}abc`, credential.certificateNo, 'PSB')).to.be.a('string');
  });
});

describe('certificate expiry sweep: each certificate once, from where the last sweep stopped', () => {
  const views = (entries: Array<[string, string | null]>) =>
    entries.map(([no, validUntil]) => ({ caseId: no, certificate: { certificateNo: no, certificateType: 't', issuedOn: '2025-01-01', validUntil } }));

  it('given certificates valid until various days, each sweep looks only at those that ran out since the previous one', async () => {
    const readStore = createMemoryReadStore();
    await readStore.transaction(async (tx) => {
      for (const view of [...views([['A', '2026-01-10'], ['B', '2026-01-20'], ['C', '2026-02-01'], ['D', null]]), { caseId: 'E', certificate: null }]) await tx.put(physicalCollection(CASE_VIEW, CASE_VIEW_VERSION), view.caseId, view);
    });
    const looked: string[] = [];
    const registry = { state: async (view: { certificate: { certificateNo: string } }) => (looked.push(view.certificate.certificateNo), { status: 'expired' as const, revokedOn: null, revocationReason: null, expiryRecorded: true }) };
    const sweep = (day: string) => sweepExpired({ registry: registry as never, readStore }, day);
    expect(await sweep('2026-01-11')).to.equal(1);
    expect(looked).to.deep.equal(['A']);
    expect(await sweep('2026-01-11')).to.equal(0);
    expect(await sweep('2026-01-20')).to.equal(0);
    expect(await sweep('2026-02-05')).to.equal(2);
    expect(looked).to.deep.equal(['A', 'B', 'C']);
    expect(await sweep('2026-01-01')).to.equal(0);
  });
});
