import { loadConfig } from '../../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../../runtime/engine.ts';
import { checkAccessLogs, type AccessFigures } from './check-access.ts';
import { checkEvents, checkExits, checkNo500, checkScripts, settle, type Problems } from './check-cases.ts';
import { checkProjections } from './check-projections.ts';
import { checkTimers } from './check-timers.ts';
import { ChaosClient, tokens, type HttpTally } from './client.ts';
import { fullSchedule, reducedSchedule, runFaults, type Fault, type FaultRecord } from './faults.ts';
import { runLoad, type DrivenCase } from './load.ts';
import { QUEUE_PREFIX, startTopology, type Topology } from './topology.ts';

export interface ChaosOptions {
  mode: 'reduced' | 'full';
  workers: number;
  /** Cases driven at once by the load. */
  concurrency: number;
  minCases: number;
  outageSeconds: number;
  /** Rounds of killing every process (full mode). */
  rounds: number;
  pauseMs: number;
  recoveryBoundMs: number;
  /** How long after the load ends every case must be in its expected state. */
  settleBoundMs: number;
  /** Overrides the mode's fault schedule ([] for a calibration run without faults). */
  schedule?: Fault[];
}

// The settle bound must exceed BullMQ's own redelivery of a killed worker's active jobs: their lock lapses 30 s after
// its last renewal and the next stalled check (every 30 s) puts them back, up to a minute after the kill, and the
// reduced schedule ends with one. With a 60 s bound a CI run settled in 60.1 s, counting the load's last steps, at the
// edge of failing. A bound is a ceiling, not a wait: a quiet run still settles in seconds.
export const REDUCED: ChaosOptions = {
  mode: 'reduced', workers: 2, concurrency: 4, minCases: 24, outageSeconds: 10, rounds: 1, pauseMs: 1500, recoveryBoundMs: 30_000, settleBoundMs: 120_000,
};
export const FULL: ChaosOptions = {
  mode: 'full', workers: 2, concurrency: 6, minCases: 120, outageSeconds: 60, rounds: 2, pauseMs: 3000, recoveryBoundMs: 90_000, settleBoundMs: 180_000,
};

export type CheckName = 'scripts' | 'processes' | 'http' | 'settle' | 'events' | 'timers' | 'projections' | 'access' | 'audit';
export const CHECKS: readonly CheckName[] = ['scripts', 'processes', 'http', 'settle', 'events', 'timers', 'projections', 'access', 'audit'];

export interface ChaosReport {
  options: ChaosOptions;
  faults: FaultRecord[];
  cases: { total: number; byKind: Record<string, number> };
  durationMs: number;
  settleMs: number | null;
  http: HttpTally;
  timersExpected: number;
  /** Evidence items a gateway could not deliver within the worker's retries (provider_down), uploaded instead. */
  uploadedInstead: number;
  documentsCompared: number;
  access: AccessFigures | null;
  checks: Record<CheckName, Problems>;
  logDir: string;
}

/**
 * Starts the topology, runs the load while the faults are injected one after another, waits for the cases to settle
 * and runs every check. Never throws for a failed check: each one's problems are in the report, so a run lists every
 * defect it found at once.
 */
