import { expect } from 'chai';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/** Values that broke parsers, schemas and SQL in earlier fuzz runs, by family. */
const PATH_VALUES = ['%ZZ', '%E0%A4%A', '%00', 'a%00b', '..%2F..%2Fetc', '1e309', '-1', 'x'.repeat(2000), '%F0%9F%98%80', '00000000-0000-4000-8000-000000000000', "'%20OR%201=1--"];
const QUERY_VALUES = ['1e309', '-1e309', '0', '-1', '1.5', 'NaN', '%00', 'a%00b', '%ZZ', 'x'.repeat(3000), '9007199254740993', '[]', '%F0%9F%98%80'];
const BODIES: unknown[] = [{}, [], 'text', 42, null, { form: 'x' }, { serviceId: 1, form: [] }, { reason: '\u0000' }, { score: 1e309 }, { score: 'five' }, { materialId: 'x'.repeat(5000) }, { a: { b: { c: { d: { e: { f: [1, [2, [3]]] } } } } } }];

interface Operation { method: string; path: string; roles: string[]; query: string[] }

/**
 * Every documented operation, fed every family of malformed input the external fuzzer found, must answer below 500
 * (and a refusal must be problem+json). Run in CI on every change, so a new route is fuzzed the day it is added.
 */
describe('fuzzing every documented operation answers no 5xx', function () {
  this.timeout(300_000);
  let errand: RunningErrand;
  const tokens = new Map<string, string>();
  let ownCase = '';

  before(async () => {
    errand = await startErrand('fuzz');
    tokens.set('citizen', await errand.signIn('citizen-instant-approval'));
    tokens.set('clerk', await errand.signIn('clerk-psb'));
    tokens.set('auditor', await errand.signIn('auditor'));
    tokens.set('admin', await errand.signIn('admin'));
    ownCase = String((await errand.api(tokens.get('citizen')!, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
  });
  after(async () => errand?.stop());

  async function operations(): Promise<Operation[]> {
    const doc = (await errand.openapi()) as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; security?: unknown[]; 'x-roles'?: string[] }>> };
    const out: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        out.push({ method: method.toUpperCase(), path, roles: ['citizen', 'clerk', 'auditor', 'admin'], query });
      }
    }
    return out;
  }

  async function send(token: string | null, method: string, url: string, body?: unknown) {
    const response = await fetch(`${errand.baseUrl}/api/v1${url}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text };
  }

  it('given malformed path parameters, query values and bodies, when sent to each operation by each role, then nothing answers 5xx', async () => {
    const ops = await operations();
    expect(ops.length).to.be.greaterThan(20);
    const failures: string[] = [];
    let sent = 0;
    const check = (label: string, result: { status: number; type: string; text: string }) => {
      sent += 1;
      if (result.status >= 500) failures.push(`${label} -> ${result.status} ${result.text.slice(0, 160)}`);
      else if (result.status >= 400 && !result.type.startsWith('application/problem+json')) failures.push(`${label} -> ${result.status} not problem+json`);
    };
    // Every request is built first and sent a few at a time: one by one, the thousands of them were the slowest test
    // of the suite. Each is checked on its own, so the order they answer in does not matter.
    const requests: Array<{ label: string; token: string; method: string; url: string; body: unknown }> = [];
    for (const op of ops) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const fill = (value: string, which?: string) => op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (which === undefined || name === which ? value : name === 'caseId' ? ownCase : 'x'));
      for (const role of op.roles) {
        const token = tokens.get(role)!;
        const emptyBody = op.method === 'GET' ? undefined : {};
        for (const param of params) {
          for (const value of PATH_VALUES) {
            const url = fill(value, param);
            requests.push({ label: `${role} ${op.method} ${url.slice(0, 120)}`, token, method: op.method, url, body: emptyBody });
          }
        }
        const base = fill(ownCase === '' ? 'x' : ownCase, 'caseId').replace(/\{[^}]+\}/g, 'x');
        for (const name of [...op.query, 'page', 'pageSize']) {
          for (const value of QUERY_VALUES) {
            const url = `${base}?${encodeURIComponent(name)}=${value}`;
            requests.push({ label: `${role} ${op.method} ${url.slice(0, 120)}`, token, method: op.method, url, body: emptyBody });
          }
        }
        if (op.method !== 'GET') {
          for (const body of BODIES) requests.push({ label: `${role} ${op.method} ${base} body ${JSON.stringify(body).slice(0, 60)}`, token, method: op.method, url: base, body });
        }
      }
    }
    let next = 0;
    const sender = async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const { label, token, method, url, body } = requests[index]!;
        check(label, await send(token, method, url, body));
      }
    };
    await Promise.all(Array.from({ length: 4 }, sender));
    expect(sent).to.equal(requests.length);
    console.log(`      fuzz: ${sent} requests over ${ops.length} operations`);
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
  });
});
