import { expect } from 'chai';
import { createDemoLegalEntityRegistry, type LegalEntityRegistry } from '../../adapters/legal-entities/index.ts';
import { localDate } from '../../domain/calendar/index.ts';
import { SimulatedClock } from '../../domain/time/clock.ts';
import { demoLibrary, startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
const DAY_MS = 24 * 3600 * 1000;
const subjectId = (key: string) => demoLibrary().subjects.find((s) => s.key === key)!.subject.id;
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The legal-entity base data of the demo library, with the representative of an enterprise changeable while the engine
 * runs: as when the registration authority records a new 法定代表人 after a case was drafted.
 */
function changeableLegalEntities(): LegalEntityRegistry & { nameRepresentative(creditCode: string, personId: string): void } {
  const base = createDemoLegalEntityRegistry(demoLibrary());
  const changed = new Map<string, string>();
  return {
    name: base.name,
    async lookup(creditCode) {
      const record = await base.lookup(creditCode);
      const representative = changed.get(creditCode);
      return record && representative ? { ...record, legalRepresentativeId: representative } : record;
    },
    nameRepresentative: (creditCode, personId) => void changed.set(creditCode, personId),
  };
}

/**
 * README, Agents: "an agent's command on a case is refused with 403 once its authorisation is revoked or ended, or the
 * base data no longer names it the legal representative". Revocation is covered in agents.e2e.spec.ts; here, the
 * authorisation's last day passing and the base data naming another representative, on cases the agent drafted.
 */
describe('agents over HTTP: an authorisation that ended, or a legal representative the base data no longer names, leaves existing cases to the applicant (real PostgreSQL, Redis; simulated clock)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  const clock = new SimulatedClock(new Date());
  const legalEntities = changeableLegalEntities();

  const view = (token: string, caseId: string, predicate: (v: Json) => boolean, what: string) =>
    until(what, async () => {
      const response = await errand.api(token, 'GET', `/cases/${caseId}`);
      return response.status === 200 && predicate(response.body) ? response.body : null;
    }, 90_000);

  /** Each command is a 403 problem naming why, and the case stays at the revision and status it had. */
  async function refusedAndNothingRecorded(token: string, applicant: string, caseId: string, commands: ReadonlyArray<readonly [string, string, unknown]>, why: string) {
    const before = (await errand.api(applicant, 'GET', `/cases/${caseId}`)).body;
    for (const [method, path, body] of commands) {
      const refused = await errand.api(token, method, path, body);
      expect(refused.status, `${method} ${path}: ${JSON.stringify(refused.body)}`).to.equal(403);
      expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(refused.body.type).to.equal('urn:errand:problem:command-forbidden');
      expect(String(refused.body.detail)).to.include('you no longer act for the applicant').and.include(why);
    }
    const after = (await errand.api(applicant, 'GET', `/cases/${caseId}`)).body;
    expect(after.revision, 'nothing recorded').to.equal(before.revision);
    expect(after.status).to.equal(before.status);
    // Still shown the case, but offered nothing to do on it.
    const shown = await errand.api(token, 'GET', `/cases/${caseId}?actions=true`);
    expect(shown.status).to.equal(200);
    expect(shown.body.allowed).to.deep.equal([]);
  }

  before(async () => {
    errand = await startErrand('agents-standing', { clock, legalEntities });
  });
  after(async () => errand?.stop());

  it('an authorisation valid until day D: the agent drafts, edits, submits on day D; the day after, its form edit, submit, withdrawal and payment are 403 and nothing is recorded; the grantor still acts', async () => {
    const grantor = await errand.signIn('citizen-instant-approval');
    const agent = await errand.signIn('citizen-parent-with-child');
    const today = localDate(clock.now(), errand.engine.config.timeZone);
    const lastDay = plusDays(today, 2);
    const granted = await errand.api(grantor, 'POST', '/me/authorisations', { agentId: subjectId('parent-with-child'), serviceIds: ['household-certificate'], validUntil: lastDay }, { 'Idempotency-Key': 'auth-ends' });
    expect(granted.status, JSON.stringify(granted.body)).to.equal(201);
    const authorisationId = String(granted.body.authorisationId);
    const onBehalfOf = { type: 'person', id: subjectId('instant-approval'), basis: 'authorisation', authorisationId };
    const draft = async () => {
      const created = await errand.api(agent, 'POST', '/cases', { serviceId: 'household-certificate', form: { purpose: '入学', copies: 1 }, onBehalfOf });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return String(created.body.caseId);
    };
    const drafted = await draft();
    const toPay = await draft();

    // Day D, the last day: the authorisation still holds.
    clock.advance(2 * DAY_MS);
    expect(localDate(clock.now(), errand.engine.config.timeZone)).to.equal(lastDay);
    expect((await errand.api(agent, 'PUT', `/cases/${drafted}/form`, { form: { purpose: '入学', copies: 2 } })).status).to.equal(200);
    expect((await errand.api(agent, 'POST', `/cases/${toPay}/submit`, {})).status).to.equal(200);
    await view(grantor, toPay, (v) => v.status === 'awaitingPayment', 'the wait for payment');

    // The day after D: the authorisation has ended.
    clock.advance(DAY_MS);
    const ended = `valid from ${today} to ${lastDay}`;
    await refusedAndNothingRecorded(agent, grantor, drafted, [
      ['PUT', `/cases/${drafted}/form`, { form: { purpose: '入学', copies: 3 } }],
      ['POST', `/cases/${drafted}/submit`, {}],
      ['POST', `/cases/${drafted}/withdraw`, {}],
    ], ended);
    expect((await errand.api(grantor, 'GET', `/cases/${drafted}`)).body.status).to.equal('draft');
    await refusedAndNothingRecorded(agent, grantor, toPay, [['POST', `/cases/${toPay}/payment`, {}]], ended);
    expect((await errand.api(grantor, 'GET', `/cases/${toPay}`)).body.status).to.equal('awaitingPayment');

    // The applicant is not bound by the agent's authorisation ending.
    expect((await errand.api(grantor, 'POST', `/cases/${drafted}/submit`, {})).status).to.equal(200);
    const paid = await errand.api(grantor, 'POST', `/cases/${toPay}/payment`, {});
    expect(paid.status, JSON.stringify(paid.body)).to.equal(200);
  });

  it('a legal representative drafts for the company; the base data then names someone else: the former representative\'s form edit, submit and withdrawal are 403 and nothing is recorded; the company still acts', async () => {
    const enterprise = subjectId('enterprise-active');
    const representative = await errand.signIn('citizen-legal-representative');
    const company = await errand.signIn('citizen-enterprise-active');
    const drafted = await errand.api(representative, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' }, onBehalfOf: { type: 'enterprise', id: enterprise, basis: 'legalRepresentative' } });
    expect(drafted.status, JSON.stringify(drafted.body)).to.equal(201);
    const caseId = String(drafted.body.caseId);
    // While the base data names them, the representative edits the draft.
    expect((await errand.api(representative, 'PUT', `/cases/${caseId}/form`, { form: { purpose: '投标' } })).status).to.equal(200);

    legalEntities.nameRepresentative(enterprise, subjectId('homeowner'));
    await refusedAndNothingRecorded(representative, company, caseId, [
      ['PUT', `/cases/${caseId}/form`, { form: { purpose: '招投标' } }],
      ['POST', `/cases/${caseId}/submit`, {}],
      ['POST', `/cases/${caseId}/withdraw`, {}],
    ], `does not name the applicant as the legal representative of ${enterprise}`);
    expect((await errand.api(company, 'GET', `/cases/${caseId}`)).body.status).to.equal('draft');

    expect((await errand.api(company, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
  });
});
