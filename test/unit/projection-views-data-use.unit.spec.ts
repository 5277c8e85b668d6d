import { expect } from 'chai';
import { DATA_USE, createDataUseProjector, type DataUse } from '../../projections/views/index.ts';
import { citizenNo, services } from './projection-views-scenarios.ts';
import { accessAppend, logOf, project } from './projection-views-support.ts';

const projector = createDataUseProjector({ services });
const ME = citizenNo(123);
const NEIGHBOUR = citizenNo(456);

function usesOf(subjectId: string, log: ReturnType<typeof logOf>): DataUse[] {
  return (Object.values(project(projector, log).all(DATA_USE)) as unknown as DataUse[]).filter((u) => u.subjectId === subjectId).sort((a, b) => (a.at < b.at ? -1 : 1));
}

describe('"who used my data" projection', () => {
  it('given evidence fetched for my case, says which department read which fields from whom, why and when', () => {
    const log = logOf([{ name: 'approved', caseId: 'case-1' }]);
    const received = log.find((e) => e.type === 'EvidenceReceived')!;
    expect(usesOf(ME, log)).to.deep.equal([
      {
        id: received.metadata.eventId, subjectId: ME, subjectType: 'person', at: '2026-03-03T04:00:00.000Z', department: 'PSB',
        accessorKind: 'department', holder: 'PSB', caseId: 'case-1', serviceId: 'test-residence', purpose: 'evidence for the application',
        legalBasis: 'Regulations on Household Registration', dataItem: 'household-registration', fields: ['address', 'citizenId', 'name'],
        channel: 'evidence', result: 'granted',
      },
    ]);
  });

  it('given a holder that found nothing, still records that it was asked, with the reason as the result', () => {
    const [use] = usesOf(ME, logOf([{ name: 'contested', caseId: 'case-1' }]));
    expect(use).to.include({ holder: 'PSB', dataItem: 'household-registration', result: 'no_match' });
    expect(use!.fields).to.deep.equal([]);
  });

  it('given clerks and auditors opening my data, lists each access including refused ones, and only mine', () => {
    const log = logOf([{ name: 'instant', caseId: 'case-1' }], [
      accessAppend(ME, '2026-03-05T01:00:00.000Z', { commandId: 'a1', caseId: 'case-1', serviceId: 'test-insurance-certificate' }),
      accessAppend(ME, '2026-03-06T01:00:00.000Z', {
        commandId: 'a2', accessor: { kind: 'auditor', id: 'aud-1', department: 'AUDIT' }, purpose: 'annual audit', fields: ['audit-trail'],
        channel: 'audit-trail', result: 'refused',
      }),
      accessAppend(NEIGHBOUR, '2026-03-06T02:00:00.000Z', { commandId: 'a3' }),
    ]);
    const uses = usesOf(ME, log);
    expect(uses.map((u) => [u.channel, u.department, u.result])).to.deep.equal([
      ['evidence', 'HRSS', 'granted'],
      ['case-view', 'PSB', 'granted'],
      ['audit-trail', 'AUDIT', 'refused'],
    ]);
    expect(uses[2]).to.include({ accessorKind: 'auditor', purpose: 'annual audit', caseId: null });
    expect(usesOf(NEIGHBOUR, log)).to.have.length(1);
  });

  it('never stores a field value', () => {
    const store = project(projector, logOf([{ name: 'approved', caseId: 'case-1' }, { name: 'joint', caseId: 'case-2' }]));
    const text = JSON.stringify(store.all(DATA_USE));
    for (const value of ['张三', '深圳', '海岸餐饮']) expect(text).not.to.include(value);
  });

  it('names no document for case events that read no data', () => {
    const log = logOf([{ name: 'approved', caseId: 'case-1' }]);
    expect(projector.keys(log.find((e) => e.type === 'CaseApproved')!)).to.deep.equal([]);
  });
});
