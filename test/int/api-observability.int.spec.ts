import { expect } from 'chai';
import { startTestApp, testConfig, type TestApp } from '../../api/http/index.ts';
import { startSampleApp, type SampleSetup } from './api-http.int.spec.ts';

const CITIZEN_ID = '11010519491231002X';
const OTHER_ID = '44030519900101001X';

describe('access log and error log (api-observability)', () => {
  let setup: SampleSetup;
  before(async () => {
    setup = await startSampleApp();
  });
  after(async () => {
    await setup.app.close();
  });

  it('logs method, route pattern, status, duration, request id and principal kind, and no personal data', async () => {
    const path = `/api/v1/samples/${CITIZEN_ID}/decisions?dryRun=true&who=${OTHER_ID}`;
    const response = await fetch(`${setup.app.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${setup.citizen}`, 'Content-Type': 'application/json', 'X-Request-Id': 'log-test-1' },
      body: JSON.stringify({ decision: 'approve', applicant: { citizenId: OTHER_ID } }),
    });
    expect(response.status).to.equal(403);
    await fetch(`${setup.app.url}/api/v1/samples/${CITIZEN_ID}/decisions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${setup.clerk}`, 'Content-Type': 'application/json', 'X-Request-Id': 'log-test-2' },
      body: JSON.stringify({ decision: 'approve', applicant: { citizenId: OTHER_ID } }),
    });

    const lines = setup.app.logs.lines.filter((line) => String(line.requestId).startsWith('log-test-'));
    expect(lines).to.have.length(2);
    expect(lines[0]).to.include({ msg: 'request', method: 'POST', route: '/api/v1/samples/:sampleId/decisions', status: 403, principal: 'citizen' });
    expect(lines[1]).to.include({ route: '/api/v1/samples/:sampleId/decisions', status: 201, principal: 'clerk' });
    expect(lines[0]!.durationMs).to.be.a('number');
    const text = setup.app.logs.text();
    expect(text).not.to.contain(CITIZEN_ID);
    expect(text).not.to.contain(OTHER_ID);
    expect(text).not.to.contain('?');
  });

  it('logs an unexpected error with its request id and redacts personal data from message and stack', async () => {
    const response = await fetch(`${setup.app.url}/api/v1/samples/S-9/decisions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${setup.clerk}`, 'Content-Type': 'application/json', 'X-Request-Id': 'crash-1' },
      body: JSON.stringify({ decision: 'crash' }),
    });
    expect(response.status).to.equal(500);
    const errorLine = setup.app.logs.lines.find((line) => line.requestId === 'crash-1' && line.level === 50);
    expect(errorLine).to.not.equal(undefined);
    const err = errorLine!.err as Record<string, string>;
    expect(err.message).to.equal('database refused the row for [redacted]');
    expect(err.stack).to.contain('api-http.int.spec.ts');
    expect(setup.app.logs.text()).not.to.contain(CITIZEN_ID);
  });
});

describe('health, readiness and metrics (api-observability)', () => {
  let app: TestApp;
  let ready = true;
  let failing = false;
  before(async () => {
    app = await startTestApp({
      config: testConfig(),
      readiness: async () => {
        if (failing) throw new Error(`connection refused for ${CITIZEN_ID}`);
        return { ok: ready, checks: { eventStore: ready ? 'ok' : 'connection refused', readStore: 'ok' } };
      },
      routes: () => {},
    });
    app.http.metrics.registerGaugeSource('errand_queue_depth', () => ({ evidence: 4, notifications: 0 }));
    app.http.metrics.registerGaugeSource('errand_projection_lag_seconds', async () => ({ 'case-list': 1.5 }));
    app.http.metrics.registerGaugeSource('errand_queue_depth', () => {
      throw new Error('queue unreachable');
    });
  });
  after(async () => {
    await app.close();
  });

  it('/health answers 200 {status: ok}', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok' });
  });

  it('/api/v1/health and /api/v1/ready answer as /health and /ready do, and are in the OpenAPI document', async () => {
    const health = await fetch(`${app.url}/api/v1/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: 'ok' });
    ready = true;
    const ok = await fetch(`${app.url}/api/v1/ready`);
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ status: 'ready', checks: { eventStore: 'ok', readStore: 'ok' } });
    ready = false;
    const notReady = await fetch(`${app.url}/api/v1/ready`);
    ready = true;
    expect(notReady.status).to.equal(503);
    expect(((await notReady.json()) as Record<string, unknown>).checks).to.deep.equal({ eventStore: 'connection refused', readStore: 'ok' });
    const document = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(document.paths['/health']).to.have.property('get');
    expect(document.paths['/ready']).to.have.property('get');
  });

  it('/ready answers 200 with the checks when ready, 503 with the checks when not', async () => {
    ready = true;
    const ok = await fetch(`${app.url}/ready`);
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ status: 'ready', checks: { eventStore: 'ok', readStore: 'ok' } });

    ready = false;
    const notReady = await fetch(`${app.url}/ready`);
    expect(notReady.status).to.equal(503);
    expect(notReady.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const body = (await notReady.json()) as Record<string, unknown>;
    expect(body).to.include({ status: 503, type: 'urn:errand:problem:not-ready' });
    expect(body.checks).to.deep.equal({ eventStore: 'connection refused', readStore: 'ok' });
    ready = true;
  });

  it('/ready answers 503 without details when the check itself throws', async () => {
    failing = true;
    const response = await fetch(`${app.url}/ready`);
    failing = false;
    expect(response.status).to.equal(503);
    const text = await response.text();
    expect(text).to.contain('the readiness check failed');
    expect(text).not.to.contain('connection refused');
    expect(app.logs.text()).not.to.contain(CITIZEN_ID);
  });

  it('/metrics exposes request counters by route pattern, transitions and gauges from registered sources', async () => {
    await fetch(`${app.url}/health`);
    await fetch(`${app.url}/cases/${CITIZEN_ID}`);
    app.http.metrics.caseTransitions.inc({ service: 'passport', from: 'submitted', to: 'accepted' });

    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await response.text();
    expect(text).to.match(/^http_requests_total\{method="GET",route="\/health",status="200"\} \d+$/m);
    expect(text).to.match(/^http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} \d+$/m);
    expect(text).to.match(/^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health"\} \d+$/m);
    expect(text).to.contain('errand_case_transitions_total{service="passport",from="submitted",to="accepted"} 1');
    expect(text).to.contain('errand_queue_depth{queue="evidence"} 4');
    expect(text).to.contain('errand_queue_depth{queue="notifications"} 0');
    expect(text).to.contain('errand_projection_lag_seconds{projection="case-list"} 1.5');
    expect(text).not.to.contain(CITIZEN_ID);
  });
});
