/**
 * Verifies the platform's signed request before anything else happens: ES256 or RS256 only, the key named by kid
 * and its algorithm fixed by the key, audience = this department, issuer = the platform, a short lifetime
 * (<= 120 s) and a token id never seen before. The claims must then name case, service, legal basis, subject,
 * item and fields.
 */
import { claimsProblem, decodeUnverified, describeJwsFailure, verifyJwt, type KeySet } from '../jose/index.ts';
import { MAX_REQUEST_LIFETIME_SECONDS, REQUEST_KEY_PATTERN, type RequestClaims } from '../evidence/index.ts';
import type { ReplayCache } from './replay-cache/index.ts';

export interface RequestVerifierOptions {
  department: string;
  platformIssuer: string;
  keys: KeySet;
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

/** Longest unverified value recorded. Anyone who reaches the gateway chooses them; each refusal is a durable entry. */
export const UNVERIFIED_MAX_CHARS = 200;

/** A value as recorded: cut to `max` characters, marked where it was cut. */
export function clipped(value: unknown, max = UNVERIFIED_MAX_CHARS): string | null {
  const found = text(value);
  return found !== null && found.length > max ? `${found.slice(0, max - 1)}…` : found;
}

function unverifiedOf(token: string | null): Unverified {
  const decoded = token ? decodeUnverified(token) : null;
  const payload = decoded?.payload ?? {};
  const purpose = typeof payload.purpose === 'object' && payload.purpose !== null ? (payload.purpose as Record<string, unknown>) : {};
  return { issuer: clipped(payload.iss), keyId: clipped(decoded?.header.kid), requestId: clipped(payload.jti), caseId: clipped(purpose.caseId), dataItem: clipped(payload.dataItem) };
}

/** The request claims' shape problem, or null. */
function shapeProblem(p: Record<string, unknown>): string | null {
  const subject = p.subject as Record<string, unknown> | undefined;
  const purpose = p.purpose as Record<string, unknown> | undefined;
  if (!text(p.dataItem)) return 'the request names no data item';
  if (!subject || (subject.type !== 'person' && subject.type !== 'enterprise') || !text(subject.id)) return 'the request names no subject {type, id}';
  if (!Array.isArray(p.fields) || p.fields.length === 0 || p.fields.length > 100 || !p.fields.every((f) => typeof f === 'string')) return 'the request names no fields';
  if (!purpose || !text(purpose.caseId) || !text(purpose.serviceId) || !text(purpose.legalBasis)) return 'the request names no purpose {caseId, serviceId, legalBasis}';
  if (!text(p.requester)) return 'the request names no requesting department';
  if (p.rid !== undefined && (typeof p.rid !== 'string' || !REQUEST_KEY_PATTERN.test(p.rid))) return 'the request key (rid) must be 1-200 letters, digits or . _ : -';
  return null;
}

export function createRequestVerifier(options: RequestVerifierOptions) {
  return {
    async verify(authorization: string | undefined): Promise<Verification> {
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
      const token = match?.[1] ?? null;
      const unverified = unverifiedOf(token);
      const refuse = (reason: string, status: 400 | 401 = 401, verified = false): Verification => ({ ok: false, status, reason, unverified, verified });
      if (!token) return refuse('no bearer token');
      const verified = await verifyJwt(token, options.keys);
      if (!verified.ok) return refuse(describeJwsFailure(verified.failure));
      const payload = verified.payload;
      const problem = claimsProblem(payload, {
        issuer: options.platformIssuer,
        audience: options.department,
        nowSeconds: Math.floor(options.nowMs() / 1000),
        toleranceSeconds: options.clockToleranceSeconds,
        maxLifetimeSeconds: MAX_REQUEST_LIFETIME_SECONDS,
      });
      if (problem) return refuse(problem);
      const requestId = text(payload.jti);
      if (!requestId) return refuse('the token has no id (jti)');
      const shape = shapeProblem(payload);
      if (shape) return refuse(shape, 400, true);
      const expiresAtMs = (payload.exp as number) * 1000 + options.clockToleranceSeconds * 1000;
      if (!(await options.replays.firstUse(requestId, expiresAtMs, options.nowMs()))) return refuse('the token was used before');
      const claims = payload as unknown as RequestClaims;
      return {
        ok: true,
        requestId,
        issuer: options.platformIssuer,
        keyId: verified.kid ?? '',
        claims: {
          dataItem: claims.dataItem,
          subject: { type: claims.subject.type, id: claims.subject.id },
          fields: [...claims.fields],
          purpose: { caseId: claims.purpose.caseId, serviceId: claims.purpose.serviceId, legalBasis: claims.purpose.legalBasis },
          requester: claims.requester,
          ...(claims.rid !== undefined && { rid: claims.rid }),
        },
      };
    },
  };
}

export type RequestVerifier = ReturnType<typeof createRequestVerifier>;
