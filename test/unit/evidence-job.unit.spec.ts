import { expect } from 'chai';
import { evidenceJobId, evidenceQueueFor, outcomeCommandId, parseEvidenceJob } from '../../adapters/evidence/index.ts';
import { PermanentJobError } from '../../domain/ports/queue.ts';

const payload = {
  caseId: 'c-1',
  materialId: 'household',
  dataItem: 'household-registration',
  provider: 'PSB',
  fields: ['name'],
  subject: { type: 'person', id: '11010519491231002X' },
  purpose: { caseId: 'c-1', serviceId: 'svc', legalBasis: 'law' },
  requester: 'HOUSING',
};

describe('evidence jobs', () => {
  it('given a department, then its queue is evidence-<DEPT>', () => {
    expect(evidenceQueueFor('PSB')).to.equal('evidence-PSB');
    expect(() => evidenceQueueFor('psb:1')).to.throw(RangeError);
  });

  it('given a case and material, then the job id is ev-<caseId>-<materialId> without any colon, and its outcome command id ends in -r', () => {
    expect(evidenceJobId('c-1', 'household')).to.equal('ev-c-1-household');
    expect(evidenceJobId('a:b', 'm')).to.not.contain(':');
    expect(outcomeCommandId('ev-c-1-household')).to.equal('ev-c-1-household-r');
  });

  it('given a complete payload, when parsed, then it is returned as a job', () => {
    expect(parseEvidenceJob(payload)).to.deep.equal(payload);
  });

  it('given a payload missing its purpose and fields, when parsed, then it fails permanently naming both', () => {
    const broken = { ...payload, fields: [], purpose: { caseId: 'c-1' } };
    expect(() => parseEvidenceJob(broken)).to.throw(PermanentJobError, /fields, purpose/);
  });
});
