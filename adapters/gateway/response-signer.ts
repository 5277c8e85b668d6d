/** The gateway's side of response signing: a JWT over the SHA-256 of the exact body bytes, bound to the request. */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { algorithmOf, toPrivateKey, type SigningKey } from '../evidence/http/keys.ts';
import { bodyDigest, type ResponseClaims } from '../evidence/http/protocol.ts';

export interface ResponseSigner {
  sign(body: string, requestId: string | null): string;
}

export function createResponseSigner(options: { department: string; platformIssuer: string; key: SigningKey; ttlSeconds?: number }): ResponseSigner {
  const privateKey: KeyObject = toPrivateKey(options.key.privateKey);
  const algorithm = algorithmOf(privateKey);
  return {
    sign(body, requestId) {
      const claims: ResponseClaims = { req: requestId ?? '', sha256: bodyDigest(body) };
      return jwt.sign(claims, privateKey, {
        algorithm,
        keyid: options.key.kid,
        issuer: options.department,
        audience: options.platformIssuer,
        expiresIn: options.ttlSeconds ?? 120,
      });
    },
  };
}
