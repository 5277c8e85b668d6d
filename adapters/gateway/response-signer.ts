/** The gateway's side of response signing: a JWT over the SHA-256 of the exact body bytes, bound to the request. */
import { resolveSigningKey, signJwt, type SigningKey } from '../jose/index.ts';
import { bodyDigest, type ResponseClaims } from '../evidence/index.ts';

export interface ResponseSigner {
  sign(body: string, requestId: string | null): Promise<string>;
}

export function createResponseSigner(options: { department: string; platformIssuer: string; key: SigningKey; ttlSeconds?: number; now?: () => number }): ResponseSigner {
  const signing = resolveSigningKey(options.key);
  const now = options.now ?? Date.now;
  const ttl = options.ttlSeconds ?? 120;
  return {
    async sign(body, requestId) {
      const iat = Math.floor(now() / 1000);
      const claims: ResponseClaims = { req: requestId ?? '', sha256: bodyDigest(body) };
      return signJwt({ ...claims, iss: options.department, aud: options.platformIssuer, iat, exp: iat + ttl }, signing);
    },
  };
}
