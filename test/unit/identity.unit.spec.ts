import { expect } from 'chai';
import fc from 'fast-check';
import {
  CREDIT_CODE_ALPHABET,
  birthDateOfCitizenId,
  citizenIdCheckChar,
  createRandom,
  creditCodeCheckChar,
  isValidCitizenId,
  isValidCreditCode,
  makeCitizenId,
  makeCreditCode,
  randomCitizenId,
  randomCreditCode,
  sexOfCitizenId,
  subjectTypeOfId,
  validateCitizenId,
  validateCreditCode,
} from '../../domain/identity/index.ts';

const CITIZEN_CHARS = '0123456789X';

const citizenParts = fc.record({
  region: fc.stringMatching(/^[1-8]\d{5}$/),
  birthDate: fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  sequence: fc.integer({ min: 0, max: 999 }),
});

const creditParts = fc.record({
  registrationAuthority: fc.constantFrom('1', '5', '9', 'Y'),
  category: fc.constantFrom('1', '2', '3'),
  region: fc.stringMatching(/^\d{6}$/),
  organisationCode: fc.string({ unit: fc.constantFrom(...CREDIT_CODE_ALPHABET), minLength: 9, maxLength: 9 }),
});

function replaceAt(s: string, i: number, ch: string): string {
  return s.slice(0, i) + ch + s.slice(i + 1);
}

