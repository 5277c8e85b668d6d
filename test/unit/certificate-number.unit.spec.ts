import { expect } from 'chai';
import { CERTIFICATE_NUMBER_PATTERN, isCertificateNumber } from '../../domain/certificates/certificate.ts';
import { certificateNumberProblem, checkCharacter, newCertificateNumber, normalizeCertificateNumber, SERIAL_ALPHABET } from '../../domain/certificates/number.ts';
import type { CaseContext, DecideEnvironment } from '../../workflows/index.ts';
import { certificateFor } from '../../workflows/index.ts';
import { environmentFor, noonOn, SINGLE } from '../support/case-fixtures.ts';

const bytes = (...values: number[]) => Uint8Array.from({ length: 16 }, (_, i) => values[i % values.length]!);
const contextOf = (caseId: string) => ({ caseId, applicant: { type: 'person', id: '110101199003074578' } }) as unknown as CaseContext;
const envWith = (entropy: Uint8Array) =>
  ({ today: '2026-03-02', entropy, definition: { applicantType: 'person', outcome: { certificateType: 'residence-permit', validityMonths: 12 } } }) as unknown as DecideEnvironment;
const numberOf = (caseId: string, entropy: Uint8Array) => (certificateFor(contextOf(caseId), envWith(entropy)).data as { certificateNo: string }).certificateNo;
const SHAPE = new RegExp(`^RESIDENCE-PERMIT-2026(-[${SERIAL_ALPHABET}]{4}){5}-[${SERIAL_ALPHABET}]$`);

describe('certificate numbers: unguessable, not chosen by the applicant, typable, with a check character', () => {
  it('given random bytes from the edge, when a certificate is issued, then its number is the type, the year, five groups of four and a check character', () => {
    const number = numberOf('6559e0e3-b2c1-86eb-bd97-94c98d0ff61a', bytes(0x9d, 0x41, 0xe7, 0x02));
    expect(number).to.match(SHAPE);
    expect(new RegExp(CERTIFICATE_NUMBER_PATTERN).test(number)).to.equal(true);
    expect(certificateNumberProblem(number)).to.equal(null);
    // Crockford's alphabet: nothing to misread as another character when typed from paper.
    expect(number.slice('RESIDENCE-PERMIT-2026-'.length)).to.not.match(/[ILOU]/);
  });

  it('given two case ids alike in all the digits the number used to take (an applicant chooses a case id), when both are certified, then their numbers differ', () => {
    const entropy = [bytes(1, 2, 3), bytes(4, 5, 6)];
    const a = numberOf('6559e0e3-b2c1-86eb-bd97-94c98d0ff61a', entropy[0]!);
    const b = numberOf('6559e0e3-b2c1-0000-0000-000000000000', entropy[1]!);
    expect(a).to.not.equal(b);
  });

  it('given the same case, when certified with other random bytes, then the number is another: it follows nothing the applicant controls', () => {
    const caseId = '6559e0e3-b2c1-86eb-bd97-94c98d0ff61a';
    expect(numberOf(caseId, bytes(7))).to.not.equal(numberOf(caseId, bytes(8)));
    expect(numberOf(caseId, bytes(7))).to.equal(numberOf('00000000-0000-4000-8000-000000000000', bytes(7)));
  });

  it('given any one of the first 100 random bits flipped, then the number changes: it carries 100 bits, well beyond a search for a collision', () => {
    const base = bytes(0x5a, 0xc3, 0x0f, 0x99, 0x21);
    const seen = new Set([newCertificateNumber('residence-permit', '2026', base)]);
    for (let bit = 0; bit < 100; bit++) {
      const flipped = Uint8Array.from(base);
      flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
      seen.add(newCertificateNumber('residence-permit', '2026', flipped));
    }
    expect(seen.size).to.equal(101);
  });

  it('given too few random bytes, when a number is made, then it is refused rather than made weaker', () => {
    expect(() => newCertificateNumber('residence-permit', '2026', new Uint8Array(12))).to.throw(RangeError, /13 random bytes/);
  });

  it('given a number with any one character of its serial or its check character mistyped, then the check says so', () => {
    const number = newCertificateNumber('residence-permit', '2026', bytes(0x13, 0x37, 0xbe, 0xef));
    const tail = 'RESIDENCE-PERMIT-2026-'.length;
    let mistyped = 0;
    for (let at = tail; at < number.length; at++) {
      if (number[at] === '-') continue;
      for (const other of SERIAL_ALPHABET) {
        if (other === number[at]) continue;
        const typo = `${number.slice(0, at)}${other}${number.slice(at + 1)}`;
        expect(certificateNumberProblem(typo), typo).to.match(/mistyped/);
        mistyped++;
      }
    }
    expect(mistyped).to.equal(21 * 31);
  });

  it('given numbers issued before (12 hex digits of the case id) or of no known form, then the check leaves them to the lookup', () => {
    for (const legacy of ['RESIDENCE-PERMIT-2026-6559E0E3B2C1', 'NO-TAX-ARREARS-CERTIFICATE-2025-ABCDEF123456', 'NO-SUCH-2026-000000000000']) {
      expect(isCertificateNumber(legacy), legacy).to.equal(true);
      expect(certificateNumberProblem(legacy), legacy).to.equal(null);
    }
  });

  it('given a number typed in lower case, with spaces, or with O for 0 and I or L for 1 (letters the alphabet leaves out), then it reads as the number issued and checks; the type\'s own letters and earlier numbers stay as typed', () => {
    const issued = newCertificateNumber('residence-permit', '2026', bytes(0x00, 0x04, 0x21, 0x08, 0x42));
    expect(issued).to.match(/[01]/);
    const tail = issued.slice('RESIDENCE-PERMIT'.length);
    const loose = `residence-permit ${tail.replace(/0/g, 'o').replace(/1/g, (_, at: number) => (at % 2 ? 'I' : 'l')).toLowerCase()}`;
    expect(normalizeCertificateNumber(loose)).to.equal(issued);
    expect(certificateNumberProblem(normalizeCertificateNumber(loose))).to.equal(null);
    expect(normalizeCertificateNumber('RESIDENCE-PERMIT-2026-0123456789ab')).to.equal('RESIDENCE-PERMIT-2026-0123456789ab');
    // A look-alike that is a slip of another kind still fails its check.
    const slipped = `${issued.slice(0, -1)}${issued.at(-1) === 'O' || issued.at(-1) === '0' ? 'Z' : '0'}`;
    expect(certificateNumberProblem(normalizeCertificateNumber(slipped))).to.match(/mistyped/);
  });

  it('the check character is Luhn mod 32 over the serial', () => {
    // Worked by hand: from the right, doubled 1 -> 2, then 0, doubled 0 -> 0, then 1: sum 3, check 32 - 3 = 29 -> "X".
    expect(checkCharacter('1001')).to.equal('X');
    expect(checkCharacter('0000')).to.equal('0');
  });

  it('given the runtime\'s decision environment, then every decision gets fresh random bytes from the edge', () => {
    const [a, b] = [environmentFor(SINGLE, noonOn('2026-03-02')).entropy, environmentFor(SINGLE, noonOn('2026-03-02')).entropy];
    expect(a.length).to.be.at.least(13);
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(false);
  });
});
