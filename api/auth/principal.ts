/**
 * Who is calling. A principal exists only for the length of a request; what reaches the event log is its Actor,
 * so the audit trail names every caller the same way whichever token format brought them in.
 */
import type { Actor } from '../../domain/events/index.ts';

export type PrincipalKind = 'citizen' | 'clerk' | 'department' | 'auditor' | 'admin';
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['citizen', 'clerk', 'department', 'auditor', 'admin'];

export type SubjectType = 'person' | 'enterprise';

export interface CitizenPrincipal {
  kind: 'citizen';
  /** Citizen ID for a person, unified social credit code for an enterprise. Personal data: never log it. */
  id: string;
  subjectType: SubjectType;
  name?: string;
}

export interface ClerkPrincipal {
  kind: 'clerk';
  /** Staff id. */
  id: string;
  department: string;
  /** Department-level duties such as `reviewer` or `approver`; routes ask for them as `clerk:<role>`. */
  roles: string[];
  name?: string;
}

export interface DepartmentPrincipal {
  kind: 'department';
  /** Department code: the system answering data requests for that department. */
  id: string;
}

export interface AuditorPrincipal {
  kind: 'auditor';
  id: string;
  name?: string;
}

export interface AdminPrincipal {
  kind: 'admin';
  id: string;
  name?: string;
}

export type Principal = CitizenPrincipal | ClerkPrincipal | DepartmentPrincipal | AuditorPrincipal | AdminPrincipal;

/** A principal kind, or `clerk:<role>` for a clerk holding that role. */
export type Role = PrincipalKind | `clerk:${string}`;

export function isRole(value: string): value is Role {
  return (PRINCIPAL_KINDS as readonly string[]).includes(value) || /^clerk:[a-z][a-z0-9_-]{0,39}$/.test(value);
}

/** True when the principal satisfies any one of the roles. */
export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((role) => {
    if (role === principal.kind) return true;
    if (principal.kind === 'clerk' && role.startsWith('clerk:')) return principal.roles.includes(role.slice('clerk:'.length));
    return false;
  });
}

/** How the principal is named in the audit trail of the events its commands cause. */
export function toActor(principal: Principal): Actor {
  switch (principal.kind) {
    case 'clerk':
      return { kind: 'clerk', id: principal.id, department: principal.department, roles: [...principal.roles] };
    case 'department':
      return { kind: 'department', id: principal.id, department: principal.id };
    default:
      return { kind: principal.kind, id: principal.id };
  }
}

/** What may be logged about a principal: its kind and nothing else. */
export function principalKindOf(principal: Principal | null | undefined): PrincipalKind | 'anonymous' {
  return principal ? principal.kind : 'anonymous';
}
