import { expect } from 'chai';
import { SERVICE_STATS, createServiceStatsProjector, fixedDirectory, summarise, type ServiceStats } from '../../projections/views/index.ts';
import { SCENARIO_NAMES, SCENARIOS, calendar, services } from './projection-views-scenarios.ts';
import { applyBatch, logOf, project } from './projection-views-support.ts';

const projector = createServiceStatsProjector({ services });
const everyScenario = logOf(SCENARIO_NAMES.map((name) => ({ name, caseId: `case-${name}` })));

function statsOf(id: string, log = everyScenario): ServiceStats {
  return project(projector, log).read(SERVICE_STATS, id) as unknown as ServiceStats;
}

describe('service statistics projection', () => {
  it('counts received, accepted, not accepted, decided, on time, materials and ratings per service', () => {
    expect(statsOf('test-residence')).to.deep.equal({
      id: 'test-residence', kind: 'service', serviceId: 'test-residence', department: null,
      received: 5, accepted: 3, deemedAccepted: 1, notAccepted: 1, withdrawn: 1, decided: 3, approved: 2, denied: 1, revoked: 0,
      instantApprovals: 0, commitmentApprovals: 0, supplementRequested: 2, onTimePromised: 2, onTimeStatutory: 3,
      materialsFetched: 2, materialsUploaded: 4, ratingCount: 2, ratingSum: 5, ratingBad: 1,
      durations: { '2026-03-03/2026-03-05': 1, '2026-03-05/2026-03-23': 1, '2026-03-02/2026-03-26': 1 },
      ratingDistribution: { 1: 1, 4: 1 },
      updatedAt: '2026-03-26T04:00:00.000Z',
    });
  });

  it('counts instant approvals, commitment approvals and evidence refused at preview', () => {
    expect(statsOf('test-insurance-certificate')).to.include({ received: 1, decided: 1, instantApprovals: 1, materialsFetched: 1, ratingCount: 1, ratingSum: 5 });
    expect(statsOf('test-small-shop')).to.include({ decided: 1, commitmentApprovals: 1, materialsFetched: 1 });
    expect(statsOf('test-degree-check')).to.include({ materialsFetched: 0, materialsUploaded: 1, approved: 1 });
  });

  it('adds up every service of a lead department under dept-<code>', () => {
    const psb = statsOf('dept-PSB');
    expect(psb).to.include({ kind: 'department', department: 'PSB', serviceId: null });
    const services = ['test-residence', 'test-small-shop', 'test-degree-check'].map((id) => statsOf(id));
    expect(psb.received).to.equal(services.reduce((sum, s) => sum + s.received, 0));
    expect(psb.decided).to.equal(services.reduce((sum, s) => sum + s.decided, 0));
    expect(statsOf('dept-AMR')).to.include({ received: 1, approved: 1 });
  });

  it('summarises with the working-day calendar: median and p90 days, rates and rating average', () => {
    expect(summarise(statsOf('test-residence'), calendar)).to.deep.equal({
      id: 'test-residence', kind: 'service', serviceId: 'test-residence', department: null,
      received: 5, accepted: 3, notAccepted: 1, withdrawn: 1, decided: 3, approved: 2, denied: 1, revoked: 0,
      medianDays: 12, p90Days: 18, dayKind: 'working', onTimeRate: 2 / 3, statutoryOnTimeRate: 1, autoFetchShare: 2 / 6,
      instantApprovalRate: 0, supplementRate: 2 / 5, ratings: { count: 2, average: 2.5, distribution: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 0 }, bad: 1 },
    });
    expect(summarise(statsOf('test-insurance-certificate'), calendar)).to.include({ medianDays: 0, instantApprovalRate: 1, autoFetchShare: 1 });
    expect(summarise(statsOf('test-residence'), calendar, 'calendar')).to.include({ medianDays: 18, p90Days: 24 });
  });

  it('given no decision yet, leaves the figures that need one empty', () => {
    const summary = summarise(statsOf('test-residence', logOf([{ name: 'withdrawn', caseId: 'w' }])), calendar);
    expect(summary).to.include({ received: 1, medianDays: null, p90Days: null, onTimeRate: null, autoFetchShare: null });
  });

  it('given events delivered again, counts each case once', () => {
    const store = project(projector, everyScenario);
    const before = store.snapshot();
    applyBatch(projector, store, everyScenario.filter((e) => e.type === 'ApplicationSubmitted' || e.type === 'CaseRated'));
    expect(store.snapshot()).to.deep.equal(before);
  });

  it('preloads the aggregates of every catalogued service and department for events that count', () => {
    const accepted = everyScenario.find((e) => e.type === 'CaseAccepted')!;
    const ids = projector.keys(accepted).map((k) => `${k.collection}/${k.id}`);
    expect(ids).to.include.members(['service_stats/test-residence', 'service_stats/dept-PSB', 'service_stats/dept-AMR', 'service_stats/dept-HRSS']);
    expect(projector.keys(everyScenario.find((e) => e.type === 'EvidenceGatheringCompleted')!)).to.deep.equal([]);
  });

  it('given a service moved to another department by a later version, then its cases opened before still count under the department of their own version, live and in a rebuild alike', () => {
    // Its first version is the only one led by this department, so nothing else keeps the department's document.
    const residence = { ...SCENARIOS.approved.definition, department: 'OLD' };
    const moved = { ...residence, version: residence.version + 1, department: 'CAB' };
    const others = [...new Set(Object.values(SCENARIOS).map((s) => s.definition))].filter((d) => d.id !== residence.id);
    const before = createServiceStatsProjector({ services: fixedDirectory([residence, ...others]) });
    const after = createServiceStatsProjector({ services: fixedDirectory([residence, moved, ...others]) });
    const residenceLog = logOf([{ name: 'approved', caseId: 'case-moved' }]);
    const submitted = residenceLog.findIndex((e) => e.type === 'ApplicationSubmitted');
    // Live: the case is opened and submitted under v1; the service moves before the rest of its events come.
    const live = project(before, residenceLog.slice(0, submitted + 1));
    applyBatch(after, live, residenceLog.slice(submitted + 1));
    const rebuilt = project(after, residenceLog);
    const owner = `dept-${residence.department}`;
    expect(live.read(SERVICE_STATS, owner)).to.include({ received: 1, decided: 1, approved: 1 });
    expect(rebuilt.read(SERVICE_STATS, owner)).to.deep.equal(live.read(SERVICE_STATS, owner));
    expect(rebuilt.read(SERVICE_STATS, 'dept-CAB')).to.equal(undefined);
  });
});
