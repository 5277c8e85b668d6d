/**
 * What a row's wrapped bytes hold once unwrapped: its key (32 bytes), or a case's records and evidence keys (64),
 * then, in a row marked `holds_subject`, the identity number of the data subject the keys were made for and one
 * byte giving its length. The subject is read back from the end, so the keys' length never depends on the row's
 * other columns: a row whose evidence half was shredded reads right even if a racing write left both keys in it.
 */
const KEY_BYTES = 32;
const MAX_SUBJECT_BYTES = 255;

export interface KeyPlaintext {
  keys: Buffer;
  subject: string | null;
}

/** The bytes to wrap; a subject too long to mark with one byte (none is) is not kept, and nothing refers to it. */
export function packKeys(keys: Buffer, subject: string | null): { plain: Buffer; holdsSubject: boolean } {
  const text = subject === null || subject === '' ? null : Buffer.from(subject, 'utf8');
  if (text === null || text.length > MAX_SUBJECT_BYTES) return { plain: keys, holdsSubject: false };
  return { plain: Buffer.concat([keys, text, Buffer.of(text.length)]), holdsSubject: true };
}

export function unpackKeys(plain: Buffer, holdsSubject: boolean): KeyPlaintext {
  if (!holdsSubject) return { keys: plain, subject: null };
  const length = plain.length > 0 ? plain[plain.length - 1]! : -1;
  const keysEnd = plain.length - 1 - length;
  // Anything else is a row written by hand or by a release that did not know the subject was there: never guess.
  if (length < 1 || (keysEnd !== KEY_BYTES && keysEnd !== 2 * KEY_BYTES)) throw new Error('the unwrapped bytes of a key that holds its subject do not parse');
  return { keys: plain.subarray(0, keysEnd), subject: plain.subarray(keysEnd, plain.length - 1).toString('utf8') };
}
