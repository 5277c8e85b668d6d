import { expect } from 'chai';
import { addYears, caseOfEvidenceScope, caseRecordFacts, evidenceScope, isCaseRecordsScope, retentionDue } from '../../domain/privacy/retention.ts';

const SCHEDULE = { caseRecordsYears: 3, legalBasis: 'PIPL art. 47', evidenceAfterClosureDays: 30 };
const SCOPE = 'case-c1';
const e = (type: string, data: Record<string, unknown> = {}) => ({ type, data });
const drafted = e('ApplicationDrafted', { serviceId: 'residence-permit', serviceVersion: 1 });

describe('privacy: retention rules', () => {
  it('given an open case, then nothing is due however late it is', () => {
    expect(retentionDue(caseRecordFacts([drafted, e('CaseAccepted')]), SCHEDULE, '2099-01-01', SCOPE)).to.deep.equal([]);
  });

  it('given a case closed on 2026-03-02, then its evidence expires 30 days later and its records three years later, each naming the rule', () => {
    const facts = caseRecordFacts([drafted, e('CaseApproved', { decidedOn: '2026-03-01' }), e('CaseClosed', { closedOn: '2026-03-02' })]);
    expect(facts.closedOn).to.equal('2026-03-02');
    const day29 = retentionDue(facts, SCHEDULE, '2026-03-31', SCOPE);
    expect(day29.map((v) => [v.part, v.expiresOn, v.due])).to.deep.equal([['evidence', '2026-04-01', false], ['case-records', '2029-03-02', false]]);
    const day30 = retentionDue(facts, SCHEDULE, '2026-04-01', SCOPE);
    expect(day30.find((v) => v.part === 'evidence')!.due).to.equal(true);
    expect(day30.find((v) => v.part === 'evidence')!.rule).to.equal('residence-permit v1: fetched evidence kept 30 day(s) after closure; PIPL art. 47');
    expect(retentionDue(facts, SCHEDULE, '2029-03-02', SCOPE).every((v) => v.due)).to.equal(true);
    expect(retentionDue(facts, SCHEDULE, '2029-03-02', SCOPE).find((v) => v.part === 'case-records')!.rule).to.include('case records kept 3 year(s) after closure');
  });

  it('given a withdrawal, a denial or a refusal at intake, then the case counts as ended on that date', () => {
    expect(caseRecordFacts([drafted, e('CaseWithdrawn', { withdrawnOn: '2026-05-01' })]).closedOn).to.equal('2026-05-01');
    expect(caseRecordFacts([drafted, e('CaseDenied', { decidedOn: '2026-05-02' }), e('CaseClosed', { closedOn: '2026-05-09' })]).closedOn).to.equal('2026-05-02');
    expect(caseRecordFacts([drafted, e('CaseNotAccepted', { decidedOn: '2026-05-03' })]).closedOn).to.equal('2026-05-03');
  });

  it('given a legal hold, then nothing is due until every hold placed is lifted', () => {
    const closed = [drafted, e('CaseClosed', { closedOn: '2020-01-01' })];
    const hold = (id: string) => e('LegalHoldPlaced', { holdId: id, reason: 'appeal', basis: 'Administrative Reconsideration Law art. 20', placedBy: 'admin' });
    expect(retentionDue(caseRecordFacts([...closed, hold('h1'), hold('h2')]), SCHEDULE, '2030-01-01', SCOPE)).to.deep.equal([]);
    expect(retentionDue(caseRecordFacts([...closed, hold('h1'), hold('h2'), e('LegalHoldLifted', { holdId: 'h1' })]), SCHEDULE, '2030-01-01', SCOPE)).to.deep.equal([]);
    const lifted = caseRecordFacts([...closed, hold('h1'), hold('h2'), e('LegalHoldLifted', { holdId: 'h1' }), e('LegalHoldLifted', { holdId: 'h2' })]);
    expect(lifted.holds).to.deep.equal([]);
    expect(retentionDue(lifted, SCHEDULE, '2030-01-01', SCOPE).every((v) => v.due)).to.equal(true);
  });

  it('given parts already shredded, then they are not due again; shredded records take the evidence with them', () => {
    const closed = [drafted, e('CaseClosed', { closedOn: '2020-01-01' })];
    const evidenceGone = caseRecordFacts([...closed, e('SubjectKeysShredded', { scope: evidenceScope(SCOPE) })]);
    expect(retentionDue(evidenceGone, SCHEDULE, '2030-01-01', SCOPE).map((v) => v.part)).to.deep.equal(['case-records']);
    expect(retentionDue(caseRecordFacts([...closed, e('SubjectKeysShredded', { scope: SCOPE })]), SCHEDULE, '2030-01-01', SCOPE)).to.deep.equal([]);
  });

  it('given a service version with no schedule, then nothing is due (kept until erased on request)', () => {
    expect(retentionDue(caseRecordFacts([drafted, e('CaseClosed', { closedOn: '2000-01-01' })]), undefined, '2030-01-01', SCOPE)).to.deep.equal([]);
  });

  it('given 29 February, then a whole number of years later is 1 March in a common year', () => {
    expect(addYears('2028-02-29', 1)).to.equal('2029-03-01');
    expect(addYears('2028-02-29', 4)).to.equal('2032-02-29');
  });

  describe('scopes', () => {
    it('given a case scope, when its evidence scope is named, then it leads back to the case, and no other scope does', () => {
      expect(caseOfEvidenceScope(evidenceScope('case-a1'))).to.equal('case-a1');
      expect(caseOfEvidenceScope('case-a1')).to.equal(null);
      expect(caseOfEvidenceScope('access-sr1#evidence')).to.equal(null);
    });

    it('given scopes of each kind, then only a case\'s records scope counts as one', () => {
      expect(isCaseRecordsScope('case-a1')).to.equal(true);
      expect(isCaseRecordsScope(evidenceScope('case-a1'))).to.equal(false);
      expect(isCaseRecordsScope('access-sr1')).to.equal(false);
    });
  });
});
