/**
 * The token format: standard `sub`, `iss`, `aud`, `exp`, `nbf`, `iat`, plus `kind` (principal kind) and the
 * kind's own claims: `subjectType` for citizens, `department` and `roles` for clerks, optional `name`.
 * Issuers outside this code base (a provincial identity platform) must produce exactly these claims.
 */
import { PRINCIPAL_KINDS, type Principal, type PrincipalKind, type SubjectType } from './principal.ts';
import { TokenError } from './token-error.ts';

export interface PrincipalClaims {
  sub: string;
  kind: PrincipalKind;
  subjectType?: SubjectType;
  department?: string;
  roles?: string[];
  name?: string;
}

const CITIZEN_ID = /^\d{17}[\dX]$/;
/** GB 32100 alphabet: digits and capitals without I, O, S, V, Z. */
const CREDIT_CODE = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;
const STAFF_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Same shape as the department codes in GATEWAY_URLS. */
export const DEPARTMENT_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;
export const CLERK_ROLE = /^[a-z][a-z0-9_-]{0,39}$/;

function optionalName(payload: Record<string, unknown>): { name?: string } {
  const name = payload.name;
  if (name === undefined) return {};
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
    throw new TokenError('token claim "name" must be a string of 1 to 100 characters');
  }
  return { name };
}

/** Checks shape only: the issuer is trusted for identity, but a malformed claim is a broken issuer, not a user. */
export function principalFromClaims(payload: Record<string, unknown>): Principal {
  const kind = payload.kind;
  if (typeof kind !== 'string' || !(PRINCIPAL_KINDS as readonly string[]).includes(kind)) {
    throw new TokenError(`token claim "kind" must be one of ${PRINCIPAL_KINDS.join(', ')}`);
  }
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '') throw new TokenError('token has no subject ("sub")');

  switch (kind as PrincipalKind) {
    case 'citizen': {
      const subjectType = payload.subjectType;
      if (subjectType !== 'person' && subjectType !== 'enterprise') {
        throw new TokenError('token claim "subjectType" must be "person" or "enterprise" for a citizen');
      }
      const valid = subjectType === 'person' ? CITIZEN_ID.test(sub) : CREDIT_CODE.test(sub);
      if (!valid) {
        throw new TokenError(
          subjectType === 'person'
            ? 'token subject must be an 18-character citizen ID for a person'
            : 'token subject must be an 18-character unified social credit code for an enterprise',
        );
      }
      return { kind: 'citizen', id: sub, subjectType, ...optionalName(payload) };
    }
    case 'clerk': {
      if (!STAFF_ID.test(sub)) throw new TokenError('token subject must be a staff id (letters, digits, - or _) for a clerk');
      const department = payload.department;
      if (typeof department !== 'string' || !DEPARTMENT_CODE.test(department)) {
        throw new TokenError('token claim "department" must be a department code such as PSB for a clerk');
      }
      const roles = payload.roles ?? [];
      if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string' && CLERK_ROLE.test(role))) {
        throw new TokenError('token claim "roles" must be a list of lowercase role names');
      }
      return { kind: 'clerk', id: sub, department, roles: [...new Set(roles as string[])], ...optionalName(payload) };
    }
    case 'department':
      if (!DEPARTMENT_CODE.test(sub)) throw new TokenError('token subject must be a department code such as PSB for a department system');
      return { kind: 'department', id: sub };
    case 'auditor':
    case 'admin':
      if (!STAFF_ID.test(sub)) throw new TokenError(`token subject must be a staff id (letters, digits, - or _) for an ${kind}`);
      return { kind: kind as 'auditor' | 'admin', id: sub, ...optionalName(payload) };
  }
}

export function claimsForPrincipal(principal: Principal): PrincipalClaims {
  switch (principal.kind) {
    case 'citizen':
      return { sub: principal.id, kind: 'citizen', subjectType: principal.subjectType, ...(principal.name ? { name: principal.name } : {}) };
    case 'clerk':
      return {
        sub: principal.id,
        kind: 'clerk',
        department: principal.department,
        roles: [...principal.roles],
        ...(principal.name ? { name: principal.name } : {}),
      };
    case 'department':
      return { sub: principal.id, kind: 'department' };
    default:
      return { sub: principal.id, kind: principal.kind, ...(principal.name ? { name: principal.name } : {}) };
  }
}
