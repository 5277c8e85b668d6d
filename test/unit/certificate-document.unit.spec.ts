import { expect } from 'chai';
import { verifySealedPdf } from '../../adapters/documents/sealed-pdf.ts';
import { renderCertificatePdf } from '../../adapters/documents/certificate-pdf.ts';
import { generateSigningKey, publicKeySet, resolveSigningKey, signJson, verifyJson } from '../../adapters/jose/index.ts';
import { certificateState, readDisclosureClaims } from '../../domain/certificates/certificate.ts';
import { pdfText } from '../support/pdf-text.ts';
import { SAMPLE_CREDENTIAL as credential } from '../support/certificate-fixtures.ts';

const psb = generateSigningKey('PSB-certificates-test');
const other = generateSigningKey('TAX-certificates-test');
const signing = resolveSigningKey(psb);
const keys = publicKeySet({ [psb.kid]: psb.publicKey, [other.kid]: other.publicKey });

async function sealed(): Promise<Buffer> {
  return renderCertificatePdf({ credential, verificationUrl: 'http://127.0.0.1:3000/verify?no=RESIDENCE-PERMIT-2026-ABCDEF123456&t=token', printedUrl: 'http://127.0.0.1:3000/verify?no=RESIDENCE-PERMIT-2026-ABCDEF123456', sign: (claim) => signJson(claim, signing) });
}

describe('certificate documents (电子证照)', function () {
  this.timeout(60_000);
  let pdf: Buffer;
  before(async () => {
    pdf = await sealed();
  });

  it('given an issued certificate, the PDF prints its number, holder, issuer, validity and verification address', async () => {
    const { pages, text, info, links } = await pdfText(pdf);
    expect(links).to.deep.equal(['http://127.0.0.1:3000/verify?no=RESIDENCE-PERMIT-2026-ABCDEF123456&t=token']);
    expect(text).to.not.contain('&t=token');
    expect(pages).to.have.length(1);
    for (const expected of ['居住证', 'RESIDENCE-PERMIT-2026-ABCDEF123456', '张三', '110101199003074578', '市公安局', '2027-03-02', '/verify?no=RESIDENCE-PERMIT-2026-ABCDEF123456', '电子印章']) {
      expect(text).to.contain(expected);
    }
    expect((info.Custom as Record<string, unknown>).CertificateNo).to.equal(credential.certificateNo);
  });

  it('given the sealed PDF unchanged, its signature verifies and yields the credential it carries', async () => {
    const verdict = await verifySealedPdf(pdf, keys);
    expect(verdict.ok, JSON.stringify(verdict)).to.equal(true);
    if (verdict.ok) {
      expect(verdict.claim.credential).to.deep.equal(credential);
      expect(verdict.kid).to.equal(psb.kid);
    }
  });

  it('when any byte of the printed content changes, the PDF fails verification', async () => {
    const text = pdf.toString('latin1');
    // A byte inside the first content stream (the drawn page), and a byte of the document information.
    const stream = text.indexOf('stream\n') + 40;
    const title = text.indexOf('/Title');
    for (const offset of [stream, title + 2, pdf.length - 20]) {
      const tampered = Buffer.from(pdf);
      tampered[offset] = tampered[offset] === 0x41 ? 0x42 : 0x41;
      const verdict = await verifySealedPdf(tampered, keys);
      expect(verdict.ok, `byte ${offset}`).to.equal(false);
    }
  });

  it('when the credential in the PDF is replaced with another holder, the PDF fails verification', async () => {
    const text = pdf.toString('latin1');
    const carried = text.match(/\/ErrandCredential (\d+) 0 R/)!;
    expect(carried).to.not.equal(null);
    const forged = { ...credential, holder: { ...credential.holder, name: '李四' } };
    const at = text.indexOf(`\n${carried[1]} 0 obj\n(`) + `\n${carried[1]} 0 obj\n(`.length;
    const end = text.indexOf(')', at);
    const replacement = Buffer.from(JSON.stringify(forged)).toString('base64url').slice(0, end - at).padEnd(end - at, 'A');
    const tampered = Buffer.from(pdf);
    tampered.write(replacement, at, 'latin1');
    expect((await verifySealedPdf(tampered, keys)).ok).to.equal(false);
  });

  it('when something is appended after signing (an incremental update), the PDF fails verification', async () => {
    const appended = Buffer.concat([pdf, Buffer.from('\n1 0 obj\n(x)\nendobj\n')]);
    expect((await verifySealedPdf(appended, keys)).ok).to.equal(false);
  });

  it('given a PDF signed by a key the verifier does not trust, or not signed at all, it fails', async () => {
    expect((await verifySealedPdf(pdf, publicKeySet({ [other.kid]: other.publicKey }))).ok).to.equal(false);
    expect((await verifySealedPdf(Buffer.from('%PDF-1.3\nnot a certificate'), keys)).ok).to.equal(false);
    expect((await verifySealedPdf(Buffer.from('hello'), keys)).ok).to.equal(false);
  });

  it('given the same certificate, two renderings differ only in the signature slot (deterministic layout)', async () => {
    const again = await sealed();
    expect(again.length).to.equal(pdf.length);
    const differing = [...again].map((byte, i) => (byte === pdf[i] ? -1 : i)).filter((i) => i >= 0);
    expect(differing.length).to.be.greaterThan(0);
    expect(differing.at(-1)! - differing[0]!).to.be.lessThan(1024);
  });

  it('a tampered JSON credential fails its detached signature; the untouched one verifies', async () => {
    const signature = await signJson(credential, signing);
    expect((await verifyJson({ ...credential }, signature, keys)).ok).to.equal(true);
    expect((await verifyJson({ ...credential, validUntil: '2099-12-31' }, signature, keys)).ok).to.equal(false);
    expect((await verifyJson({ ...credential, holder: { ...credential.holder, id: '110101199003070000' } }, signature, keys)).ok).to.equal(false);
  });
});

