import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WrongStateError } from '../../domain/case/errors.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import { DEV_JWKS_FILE, devKeysDir, ensureDevKeys, signToken, type Signer } from '../../api/auth/index.ts';
import { defineRoute, unprocessable, type AnyRouteDefinition } from '../../api/http/index.ts';
import { startTestApp, testConfig, type TestApp } from '../../api/http/index.ts';

const CITIZEN_ID = '11010519491231002X';

interface DecisionBody {
  decision: 'approve' | 'reject' | 'crash';
  comment?: string;
}

/** A sample command route that can produce every problem status the framework and the domain know. */
export function sampleRoutes(): AnyRouteDefinition[] {
  return [
    defineRoute<{ sampleId: string }, { dryRun?: boolean }, DecisionBody>({
      method: 'post',
      path: '/samples/:sampleId/decisions',
      summary: 'Decide a sample',
      tags: ['samples'],
      auth: ['clerk'],
      params: { type: 'object', properties: { sampleId: { type: 'string', pattern: '^[A-Za-z0-9-]{1,40}$' } }, required: ['sampleId'] },
      query: { type: 'object', properties: { dryRun: { type: 'boolean' } }, additionalProperties: false },
      body: {
        type: 'object',
        required: ['decision'],
        properties: {
          decision: { enum: ['approve', 'reject', 'crash'] },
          comment: { type: 'string', maxLength: 20 },
          applicant: { type: 'object', properties: { citizenId: { type: 'string' } } },
        },
      },
      headers: { ifMatch: 'optional' },
      responses: {
        201: {
          description: 'Decided',
          schema: {
            type: 'object',
            required: ['sampleId', 'decision', 'commandId', 'revision'],
            properties: {
              sampleId: { type: 'string' },
              decision: { type: 'string' },
              commandId: { type: 'string' },
              revision: { type: ['string', 'null'] },
              dryRun: { type: 'boolean' },
            },
            additionalProperties: false,
          },
        },
        409: { description: 'Wrong state or stale revision' },
        422: { description: 'A rejection needs a comment' },
      },
      handler: (ctx) => {
        if (ctx.params.sampleId === 'closed') throw new WrongStateError('decide', 'closed', ['reopen', 'archive']);
        if (ctx.ifMatch !== null && ctx.ifMatch !== 3n) throw new WrongExpectedVersionError(`sample-${ctx.params.sampleId}`, ctx.ifMatch.toString(), 3n);
        if (ctx.body.decision === 'reject' && !ctx.body.comment) throw unprocessable('a rejection needs a comment the applicant can read');
        if (ctx.body.decision === 'crash') throw new Error(`database refused the row for ${CITIZEN_ID}`);
        return {
          status: 201,
          body: { sampleId: ctx.params.sampleId, decision: ctx.body.decision, commandId: ctx.commandId, revision: ctx.ifMatch, dryRun: ctx.query.dryRun ?? false },
        };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/samples/:sampleId',
      summary: 'Replace a sample',
      tags: ['samples'],
      auth: ['clerk'],
      headers: { ifMatch: 'required', idempotencyKey: 'required' },
      responses: { 204: { description: 'Replaced' } },
      handler: () => ({ status: 204 }),
    }),
  ];
}

export interface SampleSetup {
  app: TestApp;
  signer: Signer;
  clerk: string;
  citizen: string;
}

export async function startSampleApp(env: Record<string, string> = {}): Promise<SampleSetup> {
  const keysHome = mkdtempSync(join(tmpdir(), 'errand-keys-'));
  const signer = ensureDevKeys(keysHome);
  const config = testConfig({ JWT_KEYS_FILE: join(devKeysDir(keysHome), DEV_JWKS_FILE), BODY_LIMIT_BYTES: '1024', ...env });
  const app = await startTestApp({ config, routes: (api) => api.add(...sampleRoutes()) });
  return {
    app,
    signer,
    clerk: signToken(signer, { sub: 'C001', kind: 'clerk', department: 'PSB', roles: ['reviewer'] }),
    citizen: signToken(signer, { sub: CITIZEN_ID, kind: 'citizen', subjectType: 'person' }),
  };
}

describe('HTTP problems over real HTTP (api-http)', () => {
  let setup: SampleSetup;
  before(async () => {
    setup = await startSampleApp();
  });
  after(async () => {
    await setup.app.close();
  });

  async function post(path: string, body: string | undefined, headers: Record<string, string> = {}) {
    const all: Record<string, string> = { Authorization: `Bearer ${setup.clerk}`, 'Content-Type': 'application/json', ...headers };
    // An empty value means "leave the header out".
    const sent = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== ''));
    const response = await fetch(`${setup.app.url}${path}`, { method: 'POST', headers: sent, body });
    const text = await response.text();
    return { response, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  function expectProblem(result: { response: Response; text: string; json?: Record<string, unknown> }, status: number, path: string) {
    expect(result.response.status).to.equal(status);
    expect(result.response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const body = result.json!;
    expect(body.status).to.equal(status);
    expect(body.type).to.match(/^urn:errand:problem:[a-z-]+$/);
    expect(body.title).to.be.a('string');
    expect(body.detail).to.be.a('string').and.not.equal('');
    expect(body.instance).to.equal(path);
    expect(body.requestId).to.equal(result.response.headers.get('x-request-id'));
    expect(result.text).not.to.match(/\bat .+\.ts:\d+|stack/i);
    return body;
  }

  const decisions = '/api/v1/samples/S-1/decisions';

  it('accepts a valid command and answers 201', async () => {
    const result = await post(`${decisions}?dryRun=true`, JSON.stringify({ decision: 'approve' }));
    expect(result.response.status).to.equal(201);
    expect(result.json).to.include({ sampleId: 'S-1', decision: 'approve', dryRun: true, revision: null });
  });

  it('400: malformed JSON names the position of the syntax error', async () => {
    const result = await post(decisions, '{"decision": "approve",, }');
    const body = expectProblem(result, 400, decisions);
    expect(body.detail).to.match(/not valid JSON.*position \d+/);
    expect(body.position).to.be.a('number');
  });

  it('400: validation lists every error with its path, unknown body properties included', async () => {
    const result = await post('/api/v1/samples/bad%20id/decisions?dryRun=maybe&extra=1', JSON.stringify({ comment: 'x'.repeat(21), colour: 'red', applicant: { citizenId: 'x', age: 3 } }));
    const body = expectProblem(result, 400, '/api/v1/samples/bad%20id/decisions');
    const paths = (body.errors as Array<{ path: string; message: string }>).map((error) => error.path);
    expect(paths).to.include.members(['/params/sampleId', '/query/dryRun', '/query/extra', '/body/decision', '/body/comment', '/body/colour', '/body/applicant/age']);
    for (const error of body.errors as Array<{ message: string }>) expect(error.message).to.be.a('string').and.not.equal('');
  });

  it('400: a malformed Idempotency-Key or If-Match says what the header must look like', async () => {
    const key = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'Idempotency-Key': 'has spaces!' });
    expect(expectProblem(key, 400, decisions).detail).to.match(/Idempotency-Key must be 1 to 100 characters/);
    const tooLong = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'Idempotency-Key': 'k'.repeat(101) });
    expectProblem(tooLong, 400, decisions);
    const ifMatch = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'If-Match': 'W/"3"' });
    expect(expectProblem(ifMatch, 400, decisions).detail).to.match(/If-Match must be a case revision/);
  });

  it('derives the command id from the caller and its Idempotency-Key (the same on a retry), and a fresh id without one', async () => {
    const keyed = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'Idempotency-Key': 'retry-me_1' });
    expect(keyed.json!.commandId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const retried = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'Idempotency-Key': 'retry-me_1' });
    expect(retried.json!.commandId).to.equal(keyed.json!.commandId);
    const unkeyed = await post(decisions, JSON.stringify({ decision: 'approve' }));
    expect(unkeyed.json!.commandId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('parses If-Match as a revision, quoted or not', async () => {
    for (const value of ['3', '"3"']) {
      const result = await post(decisions, JSON.stringify({ decision: 'approve' }), { 'If-Match': value });
      expect(result.response.status).to.equal(201);
      expect(result.json!.revision).to.equal('3');
    }
  });

  it('401: no token, with a Bearer challenge', async () => {
    const result = await post(decisions, JSON.stringify({ decision: 'approve' }), { Authorization: '' });
    expect(expectProblem(result, 401, decisions).detail).to.match(/needs a bearer token/);
    expect(result.response.headers.get('www-authenticate')).to.equal('Bearer realm="errand"');
  });

  it('403: a citizen on a clerk route is told which roles it needs', async () => {
    const result = await post(decisions, JSON.stringify({ decision: 'approve' }), { Authorization: `Bearer ${setup.citizen}` });
    const body = expectProblem(result, 403, decisions);
    expect(body.detail).to.match(/needs one of the roles clerk; the token is for a citizen/);
  });

  it('404: unknown paths answer with a problem, inside and outside the API', async () => {
    for (const path of ['/api/v1/nothing-here', '/nothing-here']) {
      const response = await fetch(`${setup.app.url}${path}`);
      const text = await response.text();
      expectProblem({ response, text, json: JSON.parse(text) as Record<string, unknown> }, 404, path);
    }
  });

  it('409: a command in the wrong state names the state and the allowed commands', async () => {
    const path = '/api/v1/samples/closed/decisions';
    const body = expectProblem(await post(path, JSON.stringify({ decision: 'approve' })), 409, path);
    expect(body.type).to.equal('urn:errand:problem:wrong-state');
    expect(body.detail).to.match(/"decide" is not allowed while the case is in state "closed"; allowed now: reopen, archive/);
    expect(body).to.include({ state: 'closed' });
    expect(body.allowedCommands).to.deep.equal(['reopen', 'archive']);
  });

  it('409: a stale If-Match revision names the current revision', async () => {
    const body = expectProblem(await post(decisions, JSON.stringify({ decision: 'approve' }), { 'If-Match': '"2"' }), 409, decisions);
    expect(body.type).to.equal('urn:errand:problem:stale-revision');
    expect(body).to.include({ currentRevision: '3', expectedRevision: '2' });
  });

  it('413: a body over the configured limit names the limit', async () => {
    const body = expectProblem(await post(decisions, JSON.stringify({ decision: 'approve', comment: 'x'.repeat(2000) })), 413, decisions);
    expect(body.detail).to.match(/limit of 1024 bytes/);
  });

  it('415: a body that is not application/json', async () => {
    const result = await post(decisions, 'decision=approve', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(expectProblem(result, 415, decisions).detail).to.match(/must be application\/json, not "application\/x-www-form-urlencoded"/);
  });

  it('422: the handler refuses a well-formed but unacceptable command', async () => {
    const body = expectProblem(await post(decisions, JSON.stringify({ decision: 'reject' })), 422, decisions);
    expect(body.detail).to.equal('a rejection needs a comment the applicant can read');
  });

  it('428: a route that requires If-Match refuses a request without it', async () => {
    const response = await fetch(`${setup.app.url}/api/v1/samples/S-1`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${setup.clerk}`, 'Idempotency-Key': 'k1' },
    });
    const text = await response.text();
    expect(expectProblem({ response, text, json: JSON.parse(text) as Record<string, unknown> }, 428, '/api/v1/samples/S-1').detail).to.match(/If-Match/);
  });

  it('500: an unexpected error answers generically, without a stack or the message', async () => {
    const result = await post(decisions, JSON.stringify({ decision: 'crash' }));
    const body = expectProblem(result, 500, decisions);
    expect(body.detail).to.match(/quote the request id/);
    expect(result.text).not.to.contain('database refused');
    expect(result.text).not.to.contain(CITIZEN_ID);
  });

  it('echoes a sane X-Request-Id and replaces anything else', async () => {
    const echoed = await fetch(`${setup.app.url}/health`, { headers: { 'X-Request-Id': 'trace-abc.123' } });
    expect(echoed.headers.get('x-request-id')).to.equal('trace-abc.123');
    for (const offered of ['has spaces', 'x'.repeat(200), CITIZEN_ID]) {
      const replaced = await fetch(`${setup.app.url}/health`, { headers: { 'X-Request-Id': offered } });
      expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it('sends helmet headers with a CSP that allows only the app’s own scripts and styles', async () => {
    const response = await fetch(`${setup.app.url}/health`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("style-src 'self'");
    expect(csp).to.contain("default-src 'self'");
    expect(csp).not.to.contain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('x-powered-by')).to.equal(null);
  });
});

describe('rate limiting per client (api-http)', () => {
  let setup: SampleSetup;
  before(async () => {
    setup = await startSampleApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  after(async () => {
    await setup.app.close();
  });

  const get = (token?: string) =>
    fetch(`${setup.app.url}/api/v1/openapi.json`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('429 with Retry-After once a principal spends its budget, while another principal still gets through', async () => {
    expect((await get(setup.clerk)).status).to.equal(200);
    expect((await get(setup.clerk)).status).to.equal(200);
    const limited = await get(setup.clerk);
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body).to.include({ status: 429, type: 'urn:errand:problem:rate-limited', instance: '/api/v1/openapi.json' });
    expect(body.detail).to.match(/retry after \d+ seconds/);

    expect((await get(setup.citizen)).status).to.equal(200);
  });

  it('does not count health probes', async () => {
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${setup.app.url}/health`)).status).to.equal(200);
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${setup.app.url}/api/v1/health`)).status).to.equal(200);
  });

  it('does not count page and asset loads, only the API', async () => {
    // The budget is 2 a minute: five page loads would be 429s if they were counted.
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${setup.app.url}/no-such-page`)).status).to.equal(404);
  });
});
