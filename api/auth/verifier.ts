/**
 * Bearer token verification. The algorithm is decided by the key, never by the token: RS256 / ES256 tokens must
 * name a configured key by `kid` and use that key's algorithm; HS256 is accepted only when a shared secret is
 * configured (development). `alg: none` and every other algorithm are refused before any signature check.
 */
import jwt from 'jsonwebtoken';
import { principalFromClaims } from './claims.ts';
import { loadJwksFile, parseJwks, type VerificationKey } from './jwks.ts';
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
  /** The principal the token names; throws TokenError with the reason when the token is refused. */
  verify(token: string): Principal;
  /** Key ids currently accepted, for the readiness report. */
  keyIds(): string[];
  acceptsHs256(): boolean;
}

function reasonOf(error: unknown, issuer: string, audience: string): string {
  if (error instanceof jwt.TokenExpiredError) return `token expired at ${error.expiredAt.toISOString()}`;
  if (error instanceof jwt.NotBeforeError) return `token is not valid before ${error.date.toISOString()}`;
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt issuer invalid')) return `token issuer is not accepted; expected "${issuer}"`;
  if (message.startsWith('jwt audience invalid')) return `token audience is not accepted; expected "${audience}"`;
  if (message === 'invalid signature') return 'token signature is invalid';
  if (message === 'jwt malformed' || message === 'invalid token') return 'token is malformed';
  return 'token is invalid';
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
  const clockTolerance = options.clockToleranceSeconds ?? 30;

  function select(header: jwt.JwtHeader): { key: jwt.Secret | jwt.PublicKey; algorithm: jwt.Algorithm } {
    const alg = header.alg as string | undefined;
    if (alg === 'HS256') {
      if (secret === null) throw new TokenError('token algorithm "HS256" is not accepted; use RS256 or ES256');
      return { key: secret, algorithm: 'HS256' };
    }
    if (alg === 'RS256' || alg === 'ES256') {
      if (typeof header.kid !== 'string' || header.kid === '') throw new TokenError('token header has no key id ("kid")');
      const entry = keys.get(header.kid);
      if (!entry) throw new TokenError(`token key id "${header.kid}" is not known`);
      if (entry.alg !== alg) throw new TokenError(`token algorithm "${alg}" does not match key "${entry.kid}", which is ${entry.alg}`);
      return { key: entry.key, algorithm: alg };
    }
    const accepted = secret === null ? 'RS256 or ES256' : 'RS256, ES256 or HS256';
    throw new TokenError(`token algorithm "${alg ?? 'missing'}" is not accepted; use ${accepted}`);
  }

  /**
   * Signature checks were a fifth of a cheap request's CPU, and a client sends the same token on every request. A
   * token that verified once maps to its principal until it expires (checked on every use, with the same
   * tolerance); keys are loaded once per process, so nothing else can make a verified token invalid.
   */
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const CACHE_LIMIT = 10_000;

  return {
    verify(token: string): Principal {
      const hit = typeof token === 'string' ? verified.get(token) : undefined;
      if (hit) {
        if (Date.now() / 1000 < hit.expiresAt + clockTolerance) return hit.principal;
        verified.delete(token);
      }
      if (typeof token !== 'string' || token.split('.').length !== 3) throw new TokenError('token is malformed');
      let decoded: jwt.Jwt | null;
      try {
        decoded = jwt.decode(token, { complete: true });
      } catch {
        decoded = null;
      }
      if (!decoded || typeof decoded.payload !== 'object') throw new TokenError('token is malformed');
      const { key, algorithm } = select(decoded.header);
      let payload: jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key, { algorithms: [algorithm], issuer, audience, clockTolerance }) as jwt.JwtPayload;
      } catch (error) {
        throw new TokenError(reasonOf(error, issuer, audience));
      }
      // A token without expiry would stay valid forever once leaked.
      if (typeof payload.exp !== 'number') throw new TokenError('token has no expiry ("exp")');
      const principal = principalFromClaims(payload as Record<string, unknown>);
      if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value as string);
      verified.set(token, { principal, expiresAt: payload.exp });
      return principal;
    },
    keyIds: () => [...keys.keys()],
    acceptsHs256: () => secret !== null,
  };
}
