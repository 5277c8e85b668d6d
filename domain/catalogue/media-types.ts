/**
 * What files a material takes, and whether a file's content is what its sender says it is. The Content-Type header
 * is the sender's word: a renamed executable or an HTML page sent as "image/jpeg" would otherwise be stored and later
 * handed to a clerk, so the bytes' own signature (their first bytes) is checked against it.
 */
import type { Material } from './types.ts';

/**
 * What an applicant may upload in place of evidence the platform could not fetch (a scan or a photo of the paper
 * document) when the service's definition names no list for that material.
 */
export const DEFAULT_EVIDENCE_MEDIA_TYPES: readonly string[] = Object.freeze(['application/pdf', 'image/jpeg', 'image/png']);

/**
 * The media types a material accepts as an upload: its own list, or the default for evidence uploaded instead. Read
 * by their registered names, as a file sent is: a catalogue that lists image/jpg would otherwise refuse every JPEG,
 * whatever name it came under.
 */
export function acceptedMediaTypes(material: Material): readonly string[] {
  const listed = material.kind === 'upload' ? material.mediaTypes : (material.mediaTypes ?? DEFAULT_EVIDENCE_MEDIA_TYPES);
  return listed.some((type) => ALIASES.has(type)) ? [...new Set(listed.map(canonicalMediaType))] : listed;
}

/**
 * Names browsers and operating systems send for the same types (Windows sends application/x-zip-compressed for a
 * zip, old browsers image/pjpeg for a JPEG): read as the registered name, so a catalogue's list and the content check
 * see the type the file is, and a genuine file is not refused for its sender's spelling.
 */
// A Map, not an object: a header of "constructor" or "__proto__" must read as itself, not as Object's members.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['image/x-png', 'image/png'],
  ['application/x-pdf', 'application/pdf'],
  ['application/acrobat', 'application/pdf'],
  ['application/x-zip-compressed', 'application/zip'],
  ['application/x-zip', 'application/zip'],
]);

/** The registered name of a media type as sent (lower-cased, parameters dropped by the caller). */
export function canonicalMediaType(sent: string): string {
  return ALIASES.get(sent) ?? sent;
}

/** The registered media type a Content-Type header names: parameters dropped, lower-cased, an alias read as its type. */
export function mediaTypeOfHeader(header: string | undefined): string {
  return canonicalMediaType((header ?? '').split(';')[0]!.trim().toLowerCase());
}

type Signature = 'pdf' | 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'zip' | 'ole';

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Signatures in the order they are tried; none is a prefix of another. */
const SIGNATURES: ReadonlyArray<[Signature, (bytes: Uint8Array) => boolean]> = [
  ['pdf', (b) => startsWith(b, ascii('%PDF-'))],
  ['jpeg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['gif', (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))],
  ['webp', (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)],
  ['tiff', (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])],
  ['zip', (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04])],
  ['ole', (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
];

/** The signature each media type's content starts with. Office and OFD documents are zip (or, older, OLE) containers. */
const SIGNATURE_OF: Readonly<Record<string, Signature>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/tiff': 'tiff',
  'application/zip': 'zip',
  'application/ofd': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
  'application/vnd.oasis.opendocument.presentation': 'zip',
  'application/msword': 'ole',
  'application/vnd.ms-excel': 'ole',
  'application/vnd.ms-powerpoint': 'ole',
};

const READS_AS: Readonly<Record<Signature, string>> = {
  pdf: 'a PDF', jpeg: 'a JPEG image', png: 'a PNG image', gif: 'a GIF image', webp: 'a WebP image', tiff: 'a TIFF image',
  zip: 'a zip archive', ole: 'an old Office document',
};

/**
 * Why the content is not of the declared media type, or null when it is. A type with a known signature must start
 * with it; a type without one (a catalogue may name any) must at least not start with another type's signature.
 */
export function contentMismatch(declared: string, bytes: Uint8Array): string | null {
  const found = SIGNATURES.find(([, matches]) => matches(bytes))?.[0];
  const type = canonicalMediaType(declared);
  const expected = Object.hasOwn(SIGNATURE_OF, type) ? SIGNATURE_OF[type] : undefined;
  if (expected === undefined ? found === undefined : found === expected) return null;
  return `the file was sent as ${declared} but its content ${found ? `is ${READS_AS[found]}` : `does not start as ${declared} does`}`;
}