describe('citizen ID (GB 11643)', () => {
  it('given the standard example, when validated, then it is valid and its check character is X', () => {
    // Checked by hand in domain/identity/citizen-id.ts: weighted sum 167, 167 mod 11 = 2 -> "X".
    expect(citizenIdCheckChar('11010519491231002')).to.equal('X');
    expect(validateCitizenId('11010519491231002X')).to.equal(null);
    expect(birthDateOfCitizenId('11010519491231002X')).to.equal('1949-12-31');
    expect(sexOfCitizenId('11010519491231002X')).to.equal('female');
  });

  it('given parts, when an ID is made, then it validates and carries the birth date and sex', () => {
    const id = makeCitizenId({ region: '440305', birthDate: '1990-03-07', sequence: 123 });
    expect(id.slice(0, 17)).to.equal('44030519900307123');
    expect(isValidCitizenId(id)).to.equal(true);
    expect(birthDateOfCitizenId(id)).to.equal('1990-03-07');
    expect(sexOfCitizenId(id)).to.equal('male');
  });

  it('given a wrong length, when validated, then the message gives the length', () => {
    expect(validateCitizenId('11010519491231002')).to.equal('citizen ID must be 18 characters, got 17');
  });

  it('given a letter among the first 17, when validated, then the message names its position', () => {
    expect(validateCitizenId('1101051949123100AX')).to.equal('citizen ID character 17 must be a digit, got "A"');
  });

  it('given a lowercase x, when validated, then the message asks for uppercase', () => {
    expect(validateCitizenId('11010519491231002x')).to.match(/uppercase "X"/);
  });

  it('given February 30th as birth date, when validated, then the birth date is refused', () => {
    const first17 = '11010519490230002';
    expect(validateCitizenId(first17 + citizenIdCheckChar(first17))).to.equal(
      'citizen ID birth date (characters 7-14) "19490230" is not a real date',
    );
  });

  it('given a wrong check character, when validated, then the message gives expected and got', () => {
    expect(validateCitizenId('110105194912310021')).to.equal('citizen ID check character is wrong: expected "X", got "1"');
  });

  it('given an invalid ID, when its birth date is asked, then it throws the validation message', () => {
    expect(() => birthDateOfCitizenId('110105194912310021')).to.throw(RangeError, /expected "X"/);
  });

  it('given bad parts, when an ID is made, then it refuses', () => {
    expect(() => makeCitizenId({ region: '4403', birthDate: '1990-01-01', sequence: 1 })).to.throw(/region/);
    expect(() => makeCitizenId({ region: '440305', birthDate: '1990-02-29', sequence: 1 })).to.throw(/birthDate/);
    expect(() => makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence: 1000 })).to.throw(/sequence/);
  });

  it('property: every made ID validates and round-trips its birth date and sex', () => {
    fc.assert(
      fc.property(citizenParts, (parts) => {
        const id = makeCitizenId(parts);
        expect(validateCitizenId(id)).to.equal(null);
        expect(birthDateOfCitizenId(id)).to.equal(parts.birthDate);
        expect(sexOfCitizenId(id)).to.equal(parts.sequence % 2 === 1 ? 'male' : 'female');
      }),
    );
  });

  it('property: changing any single character breaks validation', () => {
    fc.assert(
      fc.property(citizenParts, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...CITIZEN_CHARS), (parts, i, ch) => {
        const id = makeCitizenId(parts);
        fc.pre(id[i] !== ch);
        expect(isValidCitizenId(replaceAt(id, i, ch))).to.equal(false);
      }),
    );
  });

  it('given the same seed, when random IDs are drawn, then they are the same valid IDs', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const first = Array.from({ length: 20 }, () => randomCitizenId(a, { sex: 'female' }));
    const second = Array.from({ length: 20 }, () => randomCitizenId(b, { sex: 'female' }));
    expect(first).to.deep.equal(second);
    for (const id of first) {
      expect(isValidCitizenId(id)).to.equal(true);
      expect(sexOfCitizenId(id)).to.equal('female');
    }
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('given the standard example, when validated, then it is valid with check character 3', () => {
    // Checked by hand in domain/identity/credit-code.ts: weighted sum 1640, 1640 mod 31 = 28, 31 - 28 = 3.
    expect(creditCodeCheckChar('91350100M000100Y4')).to.equal('3');
    expect(validateCreditCode('91350100M000100Y43')).to.equal(null);
  });

  it('given a sum divisible by 31, when the check character is computed, then 31 maps to 0', () => {
    // 17 zeros: sum 0, 31 - 0 = 31 -> "0".
    expect(creditCodeCheckChar('0'.repeat(17))).to.equal('0');
  });

  it('given parts, when a code is made, then it validates', () => {
    const code = makeCreditCode({ registrationAuthority: '9', category: '1', region: '440300', organisationCode: 'MA5FXXXX0' });
    expect(code.slice(0, 17)).to.equal('91440300MA5FXXXX0');
    expect(isValidCreditCode(code)).to.equal(true);
  });

  it('given a wrong length, when validated, then the message gives the length', () => {
    expect(validateCreditCode('91350100M000100Y4')).to.equal('credit code must be 18 characters, got 17');
  });

  it('given a forbidden letter, when validated, then the message names the letter and position', () => {
    expect(validateCreditCode('91350100O000100Y43')).to.equal(
      'credit code character 9 "O" is not allowed (I, O, S, V and Z are never used)',
    );
  });

  it('given lowercase letters, when validated, then the message asks for uppercase', () => {
    expect(validateCreditCode('91350100m000100Y43')).to.equal('credit code character 9 must be uppercase, got lowercase "m"');
  });

  it('given a wrong check character, when validated, then the message gives expected and got', () => {
    expect(validateCreditCode('91350100M000100Y44')).to.equal('credit code check character is wrong: expected "3", got "4"');
  });

  it('property: every made code validates', () => {
    fc.assert(
      fc.property(creditParts, (parts) => {
        expect(validateCreditCode(makeCreditCode(parts))).to.equal(null);
      }),
    );
  });

  it('property: changing any single character breaks validation', () => {
    fc.assert(
      fc.property(
        creditParts,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...CREDIT_CODE_ALPHABET),
        (parts, i, ch) => {
          const code = makeCreditCode(parts);
          fc.pre(code[i] !== ch);
          expect(isValidCreditCode(replaceAt(code, i, ch))).to.equal(false);
        },
      ),
    );
  });

  it('given the same seed, when random codes are drawn, then they are the same valid codes', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const codesA = Array.from({ length: 20 }, () => randomCreditCode(a));
    const codesB = Array.from({ length: 20 }, () => randomCreditCode(b));
    expect(codesA).to.deep.equal(codesB);
    for (const code of codesA) expect(isValidCreditCode(code)).to.equal(true);
  });
});

describe('whose id it is, when nothing else says (subjectTypeOfId)', () => {
  it('given a citizen ID number, then a person; given a credit code with letters, then an enterprise', () => {
    fc.assert(fc.property(citizenParts, (parts) => subjectTypeOfId(makeCitizenId(parts)) === 'person' || isValidCreditCode(makeCitizenId(parts))));
    expect(subjectTypeOfId('91350100M000100Y43')).to.equal('enterprise');
  });

  it('given a credit code of 17 digits and an X (the shape of a citizen ID number) that is no valid citizen ID, then an enterprise', () => {
    // The first such code counting up from a registered company's prefix: found, not hand-made.
    let code = '';
    for (let n = 0; !code; n += 1) {
      const first17 = `9111000071${String(n).padStart(7, '0')}`;
      const candidate = `${first17}${creditCodeCheckChar(first17)}`;
      if (candidate.endsWith('X') && !isValidCitizenId(candidate)) code = candidate;
    }
    expect(code).to.match(/^\d{17}X$/);
    expect(isValidCreditCode(code)).to.equal(true);
    expect(subjectTypeOfId(code)).to.equal('enterprise');
  });
});
