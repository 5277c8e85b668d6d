/**
 * Bearer token verification through the JOSE module (adapters/jose). The algorithm is decided by the key, never by
 * the token: RS256 / ES256 tokens must name a configured key by `kid` and use that key's algorithm; HS256 is
 * accepted only when a shared secret is configured (development). `alg: none` and every other algorithm are
 * refused before any signature check. The reasons below are the API's wording of the module's failure codes.
 */
import { checkClaims, loadJwksFile, parseJwks, verifyJwt, type ClaimFailure, type JwsFailure, type VerificationKey } from '../../adapters/jose/index.ts';
import { principalFromClaims } from './claims.ts';
import type { Principal } from './principal.ts';
import { TokenError } from './token-error.ts';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** JWKS file with the accepted public keys (config.auth.keysFile). */
  keysFile?: string | null;
  /** Extra public keys, e.g. the development signer's, as a JWKS document. */
  jwks?: { keys: unknown[] } | null;
  /** HS256 only when set (config.auth.hs256Secret). */
  hs256Secret?: string | null;
  /** Allowed clock skew between issuer and server for exp / nbf; default 30 seconds. */
  clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  /** The principal the token names; rejects with TokenError and the reason when the token is refused. */
  verify(token: string): Promise<Principal>;
  /** Key ids currently accepted, for the readiness report. */
  keyIds(): string[];
  acceptsHs256(): boolean;
}

function signatureReason(failure: JwsFailure, acceptsHs256: boolean): string {
  switch (failure.code) {
    case 'malformed':
    case 'payload':
      return 'token is malformed';
    case 'algorithm':
      return `token algorithm "${failure.alg ?? 'missing'}" is not accepted; use ${acceptsHs256 ? 'RS256, ES256 or HS256' : 'RS256 or ES256'}`;
    case 'no-kid':
      return 'token header has no key id ("kid")';
    case 'unknown-kid':
      return `token key id "${failure.kid}" is not known`;
    case 'key-mismatch':
      return `token algorithm "${failure.alg}" does not match key "${failure.kid}", which is ${failure.keyAlg}`;
    case 'signature':
      return 'token signature is invalid';
  }
}

function claimReason(failure: ClaimFailure, issuer: string, audience: string): string {
  switch (failure.code) {
    case 'no-exp':
      // A token without expiry would stay valid forever once leaked.
      return 'token has no expiry ("exp")';
    case 'expired':
      return `token expired at ${new Date(failure.exp * 1000).toISOString()}`;
    case 'not-before':
      return typeof failure.nbf === 'number' ? `token is not valid before ${new Date(failure.nbf * 1000).toISOString()}` : 'token is invalid';
    case 'issuer':
      return `token issuer is not accepted; expected "${issuer}"`;
    case 'audience':
      return `token audience is not accepted; expected "${audience}"`;
    default:
      return 'token is invalid';
  }
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { issuer, audience } = options;
  const keys = new Map<string, VerificationKey>();
  const sources = [
    ...(options.keysFile ? loadJwksFile(options.keysFile) : []),
    ...(options.jwks ? parseJwks(options.jwks, 'development keys') : []),
  ];
  for (const entry of sources) {
    if (keys.has(entry.kid)) throw new Error(`JWT key id "${entry.kid}" is configured twice`);
    keys.set(entry.kid, entry);
  }
  const secret = options.hs256Secret ?? null;
  const secretBytes = secret === null ? null : new TextEncoder().encode(secret);
  const clockTolerance = options.clockToleranceSeconds ?? 30;

  /**
   * Signature checks were a fifth of a cheap request's CPU, and a client sends the same token on every request. A
   * token that verified once maps to its principal until it expires (checked on every use, with the same
   * tolerance); keys are loaded once per process, so nothing else can make a verified token invalid.
   */
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const CACHE_LIMIT = 10_000;

  return {
    async verify(token: string): Promise<Principal> {
      const hit = typeof token === 'string' ? verified.get(token) : undefined;
      if (hit) {
        if (Date.now() / 1000 < hit.expiresAt + clockTolerance) return hit.principal;
        verified.delete(token);
      }
      const result = await verifyJwt(token, keys, { hs256Secret: secretBytes });
      if (!result.ok) throw new TokenError(signatureReason(result.failure, secret !== null));
      const payload = result.payload;
      // Registered claims of the wrong type are invalid; a numeric iat is not checked (identity platforms' clocks
      // drift, and exp bounds the token anyway).
      if (['exp', 'nbf', 'iat'].some((name) => payload[name] !== undefined && typeof payload[name] !== 'number')) throw new TokenError('token is invalid');
      const failure = checkClaims({ ...payload, iat: undefined }, { issuer, audience, nowSeconds: Date.now() / 1000, toleranceSeconds: clockTolerance });
      if (failure) throw new TokenError(claimReason(failure, issuer, audience));
      const principal = principalFromClaims(payload);
      if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value as string);
      verified.set(token, { principal, expiresAt: payload.exp as number });
      return principal;
    },
    keyIds: () => [...keys.keys()],
    acceptsHs256: () => secret !== null,
  };
}
