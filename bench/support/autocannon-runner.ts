import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

/**
 * The load generator of bench/load.bench.ts, run as its own process (`node --import tsx bench/support/autocannon-runner.ts
 * '<json>'`) so it does not share an event loop with the server it measures. Prints one JSON line: LoadResult.
 *
 * autocannon's overallRate lets each connection send its share back to back at the start of every second and then
 * wait, and all connections tick together: 500 req/s would arrive as one burst per second. The rate is therefore
 * split over `groups` autocannon instances started 1/groups s apart, each with a few connections, so requests arrive
 * in small bursts spread over the second. Latencies are collected from every response (exact percentiles over all
 * instances) and never "corrected" for coordinated omission: autocannon's correction with a rate assumes a 1 ms
 * interval and would add synthetic samples.
 */
export interface LoadPlan {
  baseUrl: string;
  mode: 'read' | 'submit';
  token: string;
  /** Case ids to rotate over (read). */
  ids?: string[];
  /** Requests per second over all connections; 0 = as fast as the connections go. */
  rate: number;
  durationSec: number;
  connections: number;
  /** Instances the rate is split over (rate > 0 only). */
  groups?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  /** CPU of this (load generator) process, as a share of one core. */
  generatorCpu: number;
}

const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function requestsFor(plan: LoadPlan): autocannon.Request[] {
  const auth = { authorization: `Bearer ${plan.token}` };
  if (plan.mode === 'read') {
    const ids = plan.ids ?? [];
    if (ids.length === 0) throw new Error('read needs case ids');
    let next = 0;
    return [{ method: 'GET', path: `/api/v1/cases/${ids[0]}`, headers: auth, setupRequest: (req) => ({ ...req, path: `/api/v1/cases/${ids[next++ % ids.length]}` }) }];
  }
  const prefix = randomUUID().slice(0, 8);
  let next = 0;
  const headers = { ...auth, 'content-type': 'application/json' };
  return [
    {
      method: 'POST',
      path: '/api/v1/cases',
      headers,
      body: JSON.stringify({ serviceId: 'residence-permit', form: FORM }),
      // A fresh Idempotency-Key per request: each is a new application, never a replay.
      setupRequest: (req) => ({ ...req, headers: { ...headers, 'idempotency-key': `bench-${prefix}-${(next += 1)}` } }),
    },
  ];
}

export async function runPlan(plan: LoadPlan): Promise<LoadResult> {
  const groups = plan.rate > 0 ? Math.max(1, plan.groups ?? 10) : 1;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const runs = Array.from({ length: groups }, (_, group) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      setTimeout(() => {
        const rate = plan.rate > 0 ? Math.floor(plan.rate / groups) + (group < plan.rate % groups ? 1 : 0) : 0;
        const instance = autocannon(
          {
            url: plan.baseUrl,
            connections: Math.max(1, Math.round(plan.connections / groups)),
            duration: plan.durationSec,
            ...(rate > 0 ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
            requests: requestsFor(plan),
            timeout: 10,
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
          latencies.push(responseTime);
        });
      }, (group * 1000) / groups);
    }),
  );
  const results = await Promise.all(runs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  for (const result of results) {
    errors += result.errors;
    timeouts += result.timeouts;
  }
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  const ok = Object.entries(statusCodes).reduce((sum, [code, count]) => sum + (code.startsWith('2') ? count : 0), 0);
  // Staggered starts stretch the wall time by up to a second; the rate is over the planned duration per instance.
  const activeSeconds = plan.rate > 0 ? plan.durationSec : seconds;
  return {
    requests,
    perSecond: requests / activeSeconds,
    ok,
    non2xx: requests - ok,
    errors,
    timeouts,
    statusCodes,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    seconds,
    generatorCpu: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
  runPlan(plan).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
