/**
 * A PDF that carries its own signature, the way PAdES does it but with the platform's one JOSE module: the document
 * information dictionary holds the credential (base64url of its canonical JSON) and a fixed-size signature slot.
 * The PDF is rendered with the slot full of zeros; the digest is SHA-256 over every byte except the slot's content;
 * the issuer signs { credential, document: { sha256 } } with signJson (a detached JWS); the JWS is written into the
 * slot, padded with spaces, so no byte offset moves and the cross-reference table stays valid.
 *
 * Verification reverses it: find the one slot and the one credential, digest everything but the slot, and check the
 * JWS over the claim rebuilt from them. Changing any byte outside the slot (a name, a date, the QR code, the
 * credential, an appended incremental update) changes the digest; changing the slot breaks the signature.
 */
import { createHash } from 'node:crypto';
import { verifyJson, type KeySet } from '../jose/index.ts';
import type { CertificateCredential, SignedDocumentClaim } from '../../domain/certificates/certificate.ts';

export const SIGNATURE_SLOT = 1024;
const PLACEHOLDER = '0'.repeat(SIGNATURE_SLOT);
const CREDENTIAL_KEY = 'ErrandCredential';
const SIGNATURE_KEY = 'ErrandSignature';

/** Info entries to render the PDF with: the credential and an empty signature slot. */
export function sealPlaceholders(credential: CertificateCredential, canonical: (value: unknown) => string): Record<string, string> {
  return { [CREDENTIAL_KEY]: Buffer.from(canonical(credential)).toString('base64url'), [SIGNATURE_KEY]: PLACEHOLDER };
}

interface Located {
  /** Offset of the slot's first byte and its end (exclusive). */
  start: number;
  end: number;
  slot: string;
  credential: string;
}

/** The single value of an indirect string object named by `key` in the info dictionary, with its offsets. */
function indirectString(text: string, key: string, length?: number): { start: number; end: number; value: string } | string {
  const refs = [...text.matchAll(new RegExp(`/${key} (\\d+) 0 R`, 'g'))];
  if (refs.length !== 1) return refs.length === 0 ? `no ${key} entry: not a document signed by Errand` : `${key} appears ${refs.length} times: the PDF was changed after signing`;
  const objects = [...text.matchAll(new RegExp(`(?:^|\\n)${refs[0]![1]} 0 obj\\n\\(`, 'g'))];
  if (objects.length !== 1) return `the ${key} object is missing or repeated: the PDF was changed after signing`;
  const start = objects[0]!.index + objects[0]![0].length;
  const close = length === undefined ? text.indexOf(')', start) : start + length;
  if (close < 0 || text[close] !== ')') return `the ${key} value is malformed`;
  return { start, end: close, value: text.slice(start, close) };
}

function locate(bytes: Uint8Array): Located | string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return 'not a PDF';
  const slot = indirectString(text, SIGNATURE_KEY, SIGNATURE_SLOT);
  if (typeof slot === 'string') return slot;
  const credential = indirectString(text, CREDENTIAL_KEY);
  if (typeof credential === 'string') return credential;
  return { start: slot.start, end: slot.end, slot: slot.value, credential: credential.value };
}

function digestOutside(bytes: Uint8Array, start: number, end: number): string {
  return createHash('sha256').update(bytes.subarray(0, start)).update(bytes.subarray(end)).digest('hex');
}

/** Signs a PDF rendered with sealPlaceholders: `sign` gets the claim and returns a detached JWS (signJson). */
export async function sealPdf(bytes: Buffer, credential: CertificateCredential, sign: (claim: SignedDocumentClaim) => Promise<string>): Promise<Buffer> {
  const found = locate(bytes);
  if (typeof found === 'string') throw new Error(`cannot seal: ${found}`);
  if (found.slot !== PLACEHOLDER) throw new Error('cannot seal: the signature slot is not empty');
  const claim: SignedDocumentClaim = { credential, document: { mediaType: 'application/pdf', sha256: digestOutside(bytes, found.start, found.end) } };
  const jws = await sign(claim);
  if (jws.length > SIGNATURE_SLOT || !/^[A-Za-z0-9_.-]+$/.test(jws)) throw new Error(`cannot seal: a signature of ${jws.length} characters does not fit the ${SIGNATURE_SLOT}-character slot`);
  const sealed = Buffer.from(bytes);
  sealed.write(jws.padEnd(SIGNATURE_SLOT, ' '), found.start, 'latin1');
  return sealed;
}

export type SealedPdfVerification = { ok: true; claim: SignedDocumentClaim; kid: string } | { ok: false; reason: string };

/** Whether the bytes are a PDF sealed by a key of `keys`, unchanged since; with the credential it carries. */
export async function verifySealedPdf(bytes: Uint8Array, keys: KeySet): Promise<SealedPdfVerification> {
  const found = locate(bytes);
  if (typeof found === 'string') return { ok: false, reason: found };
  const jws = found.slot.trimEnd();
  if (jws === '' || jws === PLACEHOLDER) return { ok: false, reason: 'the document was never signed' };
  let credential: CertificateCredential;
  try {
    credential = JSON.parse(Buffer.from(found.credential, 'base64url').toString('utf8')) as CertificateCredential;
  } catch {
    return { ok: false, reason: 'the credential in the document is not readable' };
  }
  if (typeof credential !== 'object' || credential === null) return { ok: false, reason: 'the credential in the document is not readable' };
  const claim: SignedDocumentClaim = { credential, document: { mediaType: 'application/pdf', sha256: digestOutside(bytes, found.start, found.end) } };
  const verdict = await verifyJson(claim, jws, keys);
  if (!verdict.ok) return { ok: false, reason: verdict.failure.code === 'signature' ? 'the document was changed after it was signed, or was not signed by its issuer' : verdict.reason };
  return { ok: true, claim, kid: verdict.kid };
}
