/** The gateway's side of response signing: a JWT over the SHA-256 of the exact body bytes, bound to the request. */
import type { KeyObject } from 'node:crypto';
import { signJws } from '../evidence/http/jws.ts';
import { algorithmOf, toPrivateKey, type SigningKey } from '../evidence/http/keys.ts';
import { bodyDigest, type ResponseClaims } from '../evidence/http/protocol.ts';

export interface ResponseSigner {
  sign(body: string, requestId: string | null): string;
}

export function createResponseSigner(options: { department: string; platformIssuer: string; key: SigningKey; ttlSeconds?: number; now?: () => number }): ResponseSigner {
  const privateKey: KeyObject = toPrivateKey(options.key.privateKey);
  const algorithm = algorithmOf(privateKey);
  const now = options.now ?? Date.now;
  const ttl = options.ttlSeconds ?? 120;
  return {
    sign(body, requestId) {
      const iat = Math.floor(now() / 1000);
      const claims: ResponseClaims = { req: requestId ?? '', sha256: bodyDigest(body) };
      return signJws({ ...claims, iss: options.department, aud: options.platformIssuer, iat, exp: iat + ttl }, privateKey, algorithm, options.key.kid);
    },
  };
}
