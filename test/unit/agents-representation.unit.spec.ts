import { expect } from 'chai';
import { foldAuthorisation, representationProblems, type Authorisation, type OnBehalfOf } from '../../domain/agents/representation.ts';
import { authorize } from '../../domain/case/authorization.ts';
import { emptyCase as emptyCaseOf } from '../../workflows/index.ts';
import { ENTERPRISE, OTHER_CITIZEN, APPLICANT, JOINT, SINGLE, citizen, when } from '../support/case-fixtures.ts';

const AGENT = OTHER_CITIZEN;
const today = '2026-03-02';
const byRepresentative: OnBehalfOf = { type: 'enterprise', id: ENTERPRISE, basis: 'legalRepresentative' };
const record = (legalRepresentativeId = AGENT, status = 'active') => ({ kind: 'legalRepresentative' as const, record: { creditCode: ENTERPRISE, legalRepresentativeId, status, source: 'base-library' } });
const authorisation = (change: Partial<Authorisation> = {}): Authorisation => ({
  authorisationId: 'auth-1', grantor: { type: 'person', id: APPLICANT }, agentId: AGENT, serviceIds: [], validFrom: '2026-03-01', validUntil: '2026-04-01', revokedOn: null, ...change,
});
const byAuthorisation: OnBehalfOf = { type: 'person', id: APPLICANT, basis: 'authorisation', authorisationId: 'auth-1' };
const check = (on: OnBehalfOf, facts: Parameters<typeof representationProblems>[2], applicantType: 'person' | 'enterprise' = on.type) =>
  representationProblems(AGENT, on, facts, { serviceId: 'svc', applicantType, today });

describe('agents: who may apply on whose behalf (pure rules)', () => {
  it('given the base data names the agent as legal representative, then there is no problem; naming someone else, a deregistered company or no record is refused', () => {
    expect(check(byRepresentative, record())).to.deep.equal([]);
    expect(check(byRepresentative, record(APPLICANT))[0]).to.match(/does not name the applicant as the legal representative/);
    expect(check(byRepresentative, record(AGENT, 'deregistered'))[0]).to.match(/deregistered/);
    expect(check(byRepresentative, { kind: 'legalRepresentative', record: null })[0]).to.match(/no record/);
  });

  it('given facts about another enterprise than the one named, then they do not count', () => {
    const other = { kind: 'legalRepresentative' as const, record: { ...record().record, creditCode: '91440300MA5F1B2C3X' } };
    expect(check(byRepresentative, other)[0]).to.match(/no record/);
  });

  it('given a valid authorisation from the subject to this agent, then there is no problem; every way it can fail is named', () => {
    const facts = (change: Partial<Authorisation> = {}) => ({ kind: 'authorisation' as const, authorisation: authorisation(change) });
    expect(check(byAuthorisation, facts())).to.deep.equal([]);
    expect(check(byAuthorisation, facts({ agentId: APPLICANT }))).to.include('onBehalfOf.authorisationId: the authorisation names another agent');
    expect(check(byAuthorisation, facts({ grantor: { type: 'person', id: ENTERPRISE } }))[0]).to.match(/was not given by/);
    expect(check(byAuthorisation, facts({ revokedOn: '2026-03-01' }))[0]).to.match(/revoked on 2026-03-01/);
    expect(check(byAuthorisation, facts({ validUntil: '2026-03-01' }))[0]).to.match(/valid from 2026-03-01 to 2026-03-01/);
    expect(check(byAuthorisation, facts({ validFrom: '2026-03-03' }))[0]).to.match(/valid from/);
    expect(check(byAuthorisation, facts({ serviceIds: ['other'] }))[0]).to.match(/does not cover svc/);
    expect(check(byAuthorisation, facts({ authorisationId: 'auth-2' }))[0]).to.match(/no authorisation auth-1/);
    expect(check({ ...byAuthorisation, authorisationId: undefined }, facts())[0]).to.match(/named by its id/);
  });

  it('given a subject of the wrong kind for the service, acting for oneself, or a legal representative of a person, then refused', () => {
    expect(check(byRepresentative, record(), 'person')[0]).to.match(/applied for by a person/);
    expect(representationProblems(AGENT, { ...byAuthorisation, id: AGENT }, undefined, { serviceId: 'svc', applicantType: 'person', today })[0]).to.match(/themselves/);
    expect(check({ type: 'person', id: APPLICANT, basis: 'legalRepresentative' }, record())[0]).to.match(/only an enterprise/);
  });

  it('an authorisation stream folds to the grant, and a revocation after it marks it revoked', () => {
    const granted = { ...authorisation() } as Record<string, unknown>;
    delete granted.revokedOn;
    expect(foldAuthorisation([])).to.equal(null);
    expect(foldAuthorisation([{ type: 'AgentAuthorised', data: granted }])).to.deep.equal(authorisation());
    expect(foldAuthorisation([{ type: 'AgentAuthorised', data: granted }, { type: 'AgentAuthorisationRevoked', data: { authorisationId: 'auth-1', revokedOn: '2026-03-05' } }])!.revokedOn).to.equal('2026-03-05');
  });

  describe('the case', () => {
    it('given a legal representative drafting for the company, then the company is the applicant and the agent is recorded; the agent may act on the case, a stranger may not', () => {
      const drafted = when(emptyCaseOf(JOINT), { type: 'DraftApplication', actor: citizen(AGENT), serviceId: JOINT.id, form: { premises: 'x' }, onBehalfOf: byRepresentative, representation: record() });
      expect(drafted.events[0]!.data).to.deep.include({ applicant: { type: 'enterprise', id: ENTERPRISE }, agent: { id: AGENT, basis: 'legalRepresentative' } });
      expect(drafted.state.context.agent).to.deep.equal({ id: AGENT, basis: 'legalRepresentative' });
      expect(() => authorize('SubmitApplication', citizen(AGENT), JOINT, ENTERPRISE, AGENT)).to.not.throw();
      expect(() => authorize('SubmitApplication', citizen(ENTERPRISE), JOINT, ENTERPRISE, AGENT)).to.not.throw();
      expect(() => authorize('SubmitApplication', citizen(APPLICANT), JOINT, ENTERPRISE, AGENT)).to.throw(/another applicant/);
    });

    it('given facts that do not hold, then the draft is refused with the reason', () => {
      expect(() => when(emptyCaseOf(JOINT), { type: 'DraftApplication', actor: citizen(AGENT), serviceId: JOINT.id, form: { premises: 'x' }, onBehalfOf: byRepresentative, representation: record(APPLICANT) })).to.throw(/legal representative/);
      expect(() => when(emptyCaseOf(JOINT), { type: 'DraftApplication', actor: citizen(AGENT), serviceId: JOINT.id, form: { premises: 'x' }, onBehalfOf: byRepresentative })).to.throw(/no record/);
      expect(() => when(emptyCaseOf(SINGLE), { type: 'DraftApplication', actor: citizen(AGENT), serviceId: SINGLE.id, form: { address: 'x' }, onBehalfOf: { ...byAuthorisation, id: 'not-an-id' } })).to.throw(/onBehalfOf.id/);
    });
  });
});
