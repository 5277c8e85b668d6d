/** The platform's side of request signing: one short-lived token per call, so no token is ever reused. */
import { randomUUID, type JsonWebKey } from 'node:crypto';
import { publicJwk, resolveSigningKey, signJwt, type AsymmetricAlgorithm, type KeyInput } from '../../jose/index.ts';
import type { EvidenceRequest } from '../../../domain/ports/evidence.ts';
import { loadOrCreateSigningKey, platformKeyFiles } from './key-files.ts';
import { DEFAULT_PLATFORM_ISSUER, MAX_REQUEST_LIFETIME_SECONDS, type RequestClaims } from './protocol.ts';

export interface PlatformRequestSignerOptions {
  privateKey: KeyInput;
  kid: string;
  issuer?: string;
  /** Token lifetime; at most 120 s, default 60 s. */
  ttlSeconds?: number;
  now?: () => number;
}

export interface SignedRequest {
  token: string;
  jti: string;
}

export interface PlatformRequestSigner {
  readonly issuer: string;
  readonly kid: string;
  readonly algorithm: AsymmetricAlgorithm;
  /** A token for one call to the department's gateway. */
  sign(request: EvidenceRequest, department: string): Promise<SignedRequest>;
  /** The public key as a JWKS document, for gateways to trust. */
  jwks(): { keys: JsonWebKey[] };
}

export function createPlatformRequestSigner(options: PlatformRequestSignerOptions): PlatformRequestSigner {
  const signing = resolveSigningKey({ kid: options.kid, privateKey: options.privateKey });
  const algorithm = signing.alg;
  const issuer = options.issuer ?? DEFAULT_PLATFORM_ISSUER;
  const ttl = options.ttlSeconds ?? 60;
  const now = options.now ?? Date.now;
  if (!(Number.isInteger(ttl) && ttl > 0 && ttl <= MAX_REQUEST_LIFETIME_SECONDS)) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to ${MAX_REQUEST_LIFETIME_SECONDS}, got ${ttl}`);
  }
  return {
    issuer,
    kid: options.kid,
    algorithm,
    async sign(request, department) {
      const jti = randomUUID();
      const iat = Math.floor(now() / 1000);
      const claims: RequestClaims = {
        dataItem: request.dataItem,
        subject: { type: request.subject.type, id: request.subject.id },
        fields: [...request.fields],
        purpose: { caseId: request.purpose.caseId, serviceId: request.purpose.serviceId, legalBasis: request.purpose.legalBasis },
        requester: request.requester,
        ...(request.requestKey !== undefined && { rid: request.requestKey }),
      };
      const token = await signJwt({ ...claims, iss: issuer, aud: department, iat, exp: iat + ttl, jti }, signing);
      return { token, jti };
    },
    jwks() {
      return { keys: [publicJwk(options.kid, signing.key)] };
    },
  };
}

/** The platform's signer with its key kept in <dataDir>/evidence (created on first use), its JWKS published beside it. */
export function createPersistentPlatformSigner(options: { dataDir: string; issuer?: string; ttlSeconds?: number }): PlatformRequestSigner {
  const key = loadOrCreateSigningKey(platformKeyFiles(options.dataDir), 'platform');
  return createPlatformRequestSigner({ privateKey: key.privateKey, kid: key.kid, issuer: options.issuer, ttlSeconds: options.ttlSeconds });
}