describe('certificate status', () => {
  const issued = { validUntil: '2027-03-02', caseRevocation: null };

  it('given no events, a certificate is valid through its last day and expired the day after', () => {
    expect(certificateState(issued, [], '2027-03-02').status).to.equal('valid');
    expect(certificateState(issued, [], '2027-03-03')).to.deep.include({ status: 'expired', expiryRecorded: false });
    expect(certificateState({ validUntil: null, caseRevocation: null }, [], '2999-01-01').status).to.equal('valid');
  });

  it('given a revocation event, it is revoked, even once past its validity', () => {
    const revoked = [{ type: 'CertificateRevoked' as const, data: { certificateNo: 'X', reason: 'obtained by fraud', revokedOn: '2026-05-01', department: 'PSB' } }];
    expect(certificateState(issued, revoked, '2026-06-01')).to.deep.include({ status: 'revoked', revokedOn: '2026-05-01' });
    expect(certificateState(issued, revoked, '2028-01-01').status).to.equal('revoked');
  });

  it('given the case approval revoked (告知承诺 found false), the certificate is revoked', () => {
    expect(certificateState({ validUntil: null, caseRevocation: { reason: 'false commitment', revokedOn: '2026-04-01' } }, [], '2026-04-02').status).to.equal('revoked');
  });

  it('given a recorded expiry, it stays expired whatever the day', () => {
    const expired = [{ type: 'CertificateExpired' as const, data: { certificateNo: 'X', validUntil: '2027-03-02', recordedOn: '2027-03-03' } }];
    expect(certificateState(issued, expired, '2027-03-05')).to.deep.include({ status: 'expired', expiryRecorded: true });
  });

  it('disclosure claims: only for the certificate named and only disclosable fields', () => {
    expect(readDisclosureClaims({ typ: 'certificate-disclosure', sub: 'A-1', disclose: ['holderName'] }, 'A-1')).to.deep.equal({ typ: 'certificate-disclosure', sub: 'A-1', disclose: ['holderName'] });
    expect(readDisclosureClaims({ typ: 'certificate-disclosure', sub: 'A-1', disclose: ['holderName'] }, 'A-2')).to.be.a('string');
    expect(readDisclosureClaims({ typ: 'certificate-disclosure', sub: 'A-1', disclose: ['address'] }, 'A-1')).to.be.a('string');
    expect(readDisclosureClaims({ typ: 'JWT', sub: 'A-1', disclose: [] }, 'A-1')).to.be.a('string');
  });
});
