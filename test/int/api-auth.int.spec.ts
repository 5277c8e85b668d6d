import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEV_JWKS_FILE,
  devKeysDir,
  ensureDevKeys,
  hs256Signer,
  jwksOf,
  signToken,
  signerFromPrivateKey,
  type DevUser,
  type Signer,
} from '../../api/auth/index.ts';
import { defineRoute, tokenVerifierFromConfig, type AnyRouteDefinition } from '../../api/http/index.ts';
import { startTestApp, testConfig, type TestApp } from '../../api/http/index.ts';

const IDENTITY = { issuer: 'errand', audience: 'errand-api' };
const HS_SECRET = 'a-development-secret-of-at-least-32-characters';
const CLERK = { sub: 'C001', kind: 'clerk', department: 'PSB', roles: ['reviewer'] };

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Hand-made tokens: libraries refuse to produce the attacks the verifier must refuse. */
function craft(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${sign(input)}`;
}

const now = () => Math.floor(Date.now() / 1000);

function routes(): AnyRouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/whoami',
      summary: 'Who is calling',
      tags: ['test'],
      auth: ['citizen', 'clerk', 'department', 'auditor', 'admin'],
      responses: { 200: { description: 'The principal and its actor' } },
      handler: (ctx) => ({ status: 200, body: { principal: ctx.principal, actor: ctx.actor() } }),
    }),
    defineRoute({
      method: 'get',
      path: '/reviews',
      summary: 'Reviewers only',
      tags: ['test'],
      auth: ['clerk:reviewer'],
      responses: { 200: { description: 'ok' } },
      handler: () => ({ status: 200, body: { ok: true } }),
    }),
  ];
}

function pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: key.type === 'public' ? 'spki' : 'pkcs8' }).toString();
}

describe('JWT authentication over real HTTP (api-auth)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'errand-auth-'));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ecOld = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecNew = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaSigner = signerFromPrivateKey(rsa.privateKey, IDENTITY, 'rsa-1');
  const oldSigner = signerFromPrivateKey(ecOld.privateKey, IDENTITY, 'ec-2025');
  const newSigner = signerFromPrivateKey(ecNew.privateKey, IDENTITY, 'ec-2026');
  const keysFile = join(dir, 'jwks.json');
  writeFileSync(keysFile, JSON.stringify(jwksOf(rsaSigner, oldSigner, newSigner)));

  let app: TestApp;
  let hsApp: TestApp;
  before(async () => {
    app = await startTestApp({ config: testConfig({ JWT_KEYS_FILE: keysFile }), routes: (api) => api.add(...routes()) });
    hsApp = await startTestApp({
      config: testConfig({ JWT_KEYS_FILE: keysFile, AUTH_HS256_SECRET: HS_SECRET }),
      routes: (api) => api.add(...routes()),
    });
  });
  after(async () => {
    await app.close();
    await hsApp.close();
  });

  async function call(target: TestApp, token: string, path = '/api/v1/whoami') {
    const response = await fetch(`${target.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { response, body: (await response.json()) as Record<string, unknown> };
  }

  async function expectRefused(target: TestApp, token: string, reason: RegExp) {
    const { response, body } = await call(target, token);
    expect(response.status).to.equal(401);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(body.detail).to.match(reason);
    expect(response.headers.get('www-authenticate')).to.match(/^Bearer realm="errand", error="invalid_token", error_description="/);
  }

  it('accepts an RS256 token and maps the principal to the domain actor', async () => {
    const { response, body } = await call(app, signToken(rsaSigner, CLERK));
    expect(response.status).to.equal(200);
    expect(body.principal).to.deep.equal({ kind: 'clerk', id: 'C001', department: 'PSB', roles: ['reviewer'] });
    expect(body.actor).to.deep.equal({ kind: 'clerk', id: 'C001', department: 'PSB', roles: ['reviewer'] });
  });

  it('accepts ES256 tokens from both keys of a rotation', async () => {
    for (const signer of [oldSigner, newSigner]) {
      const { response, body } = await call(app, signToken(signer, { sub: 'PSB', kind: 'department' }));
      expect(response.status).to.equal(200);
      expect(body.actor).to.deep.equal({ kind: 'department', id: 'PSB', department: 'PSB' });
    }
  });

  it('refuses a token whose kid is not configured', async () => {
    const stranger = signerFromPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, IDENTITY, 'ec-unknown');
    await expectRefused(app, signToken(stranger, CLERK), /key id "ec-unknown" is not known/);
  });

  it('refuses alg none', async () => {
    const token = craft({ alg: 'none', typ: 'JWT' }, { ...CLERK, iss: 'errand', aud: 'errand-api', exp: now() + 600 }, () => '');
    await expectRefused(app, token, /algorithm "none" is not accepted/);
  });

  it('refuses algorithm confusion: HS256 keyed with the RSA public key, with or without HS256 enabled', async () => {
    const publicPem = pem(rsa.publicKey);
    const token = craft({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' }, { ...CLERK, iss: 'errand', aud: 'errand-api', exp: now() + 600 }, (input) =>
      createHmac('sha256', publicPem).update(input).digest('base64url'),
    );
    await expectRefused(app, token, /algorithm "HS256" is not accepted/);
    await expectRefused(hsApp, token, /signature is invalid/);
  });

  it('refuses a token signed by one key but naming another key of a different type', async () => {
    const token = signToken({ ...oldSigner, kid: 'rsa-1' }, CLERK);
    await expectRefused(app, token, /does not match key "rsa-1"/);
  });

  it('refuses a token signed by another key than the one its kid names', async () => {
    await expectRefused(app, signToken({ ...oldSigner, kid: 'ec-2026' }, CLERK), /signature is invalid/);
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    await expectRefused(app, signToken(newSigner, { ...CLERK, exp: now() - 3600 }), /token expired at \d{4}-/);
    await expectRefused(app, signToken(newSigner, { ...CLERK, nbf: now() + 3600 }), /not valid before \d{4}-/);
  });

  it('refuses a wrong issuer or audience, naming the expected one', async () => {
    await expectRefused(app, signToken(newSigner, { ...CLERK, iss: 'someone-else' }), /issuer is not accepted; expected "errand"/);
    await expectRefused(app, signToken(newSigner, { ...CLERK, aud: 'another-api' }), /audience is not accepted; expected "errand-api"/);
  });

  it('refuses tokens with malformed claims', async () => {
    await expectRefused(app, signToken(newSigner, { sub: 'C001', kind: 'clerk' }), /"department" must be a department code/);
    await expectRefused(app, signToken(newSigner, { sub: '123', kind: 'citizen', subjectType: 'person' }), /18-character citizen ID/);
    await expectRefused(app, signToken(newSigner, { sub: 'x', kind: 'wizard' }), /"kind" must be one of/);
  });

  it('accepts HS256 only when a secret is configured', async () => {
    const token = signToken(hs256Signer(HS_SECRET, IDENTITY), { sub: 'A1', kind: 'auditor' });
    expect((await call(hsApp, token)).response.status).to.equal(200);
    await expectRefused(app, token, /algorithm "HS256" is not accepted/);
  });

  it('answers 403 when the principal lacks the role, 200 when it holds it', async () => {
    const citizen = signToken(newSigner, { sub: '11010519491231002X', kind: 'citizen', subjectType: 'person' });
    const plainClerk = signToken(newSigner, { ...CLERK, roles: [] });
    for (const [token, who] of [[citizen, 'a citizen'], [plainClerk, 'a clerk without roles']] as const) {
      const { response, body } = await call(app, token, '/api/v1/reviews');
      expect(response.status).to.equal(403);
      expect(body.detail).to.equal(`this operation needs one of the roles clerk:reviewer; the token is for ${who}`);
      expect(body.requiredRoles).to.deep.equal(['clerk:reviewer']);
    }
    expect((await call(app, signToken(newSigner, CLERK), '/api/v1/reviews')).response.status).to.equal(200);
  });
});

