/**
 * Registered claims (RFC 7519 section 4.1) checked the same way for every token the platform accepts: exp is
 * always required, nbf and iat may not lie in the future, iss must match, aud must include the audience, and a
 * maximum lifetime (exp - iat) can be imposed. A failure is a code so each caller words it for its audience.
 */

export interface ClaimRules {
  issuer: string;
  audience: string;
  nowSeconds: number;
  toleranceSeconds: number;
  /** exp - iat may not exceed this; iat and exp are then both required. */
  maxLifetimeSeconds?: number;
}

export type ClaimFailure =
  | { code: 'no-exp' }
  | { code: 'expired'; exp: number }
  | { code: 'not-before'; nbf: unknown }
  | { code: 'issued-in-future' }
  | { code: 'issuer' }
  | { code: 'audience' }
  | { code: 'no-iat' }
  | { code: 'lifetime'; maxLifetimeSeconds: number };

export function checkClaims(payload: Record<string, unknown>, rules: ClaimRules): ClaimFailure | null {
  const { exp, nbf, iat, iss, aud } = payload;
  if (typeof exp !== 'number') return { code: 'no-exp' };
  // RFC 7519 4.1.4: valid only before exp.
  if (rules.nowSeconds >= exp + rules.toleranceSeconds) return { code: 'expired', exp };
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > rules.nowSeconds + rules.toleranceSeconds)) return { code: 'not-before', nbf };
  if (iat !== undefined && (typeof iat !== 'number' || iat > rules.nowSeconds + rules.toleranceSeconds)) return { code: 'issued-in-future' };
  if (iss !== rules.issuer) return { code: 'issuer' };
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(rules.audience)) return { code: 'audience' };
  if (rules.maxLifetimeSeconds !== undefined) {
    if (typeof iat !== 'number') return { code: 'no-iat' };
    if (exp - iat > rules.maxLifetimeSeconds) return { code: 'lifetime', maxLifetimeSeconds: rules.maxLifetimeSeconds };
  }
  return null;
}

/** The exchange's wording (gateway requests, responses and auditor tokens). */
export function describeClaimFailure(failure: ClaimFailure, rules: ClaimRules): string {
  switch (failure.code) {
    case 'no-exp':
      return 'the token has no expiry (exp)';
    case 'expired':
      return 'the token has expired';
    case 'not-before':
      return 'the token is not valid yet';
    case 'issued-in-future':
      return 'the token is issued in the future';
    case 'issuer':
      return `the token is not issued by ${rules.issuer}`;
    case 'audience':
      return `the token is not addressed to ${rules.audience}`;
    case 'no-iat':
      return 'the token needs iat and exp';
    case 'lifetime':
      return `the token lives longer than ${failure.maxLifetimeSeconds} s`;
  }
}

/** null when the claims hold; otherwise the exchange's reason. */
export function claimsProblem(payload: Record<string, unknown>, rules: ClaimRules): string | null {
  const failure = checkClaims(payload, rules);
  return failure ? describeClaimFailure(failure, rules) : null;
}
