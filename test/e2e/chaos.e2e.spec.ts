import { expect } from 'chai';
import { CHECKS, REDUCED, runChaos, summary, type ChaosReport, type CheckName } from '../support/chaos/run.ts';
import type { Topology } from '../support/chaos/topology.ts';

/**
 * The production topology (two API processes, two workers, PSB and HRSS gateway processes) on a throwaway PostgreSQL
 * cluster and redis-server, under a mixed HTTP load, while every kind of process is killed with SIGKILL, Redis is
 * flushed and crashed, and PostgreSQL is restarted fast and immediately and stopped for 10 s. Then each guarantee is
 * checked on its own. `npm run chaos` runs the full version (more cases, more rounds of kills, a 60 s outage).
 */
describe('chaos (reduced)', function () {
  // Start-up, twelve faults with their recoveries, settling and a full projection rebuild on a loaded 2-core machine.
  this.timeout(15 * 60_000);
  let report: ChaosReport;
  let topology: Topology | undefined;

  before(async function () {
    const run = await runChaos(REDUCED);
    report = run.report;
    topology = run.topology;
    console.log(summary(report).replace(/^/gm, '    '));
  });

  after(async () => {
    // Logs stay when something failed: they are the evidence.
    await topology?.stop({ keepLogs: CHECKS.some((name) => report?.checks[name].length > 0) });
  });

  const expectNoProblems = (name: CheckName) => expect(report.checks[name], `${name}: ${report.checks[name].join('\n')}`).to.deep.equal([]);

  it('injected every fault and drove cases of every kind through them', () => {
    expect(report.faults.map((f) => f.fault)).to.include.members(['kill -9 api-1', 'kill -9 worker-1', 'kill -9 gateway-PSB', 'Redis FLUSHALL', 'PostgreSQL fast restart', 'PostgreSQL immediate restart', 'PostgreSQL outage 10 s']);
    expect(Object.keys(report.cases.byKind)).to.have.members(['certified', 'supplemented', 'parked-supplement', 'parked-submitted', 'parked-review', 'withdrawn']);
    expect(report.cases.total).to.be.at.least(REDUCED.minCases);
  });

  it('every case script got through, retrying commands across faults with one Idempotency-Key', () => expectNoProblems('scripts'));

  it('no process exited except when killed by the harness', () => expectNoProblems('processes'));

  it('the API answered no request with a 500 (outages are 503s)', () => expectNoProblems('http'));

  it('every case reached its expected state within the settle bound', () => expectNoProblems('settle'));

  it('recovered from every fault: a fresh case got from draft to review after each', () => {
    expect(report.faults.filter((f) => f.recoveryMs === null).map((f) => `${f.fault}${f.note ? ` (${f.note})` : ''}`)).to.deep.equal([]);
  });

  it('no effect was recorded twice: each case holds exactly the events of its kind, one certificate at most', () => expectNoProblems('events'));

  it('every open case has each timer its state calls for armed in Redis, for the right time', () => expectNoProblems('timers'));

  it('every projection equals a fresh rebuild from the same log', () => expectNoProblems('projections'));

  it("the departments' access logs and the citizen's data-use log agree", () => expectNoProblems('access'));

  it("the audit trail's hash chain verifies", () => expectNoProblems('audit'));
});
