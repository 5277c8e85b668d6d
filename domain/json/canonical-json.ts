import { createRequire } from 'node:module';

// The package is CommonJS with a default-export typing that ESM resolution cannot call; load it as what it is.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

/**
 * The one canonical JSON of the project: RFC 8785 (JSON Canonicalization Scheme) through the maintained
 * `canonicalize` package. Every hash and signature (evidence content hashes, the log's hash links, signed heads,
 * gateway messages, certificates) is taken over these bytes, so anyone holding the fields can recompute it.
 *
 * Object members whose value is `undefined` are left out, exactly as JSON.stringify (and so every store) leaves
 * them out: a hash taken before storing must equal the one recomputed from what was stored. Values JSON cannot
 * carry (NaN, Infinity, bigint) are refused rather than coerced, since a hash over them would never verify.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('canonical JSON has no form for undefined');
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  return text;
}
