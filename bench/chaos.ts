/**
 * `npm run chaos`: the full fault-injection run (test/support/chaos) on throwaway servers, then its figures written
 * into docs/benchmarks.md (section "Chaos", replaced on each run). Exits 1 when any check failed.
 *
 * Knobs: CHAOS_MODE (full | reduced, default full), CHAOS_WORKERS (2), CHAOS_CASES (minimum cases, 120),
 * CHAOS_CONCURRENCY (6), CHAOS_ROUNDS (rounds of killing every process, 2), CHAOS_OUTAGE_S (60),
 * CHAOS_SETTLE_S (180), CHAOS_DOCS=0 to leave docs/benchmarks.md alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS, failedChecks, FULL, REDUCED, runChaos, summary, type ChaosOptions, type ChaosReport } from '../test/support/chaos/run.ts';
import { machineLine } from './support/machine.ts';

const DOC = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'benchmarks.md');
const HEADING = '## Chaos';

function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: expected a number, got "${raw}"`);
  return value;
}

const base = process.env.CHAOS_MODE === 'reduced' ? REDUCED : FULL;
const options: ChaosOptions = {
  ...base,
  workers: knob('CHAOS_WORKERS', base.workers),
  minCases: knob('CHAOS_CASES', base.minCases),
  concurrency: knob('CHAOS_CONCURRENCY', base.concurrency),
  rounds: knob('CHAOS_ROUNDS', base.rounds),
  outageSeconds: knob('CHAOS_OUTAGE_S', base.outageSeconds),
  settleBoundMs: knob('CHAOS_SETTLE_S', base.settleBoundMs / 1000) * 1000,
};

const s = (ms: number | null) => (ms === null ? 'not within bound' : `${(ms / 1000).toFixed(1)} s`);

function markdown(report: ChaosReport, startedAt: string, machineAtStart: string): string {
  const failed = failedChecks(report);
  const recoveries = report.faults.map((f) => f.recoveryMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  const lines = [
    HEADING,
    '',
    `\`npm run chaos\` (test/support/chaos; the reduced form runs in CI as test/e2e/chaos.e2e.spec.ts). Run ${startedAt}, ` +
      `${report.options.mode} mode: two API processes, ${report.options.workers} worker processes, PSB and HRSS gateway processes, ` +
      'a throwaway PostgreSQL cluster and redis-server. Faults one after another under a mixed HTTP load; after each, a ' +
      'fresh case must get from draft to review (through both APIs, a worker and the gateways): that is the recovery time.',
    '',
    `Run on: ${machineAtStart}.`,
    '',
    `- cases: ${report.cases.total} (${Object.entries(report.cases.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`,
    `- faults: ${report.faults.length}; run ${s(report.durationMs)}; every case in its expected state ${s(report.settleMs)} after the last fault`,
    `- recovery: median ${s(recoveries[Math.floor(recoveries.length / 2)] ?? null)}, max ${s(recoveries.at(-1) ?? null)}; ${report.faults.length - recoveries.length} faults not recovered from within ${report.options.recoveryBoundMs / 1000} s`,
    `- HTTP: ${report.http.requests} requests, ${report.http.networkErrors} connection errors, by status ${Object.entries(report.http.byStatus).map(([k, n]) => `${k}: ${n}`).join(', ')}`,
    `- evidence items uploaded by the citizen after their gateway stayed down past the retries (provider_down): ${report.uploadedInstead}`,
    `- checked: ${report.timersExpected} timers, ${report.documentsCompared} projection documents against a fresh rebuild, access logs ${JSON.stringify(report.access)}`,
    `- checks: ${failed.length === 0 ? 'all passed' : `FAILED ${failed.join(', ')}`} (${CHECKS.filter((c) => !failed.includes(c)).join(', ') || 'none'} passed)`,
    '',
    '| fault | down | recovered after | note |',
    '|---|---|---|---|',
    ...report.faults.map((f) => `| ${f.fault} | ${s(f.downMs)} | ${s(f.recoveryMs)} | ${(f.note ?? '').replace(/\|/g, '/').slice(0, 160)} |`),
    '',
  ];
  if (failed.length > 0) {
    lines.push('Problems found:', '');
    for (const name of failed) for (const problem of report.checks[name]) lines.push(`- ${name}: ${problem.replace(/\n/g, ' ').slice(0, 600)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Replaces the section (up to the next level-2 heading) or appends it. */
function writeSection(section: string): void {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf(`\n${HEADING}\n`);
  if (start === -1) {
    writeFileSync(DOC, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + HEADING.length + 2);
  writeFileSync(DOC, `${text.slice(0, start + 1)}${section}${next === -1 ? '' : `\n${text.slice(next + 1)}`}`);
}

const startedAt = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const machineAtStart = machineLine();
const { report, topology } = await runChaos(options);
console.log(summary(report));
const failed = failedChecks(report);
await topology.stop({ keepLogs: failed.length > 0 });
if (process.env.CHAOS_DOCS !== '0') {
  writeSection(markdown(report, startedAt, machineAtStart));
  console.log(`figures written to ${DOC}`);
}
process.exit(failed.length > 0 ? 1 : 0);
