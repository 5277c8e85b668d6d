/**
 * The one JOSE module: every signature the platform makes or checks goes through here, on the maintained `jose`
 * package. API bearer tokens (api/auth/verifier.ts), the evidence exchange's request, response and auditor tokens
 * (adapters/evidence/http, adapters/gateway) and signed JSON documents (signJson / verifyJson over RFC 8785
 * canonical JSON, for certificates) share one key model and one allow-list: the key's type fixes its algorithm
 * (EC P-256 -> ES256, RSA >= 2048 -> RS256), "none" and any other algorithm are refused, HS256 only where a caller
 * passes a development secret, keys are named by kid so several can be trusted at once (rotation), and a set of
 * trusted public keys with private members is refused rather than silently trimmed.
 *
 * `jsonwebtoken` (which the design card requires) stays for one job: minting API tokens in development sign-in,
 * scripts/mint-token.ts and tests (api/auth/sign.ts). Minting there is synchronous and takes durations like '8h',
 * which is what those callers want, and tokens it makes are verified here, so the two libraries cross-check each
 * other in the suites. Nothing that decides whether to trust a token uses it.
 */
export { algorithmOf, generateSigningKey, parseJwks, publicJwk, publicKeySet, resolveSigningKey, toPrivateKey, toPublicKey } from './keys.ts';
export type { AsymmetricAlgorithm, KeyInput, KeySet, PublicKeySetInput, ResolvedSigningKey, SigningKey, VerificationKey } from './keys.ts';
export { decodeUnverified, describeJwsFailure, signJwt, verifyJwt } from './jwt.ts';
export type { JwsFailure, JwsVerification, JwtVerifyOptions } from './jwt.ts';
export { checkClaims, claimsProblem, describeClaimFailure } from './claims.ts';
export type { ClaimFailure, ClaimRules } from './claims.ts';
export { signJson, verifyJson } from './json-signature.ts';
export type { JsonVerification } from './json-signature.ts';
export { loadJwksFile, loadOrCreateSigningKey, readJwksFile, signingKeyId } from './key-files.ts';
export { createRefreshingKeySet, fixedKeySource, KeysUnavailableError } from './refreshing-key-set.ts';
export type { KeySource, RefreshingKeySetOptions } from './refreshing-key-set.ts';
export type { KeyFiles } from './key-files.ts';
export { jwkThumbprint } from './thumbprint.ts';
