import { expect } from 'chai';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import type { RecordedEvent } from '../../domain/events/index.ts';
import { countCase, dryRunCase, emptyTotals } from '../../workflows/index.ts';
import { INSTANT, JOINT, SINGLE } from '../support/case-fixtures.ts';
import { calendar, playCase, type ScenarioName } from './projection-views-scenarios.ts';

const data = loadDataCatalogue();
const deps = { calendar: () => calendar, dataItem: (id: string) => data.get(id) };

/** A scenario's appends as the log records them. */
function recorded(name: ScenarioName, caseId: string, stopAfter?: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (const append of playCase(name, caseId, { stopAfter })) {
    for (const event of append.events) {
      const n = BigInt(events.length);
      events.push({
        type: event.type,
        data: event.data,
        metadata: { eventId: `${append.commandId}-${n}`, schemaVersion: 1, occurredAt: append.at, correlationId: append.commandId, causationId: null, actor: append.actor, commandId: append.commandId },
        streamId: append.streamId,
        revision: n,
        position: n,
        checkpoint: { commit: n, position: n } as never,
      });
    }
  }
  return events;
}

const kinds = (run: ReturnType<typeof dryRunCase>) => run.differences.map((d) => d.kind);

describe('dry run of a draft service version over recorded cases (pure)', () => {
  it('given a case and a draft equal to its own version, then nothing differs', () => {
    for (const [name, def] of [['instant', INSTANT], ['approved', SINGLE], ['joint', JOINT]] as const) {
      const run = dryRunCase(recorded(name, `same-${name}`), def, { ...def, version: def.version + 1 }, deps);
      expect(run.differences, name).to.deep.equal([]);
    }
  });

  it('given a case approved by rule, when the draft tightens the rule past its evidence, then it would be withheld, with the failing condition', () => {
    const draft: ServiceDefinition = { ...INSTANT, version: 2, instantApproval: { conditions: [{ material: 'insurance', field: 'monthsContributed', op: 'gte', value: 60 }] } };
    const run = dryRunCase(recorded('instant', 'tight'), INSTANT, draft, deps);
    const instant = run.differences.find((d) => d.kind === 'instant-approval');
    expect(instant).to.deep.include({ was: 'approved', would: 'withhold' });
    expect(instant && 'reasons' in instant ? instant.reasons.join() : '').to.match(/monthsContributed/);
  });

  it('given a draft whose rule the recorded evidence fails, then the dry run names the failing condition but not the value the case\'s evidence holds (it is kept outside the case, shown to administrators)', () => {
    const draft: ServiceDefinition = { ...INSTANT, version: 2, instantApproval: { conditions: [{ material: 'insurance', field: 'monthsContributed', op: 'eq', value: 999 }, { material: 'insurance', field: 'insuredStatus', op: 'in', value: ['retired'] }] } };
    const run = dryRunCase(recorded('instant', 'quiet'), INSTANT, draft, deps);
    const instant = run.differences.find((d) => d.kind === 'instant-approval');
    const reasons = instant && 'reasons' in instant ? instant.reasons : [];
    expect(reasons).to.deep.equal(['insurance.monthsContributed must equal 999', 'insurance.insuredStatus must be one of "retired"']);
  });

  it('given a case approved by a clerk, when the draft adds a rule its evidence passes, then it would have been approved instantly', () => {
    const draft: ServiceDefinition = { ...SINGLE, version: 2, instantApproval: { conditions: [{ material: 'household', field: 'citizenId', op: 'exists' }] } };
    const run = dryRunCase(recorded('approved', 'loosen'), SINGLE, draft, deps);
    expect(run.differences.find((d) => d.kind === 'instant-approval')).to.deep.include({ was: 'clerk', would: 'approve' });
  });

  it('given a new key upload and longer limits, then the material would be missing and both due dates move later', () => {
    const draft: ServiceDefinition = {
      ...SINGLE,
      version: 2,
      limits: { ...SINGLE.limits, statutoryDays: SINGLE.limits.statutoryDays + 5, promisedDays: SINGLE.limits.promisedDays + 1 },
      materials: [...SINGLE.materials, { id: 'tenancy', kind: 'upload', name: { 'zh-CN': '租赁备案', en: 'Tenancy record' }, key: true, mediaTypes: ['application/pdf'], maxBytes: 1000 }],
    };
    const run = dryRunCase(recorded('approved', 'stricter'), SINGLE, draft, deps);
    expect(run.differences).to.deep.include({ kind: 'missing-materials', materials: [{ materialId: 'tenancy', key: true }] });
    const deadlines = run.differences.filter((d) => d.kind === 'deadline');
    expect(deadlines.map((d) => d.kind === 'deadline' && d.limit)).to.deep.equal(['statutory', 'promised']);
    for (const d of deadlines) if (d.kind === 'deadline') expect(d.would > d.was).to.equal(true);
  });

  it('given calendar-day limits, when the draft lengthens one to a day of the same weekend, then its end does not move (it ends on the Monday either way); a day past the weekend does', () => {
    // Accepted Tue Mar 3 2026: 11 days end on Sat Mar 14, 12 on Sun Mar 15, both on Mon Mar 16; 14 on Tue Mar 17.
    const ranOn: ServiceDefinition = { ...SINGLE, limits: { ...SINGLE.limits, dayKind: 'calendar', promisedDays: 11 } };
    const longer = (promisedDays: number): ServiceDefinition => ({ ...ranOn, version: 2, limits: { ...ranOn.limits, promisedDays } });
    expect(dryRunCase(recorded('approved', 'weekend'), ranOn, longer(12), deps).differences).to.deep.equal([]);
    expect(dryRunCase(recorded('approved', 'weekend'), ranOn, longer(14), deps).differences).to.deep.equal([{ kind: 'deadline', limit: 'promised', was: '2026-03-16', would: '2026-03-17' }]);
  });

  it('given a joint review, when the draft drops a co-reviewer and fetches evidence from another department, then both show as departments asked', () => {
    const draft: ServiceDefinition = {
      ...JOINT,
      version: 2,
      coReviewers: JOINT.coReviewers.slice(1),
      advisoryCoReviewers: undefined,
      materials: [...JOINT.materials, { id: 'tax', kind: 'evidence', name: { 'zh-CN': '纳税', en: 'Tax' }, key: false, dataItem: 'tax-clearance', fields: ['arrearsAmount'] }],
    };
    const run = dryRunCase(recorded('joint', 'departments'), JOINT, draft, deps);
    const departments = run.differences.find((d) => d.kind === 'departments');
    expect(departments).to.deep.equal({ kind: 'departments', added: ['TAX'], removed: [JOINT.coReviewers[0]] });
    // The new evidence item was never fetched for this case: as a non-key material it would be owed.
    expect(run.differences).to.deep.include({ kind: 'missing-materials', materials: [{ materialId: 'tax', key: false }] });
  });

  it('given a non-key material the case never had, when the draft makes it key, then it counts as missing (a supplement, not a follow-up)', () => {
    const history = recorded('approved', 'key-change');
    expect(history.some((e) => e.type === 'MaterialUploaded' && e.data.materialId === 'lease')).to.equal(false);
    const draft: ServiceDefinition = { ...SINGLE, version: 2, materials: SINGLE.materials.map((m) => (m.id === 'lease' ? { ...m, key: true } : m)) };
    expect(dryRunCase(history, SINGLE, draft, deps).differences).to.deep.equal([{ kind: 'missing-materials', materials: [{ materialId: 'lease', key: true }] }]);
    // The other way round (key to non-key) asks less of the applicant than the case did: not a missing material.
    expect(dryRunCase(history, draft, SINGLE, deps).differences).to.deep.equal([]);
  });

  it('given a case still a draft, then nothing is compared (it asked nothing of anyone yet)', () => {
    const run = dryRunCase(recorded('approved', 'drafted', 2), SINGLE, { ...SINGLE, version: 2, limits: { ...SINGLE.limits, statutoryDays: 1 } }, deps);
    expect(run.differences).to.deep.equal([]);
  });

  it('the totals count each case once per kind of difference', () => {
    const totals = emptyTotals();
    const draft: ServiceDefinition = { ...INSTANT, version: 2, limits: { ...INSTANT.limits, statutoryDays: 2 }, instantApproval: { conditions: [{ material: 'insurance', field: 'monthsContributed', op: 'gte', value: 60 }] } };
    for (const id of ['a', 'b', 'c']) countCase(totals, dryRunCase(recorded('instant', id), INSTANT, draft, deps));
    countCase(totals, dryRunCase(recorded('instant', 'd'), INSTANT, { ...INSTANT, version: 2 }, deps));
    expect(totals).to.deep.include({ cases: 4, changed: 3, deadlinesMoved: 3, missingMaterials: 0, departmentsChanged: 0 });
    expect(totals.instantApproval).to.deep.equal({ wouldApprove: 0, wouldWithhold: 3 });
    expect(kinds(dryRunCase(recorded('instant', 'e'), INSTANT, draft, deps))).to.deep.equal(['instant-approval', 'deadline']);
  });
});