export async function runChaos(options: ChaosOptions): Promise<{ report: ChaosReport; topology: Topology }> {
  const started = Date.now();
  const topology = await startTopology({ apis: 2, workers: options.workers });
  const client = new ChaosClient(topology.apiUrls);
  let faultsRunning = true;
  // Steps retry for as long as faults are injected, then for the settle bound at most.
  let loadDeadline = Number.POSITIVE_INFINITY;
  const load = runLoad(client, { concurrency: options.concurrency, minCases: options.minCases, keepGoing: () => faultsRunning, deadline: () => loadDeadline });
  const schedule = options.schedule ?? (options.mode === 'full' ? fullSchedule(topology, options.rounds, options.outageSeconds) : reducedSchedule(options.outageSeconds));
  let faults: { records: FaultRecord[]; probes: DrivenCase[] };
  try {
    faults = await runFaults(topology, client, schedule, { pauseMs: options.pauseMs, recoveryBoundMs: options.recoveryBoundMs });
  } finally {
    faultsRunning = false;
    loadDeadline = Date.now() + options.settleBoundMs;
  }
  const faultsEnded = Date.now();
  const cases = [...(await load), ...faults.probes];
  const loadEnded = Date.now();
  const byKind: Record<string, number> = {};
  for (const c of cases) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  console.log(`    [chaos] load done: ${cases.length} cases; settling`);

  let checker: Engine | null = null;
  const checks = Object.fromEntries(CHECKS.map((name) => [name, [] as Problems])) as Record<CheckName, Problems>;
  const report: ChaosReport = {
    options, faults: faults.records, cases: { total: cases.length, byKind }, durationMs: 0, settleMs: null, http: client.tally,
    timersExpected: 0, uploadedInstead: 0, documentsCompared: 0, access: null, checks, logDir: topology.logDir,
  };
  try {
    checker = await createEngine(loadConfig({ ...topology.engineEnv, ROLE: 'api', LOG_LEVEL: 'silent' }));
    checks.scripts = checkScripts(cases);
    const settled = await settle(checker, cases, options.settleBoundMs);
    // From the end of the faults: the load's last steps, then the workers' last fetches.
    report.settleMs = settled.settleMs === null ? null : loadEnded - faultsEnded + settled.settleMs;
    checks.settle = settled.problems;
    const events = await checkEvents(checker, cases);
    checks.events = events.problems;
    report.uploadedInstead = events.uploadedInstead;
    const timers = await checkTimers(checker, cases, topology.redis.url, QUEUE_PREFIX);
    checks.timers = timers.problems;
    report.timersExpected = timers.expected;
    const projections = await checkProjections(checker, topology.cluster, options.settleBoundMs);
    checks.projections = projections.problems;
    report.documentsCompared = projections.documents;
    const access = await checkAccessLogs(checker, topology.databaseUrl, cases);
    checks.access = access.problems;
    report.access = access.figures;
    const verifyBy = Date.now() + 30_000;
    const verdict = await client.call(tokens.auditor(), 'GET', '/audit/verify', () => verifyBy);
    if (verdict.status !== 200 || verdict.body.ok !== true) checks.audit = [`GET /audit/verify answered ${verdict.status} ${JSON.stringify(verdict.body).slice(0, 400)}`];
    // Last, so a process that died during the checks is counted too.
    checks.processes = checkExits(topology.all());
    checks.http = checkNo500(client.tally);
  } finally {
    await checker?.stop().catch(() => undefined);
    report.durationMs = Date.now() - started;
  }
  return { report, topology };
}

export function failedChecks(report: ChaosReport): CheckName[] {
  return CHECKS.filter((name) => report.checks[name].length > 0);
}

export function summary(report: ChaosReport): string {
  const seconds = (ms: number | null) => (ms === null ? 'not reached' : `${(ms / 1000).toFixed(1)} s`);
  const lines = [
    `chaos (${report.options.mode}): ${report.faults.length} faults, ${report.cases.total} cases ${JSON.stringify(report.cases.byKind)}, ` +
      `${report.options.workers} workers, run ${seconds(report.durationMs)}, settled ${seconds(report.settleMs)}`,
    `HTTP: ${report.http.requests} requests, ${report.http.networkErrors} network errors, by status ${JSON.stringify(report.http.byStatus)}`,
    ...report.faults.map((f) => `  ${f.fault}: down ${seconds(f.downMs)}, recovered ${seconds(f.recoveryMs)}${f.note ? ` (${f.note})` : ''}`),
    `timers expected ${report.timersExpected}; evidence uploaded instead (provider_down) ${report.uploadedInstead}; projection documents compared ${report.documentsCompared}; access ${JSON.stringify(report.access)}`,
    ...CHECKS.map((name) => `  ${report.checks[name].length === 0 ? 'PASS' : 'FAIL'} ${name}${report.checks[name].map((p) => `\n       - ${p}`).join('')}`),
    `process logs: ${report.logDir}`,
  ];
  return lines.join('\n');
}