describe('development keys and sign-in (api-auth)', () => {
  const users: DevUser[] = [
    { userId: 'citizen-li', label: 'Li Wei (citizen)', principal: { kind: 'citizen', id: '11010519491231002X', subjectType: 'person' } },
    { userId: 'clerk-psb', label: 'PSB reviewer', principal: { kind: 'clerk', id: 'C001', department: 'PSB', roles: ['reviewer'] } },
  ];

  it('creates the key pair once, publishes only the public key, and signs tokens the app accepts', async () => {
    const config = testConfig({ AUTH_DEV_SIGNIN: 'true' });
    const signer = ensureDevKeys(config.dataDir);
    const again: Signer = ensureDevKeys(config.dataDir);
    expect(again.kid).to.equal(signer.kid);
    const jwks = JSON.parse(readFileSync(join(devKeysDir(config.dataDir), DEV_JWKS_FILE), 'utf8')) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).to.have.length(1);
    expect(jwks.keys[0]).to.include({ kid: signer.kid, alg: 'ES256', kty: 'EC', crv: 'P-256' });
    expect(jwks.keys[0]).not.to.have.property('d');

    const app = await startTestApp({ config, devSignIn: { users, signer }, routes: (api) => api.add(...routes()) });
    try {
      const listed = (await (await fetch(`${app.url}/api/v1/dev/users`)).json()) as { users: Array<{ userId: string }> };
      expect(listed.users.map((user) => user.userId)).to.deep.equal(['citizen-li', 'clerk-psb']);
      const signIn = await fetch(`${app.url}/api/v1/dev/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'clerk-psb' }),
      });
      expect(signIn.status).to.equal(200);
      const { token, principal } = (await signIn.json()) as { token: string; principal: unknown };
      expect(principal).to.deep.equal(users[1]!.principal);
      const whoami = await fetch(`${app.url}/api/v1/reviews`, { headers: { Authorization: `Bearer ${token}` } });
      expect(whoami.status).to.equal(200);
      const unknown = await fetch(`${app.url}/api/v1/dev/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'nobody' }),
      });
      expect(unknown.status).to.equal(404);
    } finally {
      await app.close();
    }
  });

  it('mounts nothing, and trusts no development key, when development sign-in is off', async () => {
    const config = testConfig({ AUTH_DEV_SIGNIN: 'false' });
    const signer = ensureDevKeys(config.dataDir);
    const app = await startTestApp({ config, devSignIn: { users, signer }, routes: (api) => api.add(...routes()) });
    try {
      expect((await fetch(`${app.url}/api/v1/dev/users`)).status).to.equal(404);
      const token = signToken(signer, CLERK);
      expect((await fetch(`${app.url}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(401);
    } finally {
      await app.close();
    }
  });

  it('mint-token prints a token signed with the development key that the configured verifier accepts', async () => {
    const config = testConfig({ AUTH_DEV_SIGNIN: 'true' });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/mint-token.ts', '--role', 'clerk', '--sub', 'C002', '--department', 'AMR', '--roles', 'reviewer,approver', '--expires', '15m'],
      { env: { ...process.env, DATA_DIR: config.dataDir } },
    );
    const verifier = tokenVerifierFromConfig(config, ensureDevKeys(config.dataDir));
    expect(await verifier.verify(stdout.trim())).to.deep.equal({ kind: 'clerk', id: 'C002', department: 'AMR', roles: ['reviewer', 'approver'] });
  });
});
