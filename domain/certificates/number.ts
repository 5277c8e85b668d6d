/**
 * Certificate numbers. Anyone who has one learns the certificate's status, type, issuer and validity from the public
 * verification, and the number names the certificate's own stream (revocation, expiry): a number must be neither
 * guessable (enumerating a department's certificates) nor choosable (a citizen making their certificate share the
 * number, and so the stream and the verification answer, of someone else's, or a vanity number).
 *
 * A number is `<TYPE>-<YEAR>-XXXX-XXXX-XXXX-XXXX-XXXX-C`: 20 characters of Crockford base32 carrying 100 bits drawn
 * from the operating system's CSPRNG at the edge (the command handler's environment) and recorded in the
 * CertificateIssued event, so a replay reads it back and nothing in the core draws it; then one check character
 * (Luhn mod 32), so a mistyped number is told apart from one never issued. Crockford's alphabet has no I, L, O or U:
 * nothing to misread between 0/O or 1/I/L.
 *
 * Numbers issued before carry 12 hex digits of the case id (48 bits, which the applicant chose: a case id is the
 * client's): they stay what their events say, and verify and revoke as before; only new numbers have this form.
 */

/** Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U. */
export const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of the random serial (5 bits each): 100 bits, beyond any search for a collision or a chosen number. */
export const SERIAL_LENGTH = 20;
/** Random bytes a new number needs (the environment supplies at least this many). */
export const SERIAL_ENTROPY_BYTES = Math.ceil((SERIAL_LENGTH * 5) / 8);
const GROUP = 4;

const SYMBOL = `[${SERIAL_ALPHABET}]`;
/** The tail of a number in this form: year, five groups of four, the check character. */
const CURRENT_TAIL = new RegExp(`-(\\d{4})((?:-${SYMBOL}{${GROUP}}){${SERIAL_LENGTH / GROUP}})-(${SYMBOL})$`);

/** The Luhn mod 32 check character of a serial: catches every single wrong character and most swapped neighbours. */
export function checkCharacter(serial: string): string {
  let sum = 0;
  // From the right, every second character's value is doubled (its digits summed in base 32), as in Luhn's.
  for (let i = serial.length - 1, double = true; i >= 0; i--, double = !double) {
    const value = SERIAL_ALPHABET.indexOf(serial[i]!);
    if (value < 0) throw new RangeError(`"${serial[i]}" is not a serial character`);
    const weighted = double ? value * 2 : value;
    sum += Math.floor(weighted / 32) + (weighted % 32);
  }
  return SERIAL_ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** The first SERIAL_LENGTH base32 characters of the entropy (5 bits each, most significant first). */
function serialOf(entropy: Uint8Array): string {
  if (entropy.length < SERIAL_ENTROPY_BYTES) throw new RangeError(`a certificate number needs ${SERIAL_ENTROPY_BYTES} random bytes, got ${entropy.length}`);
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (let i = 0; out.length < SERIAL_LENGTH; ) {
    if (bits < 5) {
      buffer = ((buffer << 8) | entropy[i++]!) & 0xffff;
      bits += 8;
    }
    out += SERIAL_ALPHABET[(buffer >> (bits - 5)) & 31];
    bits -= 5;
  }
  return out;
}

/** A new certificate's number from its type, the year of issue and random bytes drawn at the edge. */
export function newCertificateNumber(certificateType: string, year: string, entropy: Uint8Array): string {
  const serial = serialOf(entropy);
  const groups = serial.match(new RegExp(`.{${GROUP}}`, 'g'))!;
  return `${certificateType.toUpperCase()}-${year}-${groups.join('-')}-${checkCharacter(serial)}`;
}

/** Crockford's reading of the letters its alphabet leaves out: O is 0, I and L are 1. */
const ALIASES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };
/** The tail of the current form as a person may type it: any case, the excluded letters standing for digits. */
const TYPED_TAIL = new RegExp(`-([0-9OIL]{4})((?:-[0-9A-Z]{${GROUP}}){${SERIAL_LENGTH / GROUP}})-([0-9A-Z])$`, 'i');

/**
 * A number as typed, in the form it was issued: without spaces, and for the current form its serial upper-cased with
 * O read as 0 and I or L as 1 (Crockford), so a slip between look-alikes finds the certificate instead of answering
 * "unknown" as if it were forged. The type is upper-cased as issued, its letters never read as digits; numbers of the
 * earlier form are left as typed.
 */
export function normalizeCertificateNumber(typed: string): string {
  const number = typed.replace(/\s+/g, '');
  const match = TYPED_TAIL.exec(number);
  if (!match) return number;
  const tail = match[0].toUpperCase().replace(/[OIL]/g, (letter) => ALIASES[letter]!);
  return `${number.slice(0, match.index).toUpperCase()}${tail}`;
}

/**
 * Why a number in the current form cannot be one this platform issued (its check character does not match: a typing
 * slip), or null. Numbers in any other form, those issued before included, are not judged here: the lookup decides.
 */
export function certificateNumberProblem(certificateNo: string): string | null {
  const match = CURRENT_TAIL.exec(certificateNo);
  if (!match) return null;
  const serial = match[2]!.replaceAll('-', '');
  return checkCharacter(serial) === match[3] ? null : `certificate number ${certificateNo} is mistyped: its last character does not check; compare it with the certificate again`;
}
