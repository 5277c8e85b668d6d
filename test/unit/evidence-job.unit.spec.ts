import { expect } from 'chai';
import { evidenceJobId, evidenceQueueFor, evidenceRequestKey, outcomeCommandId, parseEvidenceJob, requestOf } from '../../adapters/evidence/index.ts';
import { PermanentJobError } from '../../domain/ports/queue.ts';
import { REQUEST_KEY_PATTERN } from '../../adapters/evidence/index.ts';

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

  describe('request keys (one per evidence request, across every retry)', () => {
    it('given one job asked twice, then both requests carry the same key, derived from case, material and item', () => {
      const job = parseEvidenceJob(payload);
      expect(requestOf(job).requestKey).to.equal('ev-c-1-household.household-registration');
      expect(requestOf(parseEvidenceJob(payload)).requestKey).to.equal(requestOf(job).requestKey);
    });

    it('given another case, material or item, or a cross-check of the same request, then the key differs', () => {
      const keys = [payload, { ...payload, caseId: 'c-2' }, { ...payload, materialId: 'other' }, { ...payload, dataItem: 'property' }].map((p) => evidenceRequestKey(p));
      keys.push(evidenceRequestKey(payload, 'cross-check'));
      expect(new Set(keys).size).to.equal(5);
      expect(evidenceRequestKey({ ...payload, caseId: 'c'.repeat(190) }, 'cross-check')).to.match(REQUEST_KEY_PATTERN);
    });

    it('given ids a gateway would refuse as a key (too long, odd characters), then the key is a hash that it accepts, and distinct ids stay distinct', () => {
      const long = evidenceRequestKey({ ...payload, caseId: 'c'.repeat(300) });
      const odd = evidenceRequestKey({ ...payload, materialId: '证明 1' });
      const odd2 = evidenceRequestKey({ ...payload, materialId: '证明_1' });
      for (const key of [long, odd, odd2]) expect(key).to.match(REQUEST_KEY_PATTERN);
      expect(odd).to.not.equal(odd2);
    });
  });
});
