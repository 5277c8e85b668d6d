/**
 * Authentication runs once, early, for every request: it records who is calling (or why the token was refused)
 * without refusing anything itself. Refusal is the route's decision, because public routes must work whatever a
 * client sends; and the rate limiter, which runs before routes, can already count per principal.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { forbidden, unauthorized, type HttpProblem } from '../http/index.ts';
import { contextOf } from '../http/index.ts';
import { hasRole, type Principal, type Role } from './principal.ts';
import { TokenError } from './token-error.ts';
import type { TokenVerifier } from './verifier.ts';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i;

/**
 * `principals`: what the deployment knows about a verified caller beyond the token (the administrator's record of
 * a clerk's duties); it returns the principal to use.
 */
export function authenticate(verifier: TokenVerifier | null, principals?: (principal: Principal) => Promise<Principal>): RequestHandler {
  return async (req, _res, next) => {
    const context = contextOf(req);
    const header = req.get('Authorization');
    if (header === undefined) return next();
    const match = BEARER.exec(header.trim());
    if (!match) {
      context.authError = unauthorized('the Authorization header must be "Bearer <token>"', 'invalid_request');
      return next();
    }
    if (!verifier) {
      context.authError = unauthorized('no token keys are configured, so no token can be accepted', 'invalid_token');
      return next();
    }
    try {
      const verified = await verifier.verify(match[1]!);
      context.principal = principals ? await principals(verified) : verified;
    } catch (error) {
      if (!(error instanceof TokenError)) return next(error);
      context.authError = unauthorized(error.reason, 'invalid_token');
    }
    next();
  };
}

function describe(principal: Principal): string {
  if (principal.kind === 'clerk') {
    return principal.roles.length > 0 ? `a clerk with roles ${principal.roles.join(', ')}` : 'a clerk without roles';
  }
  return principal.kind === 'admin' || principal.kind === 'auditor' ? `an ${principal.kind}` : `a ${principal.kind}`;
}

/** The principal when it holds one of the roles; otherwise the 401 or 403 problem to answer with. */
export function authorize(req: IncomingMessage, roles: readonly Role[]): Principal | HttpProblem {
  const context = contextOf(req);
  if (context.authError) return context.authError;
  const principal = context.principal;
  if (!principal) return unauthorized('this operation needs a bearer token');
  if (!hasRole(principal, roles)) {
    return forbidden(`this operation needs one of the roles ${roles.join(', ')}; the token is for ${describe(principal)}`, {
      extensions: { requiredRoles: [...roles] },
    });
  }
  return principal;
}
