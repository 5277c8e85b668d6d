import { expect } from 'chai';
import { verifyChain } from '../../projections/audit/index.ts';
import { AUDIT_HEAD, AUDIT_TRAIL, HEAD_ID, createAuditTrailProjector, type AuditEntry, type AuditHead } from '../../projections/views/index.ts';
import { citizenNo, services } from './projection-views-scenarios.ts';
import { MemoryViews, accessAppend, applyBatch, logOf, project } from './projection-views-support.ts';

const projector = createAuditTrailProjector({ services });
const APPLICANT = citizenNo(123);

function bySeq(store: MemoryViews): AuditEntry[] {
  return (Object.values(store.all(AUDIT_TRAIL)) as unknown as AuditEntry[]).sort((a, b) => a.seq - b.seq);
}

const opened = accessAppend(APPLICANT, '2026-03-04T02:00:00.000Z', { commandId: 'open-1', caseId: 'case-1', serviceId: 'test-residence' });
const log = logOf([{ name: 'approved', caseId: 'case-1' }, { name: 'withdrawn', caseId: 'case-2', applicantId: citizenNo(7) }], [opened]);

describe('audit trail projection', () => {
  it('records every event once, numbered in delivery order, with who, when and the status before and after', () => {
    const entries = bySeq(project(projector, log));
    expect(entries.map((e) => e.id)).to.deep.equal(log.map((e) => e.metadata.eventId));
    expect(entries.map((e) => e.seq)).to.deep.equal(log.map((_e, i) => i + 1));
    const accepted = entries.find((e) => e.eventType === 'CaseAccepted')!;
    expect(accepted).to.include({
      category: 'case', caseId: 'case-1', subjectId: APPLICANT, serviceId: 'test-residence', actorKind: 'clerk', actorId: 'clerk-PSB',
      actorDepartment: 'PSB', statusBefore: 'submitted', statusAfter: 'gatheringEvidence', at: '2026-03-03T04:00:00.000Z', access: null,
    });
    expect(accepted.actorRoles).to.deep.equal(['intake', 'reviewer', 'approver']);
    expect(entries[0]).to.include({ eventType: 'ApplicationDrafted', statusBefore: null, statusAfter: 'draft', actorKind: 'citizen', actorId: APPLICANT });
    const withdrawn = entries.find((e) => e.eventType === 'CaseWithdrawn')!;
    expect(withdrawn).to.include({ caseId: 'case-2', subjectId: citizenNo(7), statusBefore: 'submitted', statusAfter: 'withdrawn' });
  });

  it('records evidence fetched as a data access by the lead department, with field names only', () => {
    const received = bySeq(project(projector, log)).find((e) => e.eventType === 'EvidenceReceived')!;
    expect(received.access).to.deep.equal({
      department: 'PSB', holder: 'PSB', caseId: 'case-1', serviceId: 'test-residence', purpose: 'evidence for the application',
      legalBasis: 'Regulations on Household Registration', dataItem: 'household-registration', fields: ['address', 'citizenId', 'name'],
      channel: 'evidence', result: 'granted',
    });
    expect(JSON.stringify(received)).not.to.include('张三');
  });

  it('records DataAccessed as a data access of its subject', () => {
    const access = bySeq(project(projector, log)).find((e) => e.eventType === 'DataAccessed')!;
    expect(access).to.include({ category: 'data-access', subjectId: APPLICANT, caseId: 'case-1', serviceId: 'test-residence', statusBefore: null, actorDepartment: 'PSB' });
    expect(access.access).to.include({ department: 'PSB', purpose: 'handling the application', channel: 'case-view', result: 'granted' });
    expect(access.access!.fields).to.deep.equal(['applicant.name', 'applicant.address']);
  });

  it('chains the entries so the trail verifies against its head', () => {
    const store = project(projector, log);
    const head = store.read(AUDIT_HEAD, HEAD_ID) as unknown as AuditHead;
    expect(head).to.include({ seq: log.length, lastId: log.at(-1)!.metadata.eventId });
    expect(verifyChain(bySeq(store) as unknown as Array<Record<string, unknown>>, { head })).to.deep.equal({ ok: true, checked: log.length });
  });

  it('given events delivered again, adds nothing to the chain', () => {
    const store = project(projector, log);
    const before = store.snapshot();
    applyBatch(projector, store, log.slice(3, 9));
    applyBatch(projector, store, [log.at(-1)!]);
    expect(store.snapshot()).to.deep.equal(before);
  });

  it('given a stored entry altered, deleted or cut off, verification names the first broken link', () => {
    const store = project(projector, log);
    const head = store.read(AUDIT_HEAD, HEAD_ID) as unknown as AuditHead;
    const entries = bySeq(store) as unknown as Array<Record<string, unknown>>;
    const altered = entries.map((e, i) => (i === 4 ? { ...e, actorId: 'clerk-OTHER' } : e));
    expect(verifyChain(altered, { head }).firstBroken).to.deep.equal({ seq: 5, id: entries[4]!.id, reason: 'hash does not match the entry content' });
    const deleted = entries.filter((_e, i) => i !== 6);
    expect(verifyChain(deleted, { head }).firstBroken).to.deep.equal({ seq: 8, id: entries[7]!.id, reason: 'entries 7..7 are missing' });
    expect(verifyChain(entries.slice(0, -1), { head }).firstBroken).to.include({ id: 'head', seq: log.length });
  });
});
