/**
 * Authentication and authorisation: bearer JWT verification (RS256 / ES256 by kid, HS256 only when configured),
 * the principal model and its Actor, development keys and sign-in.
 */
export { toActor, hasRole, isRole, principalKindOf, PRINCIPAL_KINDS } from './principal.ts';
export type {
  AdminPrincipal,
  AuditorPrincipal,
  CitizenPrincipal,
  ClerkPrincipal,
  DepartmentPrincipal,
  Principal,
  PrincipalKind,
  Role,
  SubjectType,
} from './principal.ts';
export { claimsForPrincipal, principalFromClaims } from './claims.ts';
export type { PrincipalClaims } from './claims.ts';
export { createTokenVerifier } from './verifier.ts';
export type { TokenVerifier, TokenVerifierOptions } from './verifier.ts';
export { TokenError } from './token-error.ts';
export { loadJwksFile, parseJwks } from '../../adapters/jose/index.ts';
export type { VerificationKey } from '../../adapters/jose/index.ts';
export { authenticate, authorize } from './authenticate.ts';
export { hs256Signer, signToken, signerFromPrivateKey } from './sign.ts';
export type { SignOptions, Signer, SignerIdentity } from './sign.ts';
export { DEV_JWKS_FILE, DEV_PRIVATE_KEY_FILE, devKeysDir, ensureDevKeys, jwksOf } from './dev-keys.ts';
export { devSignInRoutes } from './dev-sign-in.ts';
export type { DevSignInOptions, DevUser } from './dev-sign-in.ts';
export { jwkThumbprint } from '../../adapters/jose/index.ts';
