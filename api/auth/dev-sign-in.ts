/**
 * Development sign-in: pick a demo user, get a token signed with the development key. It exists so the pages and
 * demos work without an identity platform; createHttpApp mounts it only when AUTH_DEV_SIGNIN is on.
 */
import { claimsForPrincipal } from './claims.ts';
import { notFound } from '../http/index.ts';
import { defineRoute, type AnyRouteDefinition } from '../http/index.ts';
import type { Principal } from './principal.ts';
import { signToken, type Signer, type SignOptions } from './sign.ts';

export interface DevUser {
  /** Stable handle used to sign in, e.g. 'clerk-psb-reviewer'. */
  userId: string;
  /** What the sign-in page shows. */
  label: string;
  principal: Principal;
}

export interface DevSignInOptions {
  users: readonly DevUser[];
  signer: Signer;
  expiresIn?: SignOptions['expiresIn'];
}

const principalSchema = {
  type: 'object',
  required: ['kind', 'id'],
  properties: {
    kind: { enum: ['citizen', 'clerk', 'department', 'auditor', 'admin'] },
    id: { type: 'string' },
    subjectType: { enum: ['person', 'enterprise'] },
    department: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    name: { type: 'string' },
  },
};

export function devSignInRoutes(options: DevSignInOptions): AnyRouteDefinition[] {
  const byId = new Map(options.users.map((user) => [user.userId, user]));
  const expiresIn = options.expiresIn ?? '8h';

  const listUsers = defineRoute({
    method: 'get',
    path: '/dev/users',
    summary: 'Demo users for development sign-in',
    description: 'Development only: absent unless AUTH_DEV_SIGNIN is on.',
    tags: ['development'],
    auth: 'public',
    responses: {
      200: {
        description: 'The demo users',
        schema: {
          type: 'object',
          required: ['users'],
          properties: {
            users: {
              type: 'array',
              items: { type: 'object', required: ['userId', 'label', 'principal'], properties: { userId: { type: 'string' }, label: { type: 'string' }, principal: principalSchema } },
            },
          },
        },
      },
    },
    handler: () => ({ status: 200, body: { users: options.users.map(({ userId, label, principal }) => ({ userId, label, principal })) } }),
  });

  const signIn = defineRoute<Record<string, string>, Record<string, unknown>, { userId: string }>({
    method: 'post',
    path: '/dev/sign-in',
    summary: 'Sign in as a demo user',
    description: 'Development only: absent unless AUTH_DEV_SIGNIN is on.',
    tags: ['development'],
    auth: 'public',
    body: { type: 'object', required: ['userId'], properties: { userId: { type: 'string', minLength: 1, maxLength: 100 } } },
    responses: {
      200: {
        description: 'A bearer token for the user',
        schema: {
          type: 'object',
          required: ['token', 'principal', 'expiresAt'],
          properties: { token: { type: 'string' }, principal: principalSchema, expiresAt: { type: 'string', format: 'date-time' } },
        },
      },
      404: { description: 'No demo user with that id' },
    },
    handler: (ctx) => {
      const user = byId.get(ctx.body.userId);
      if (!user) throw notFound(`there is no demo user "${ctx.body.userId}"; GET /api/v1/dev/users lists them`);
      const token = signToken(options.signer, { ...claimsForPrincipal(user.principal) }, { expiresIn });
      const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
      return { status: 200, body: { token, principal: user.principal, expiresAt: new Date(exp * 1000).toISOString() } };
    },
  });

  return [listUsers, signIn];
}
