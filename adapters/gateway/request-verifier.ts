/**
 * Verifies the platform's signed request before anything else happens: ES256 or RS256 only, the key named by kid
 * and its algorithm fixed by the key, audience = this department, issuer = the platform, a short lifetime
 * (<= 120 s) and a token id never seen before. The claims must then name case, service, legal basis, subject,
 * item and fields.
 */
import jwt from 'jsonwebtoken';
import type { VerificationKey } from '../evidence/http/keys.ts';
import { MAX_REQUEST_LIFETIME_SECONDS, type RequestClaims } from '../evidence/http/protocol.ts';
import type { ReplayCache } from './replay-cache.ts';

export interface RequestVerifierOptions {
  department: string;
  platformIssuer: string;
  keys: Map<string, VerificationKey>;
  replays: ReplayCache;
  clockToleranceSeconds: number;
  nowMs: () => number;
}

/** What could be read from a token that was refused; never trusted, only recorded. */
export interface Unverified {
  issuer: string | null;
  keyId: string | null;
  requestId: string | null;
  caseId: string | null;
  dataItem: string | null;
}

export type Verification =
  | { ok: true; claims: RequestClaims; requestId: string; issuer: string; keyId: string }
  | { ok: false; status: 400 | 401; reason: string; unverified: Unverified; verified: boolean };

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function unverifiedOf(token: string | null): Unverified {
  const decoded = token ? jwt.decode(token, { complete: true }) : null;
  const payload = decoded && typeof decoded.payload === 'object' ? (decoded.payload as Record<string, unknown>) : {};
  const purpose = typeof payload.purpose === 'object' && payload.purpose !== null ? (payload.purpose as Record<string, unknown>) : {};
  return { issuer: text(payload.iss), keyId: text(decoded?.header.kid), requestId: text(payload.jti), caseId: text(purpose.caseId), dataItem: text(payload.dataItem) };
}

/** The claims' shape problem, or null. */
function claimsProblem(p: Record<string, unknown>): string | null {
  const subject = p.subject as Record<string, unknown> | undefined;
  const purpose = p.purpose as Record<string, unknown> | undefined;
  if (!text(p.dataItem)) return 'the request names no data item';
  if (!subject || (subject.type !== 'person' && subject.type !== 'enterprise') || !text(subject.id)) return 'the request names no subject {type, id}';
  if (!Array.isArray(p.fields) || p.fields.length === 0 || p.fields.length > 100 || !p.fields.every((f) => typeof f === 'string')) return 'the request names no fields';
  if (!purpose || !text(purpose.caseId) || !text(purpose.serviceId) || !text(purpose.legalBasis)) return 'the request names no purpose {caseId, serviceId, legalBasis}';
  if (!text(p.requester)) return 'the request names no requesting department';
  return null;
}

export function createRequestVerifier(options: RequestVerifierOptions) {
  return {
    verify(authorization: string | undefined): Verification {
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
      const token = match?.[1] ?? null;
      const unverified = unverifiedOf(token);
      const refuse = (reason: string, status: 400 | 401 = 401, verified = false): Verification => ({ ok: false, status, reason, unverified, verified });
      if (!token) return refuse('no bearer token');
      const header = jwt.decode(token, { complete: true })?.header;
      if (!header) return refuse('the token is malformed');
      if (header.alg !== 'ES256' && header.alg !== 'RS256') return refuse(`token algorithm "${String(header.alg)}" is not accepted; use ES256 or RS256`);
      if (typeof header.kid !== 'string') return refuse('the token names no key (kid)');
      const key = options.keys.get(header.kid);
      if (!key) return refuse(`the token is signed with unknown key "${header.kid}"`);
      if (key.alg !== header.alg) return refuse(`key "${key.kid}" is ${key.alg}, the token says ${header.alg}`);
      let payload: jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key.key, {
          algorithms: [key.alg],
          audience: options.department,
          issuer: options.platformIssuer,
          clockTolerance: options.clockToleranceSeconds,
          clockTimestamp: Math.floor(options.nowMs() / 1000),
        }) as jwt.JwtPayload;
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) return refuse('the token has expired');
        const message = error instanceof Error ? error.message : '';
        if (message.startsWith('jwt audience invalid')) return refuse(`the token is not addressed to ${options.department}`);
        if (message.startsWith('jwt issuer invalid')) return refuse('the token is not issued by the platform');
        if (message === 'invalid signature') return refuse('the token signature is invalid');
        return refuse('the token is invalid');
      }
      if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return refuse('the token needs iat and exp');
      if (payload.exp - payload.iat > MAX_REQUEST_LIFETIME_SECONDS) return refuse(`the token lives longer than ${MAX_REQUEST_LIFETIME_SECONDS} s`);
      if (payload.iat * 1000 > options.nowMs() + options.clockToleranceSeconds * 1000) return refuse('the token is issued in the future');
      const requestId = text(payload.jti);
      if (!requestId) return refuse('the token has no id (jti)');
      const problem = claimsProblem(payload as Record<string, unknown>);
      if (problem) return refuse(problem, 400, true);
      if (!options.replays.firstUse(requestId, payload.exp * 1000 + options.clockToleranceSeconds * 1000, options.nowMs())) return refuse('the token was used before');
      const claims = payload as unknown as RequestClaims;
      return {
        ok: true,
        requestId,
        issuer: options.platformIssuer,
        keyId: key.kid,
        claims: {
          dataItem: claims.dataItem,
          subject: { type: claims.subject.type, id: claims.subject.id },
          fields: [...claims.fields],
          purpose: { caseId: claims.purpose.caseId, serviceId: claims.purpose.serviceId, legalBasis: claims.purpose.legalBasis },
          requester: claims.requester,
        },
      };
    },
  };
}

export type RequestVerifier = ReturnType<typeof createRequestVerifier>;
