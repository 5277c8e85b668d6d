import { expect } from 'chai';
import { accessStream } from '../../domain/access/events.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { createViews } from '../../api/routes/views.ts';

type Json = Record<string, unknown>;

describe('a service change tested against real history before it is published: the dry run over HTTP', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let admin: string;
  let reviewer: string;
  const cases: Record<string, string> = {};
  const revisions: Record<string, unknown> = {};

  before(async () => {
    errand = await startErrand('dry-run');
    admin = await errand.signIn('admin');
    reviewer = await errand.signIn('admin-reviewer');
    // History: one enterprise approved by rule (秒批), one withheld for a clerk (its sources disagree).
    for (const who of ['citizen-enterprise-active', 'citizen-enterprise-status-conflict']) {
      const token = await errand.signIn(who);
      const draft = await errand.api(token, 'POST', '/cases', { serviceId: 'tax-clearance-certificate', form: { purpose: '招投标' } });
      cases[who] = String(draft.body.caseId);
      expect((await errand.api(token, 'POST', `/cases/${cases[who]}/submit`, {})).status).to.equal(200);
    }
    const tax = await errand.signIn('clerk-tax');
    await until('the rule decided the clean case and withheld the other', async () => {
      const clean = (await errand.api(tax, 'GET', `/cases/${cases['citizen-enterprise-active']}`)).body;
      const doubtful = (await errand.api(tax, 'GET', `/cases/${cases['citizen-enterprise-status-conflict']}`)).body;
      return clean.status === 'closed' && doubtful.instantApproval !== null ? true : null;
    }, 60_000);
    // The dry run finds a service's cases through the case view, which follows the log by its projection's lag.
    const views = createViews(errand.engine.stores.readStore);
    await until('both cases in the case view', async () => ((await views.find('caseView', { where: { serviceId: 'tax-clearance-certificate' } })).total === 2 ? true : null));
  });
  after(async () => errand?.stop());

  const caseRevisions = async () => {
    const tax = await errand.signIn('clerk-tax');
    const out: Record<string, unknown> = {};
    for (const [who, caseId] of Object.entries(cases)) out[who] = (await errand.api(tax, 'GET', `/cases/${caseId}`)).headers.get('etag');
    return out;
  };

  it('finds the differences a stricter rule, a shorter promise and a new key material would have made, writes nothing to the cases, and unlocks publication of that very draft', async () => {
    Object.assign(revisions, await caseRevisions());
    const current = (await errand.api(null, 'GET', '/services/tax-clearance-certificate')).body as Json & { version: number; limits: Json; materials: Json[]; instantApproval: { conditions: Json[] } };
    const draft = {
      ...current,
      version: current.version + 1,
      limits: { ...current.limits, statutoryDays: 3 },
      materials: [...current.materials, { id: 'bank-statement', kind: 'upload', name: { 'zh-CN': '银行流水', en: 'Bank statement' }, key: true, mediaTypes: ['application/pdf'], maxBytes: 1_000_000 }],
      // A rule no history passes: every approval by rule would have gone to a clerk.
      instantApproval: { conditions: [...current.instantApproval.conditions, { material: 'tax-record', field: 'arrearsAmount', op: 'lt', value: -1 }] },
    };
    const path = `/admin/catalogue/services/tax-clearance-certificate/versions/${draft.version}`;
    expect((await errand.api(admin, 'PUT', '/admin/catalogue/services/tax-clearance-certificate/draft', draft)).status).to.equal(200);
    expect((await errand.api(admin, 'GET', `${path}/dry-run`)).status).to.equal(404);

    const run = await errand.api(admin, 'POST', `${path}/dry-run`, { months: 6 });
    expect(run.status, JSON.stringify(run.body)).to.equal(200);
    const totals = run.body.totals as Json;
    expect(totals).to.deep.include({ cases: 2, changed: 2, unreadable: 0, missingMaterials: 2, deadlinesMoved: 2, departmentsChanged: 0 });
    expect(totals.instantApproval).to.deep.equal({ wouldApprove: 0, wouldWithhold: 1 });
    const clean = (run.body.cases as Array<{ caseId: string; differences: Json[] }>).find((c) => c.caseId === cases['citizen-enterprise-active'])!;
    expect(clean.differences).to.deep.include({ kind: 'missing-materials', materials: [{ materialId: 'bank-statement', key: true }] });
    const instant = clean.differences.find((d) => d.kind === 'instant-approval')!;
    expect(instant).to.include({ was: 'approved', would: 'withhold' });
    expect(String((instant.reasons as string[])[0])).to.match(/arrearsAmount/);
    const statutory = clean.differences.find((d) => d.kind === 'deadline' && d.limit === 'statutory')!;
    expect(String(statutory.would) < String(statutory.was)).to.equal(true);
    // The withheld case would still go to a clerk: no instant-approval difference for it.
    const doubtful = (run.body.cases as Array<{ caseId: string; differences: Json[] }>).find((c) => c.caseId === cases['citizen-enterprise-status-conflict'])!;
    expect(doubtful.differences.map((d) => d.kind)).to.not.include('instant-approval');

    expect(await caseRevisions(), 'a dry run writes nothing to any case').to.deep.equal(revisions);
    // What the draft's rule made of each listed case's evidence was shown to the administrator: a use of each
    // applicant's data, on their log like any other reading (else a rule asking about one person would read them unseen).
    const store = errand.engine.stores.eventStore;
    for (const caseId of Object.values(cases)) {
      const applicantId = String((await errand.api(await errand.signIn('clerk-tax'), 'GET', `/cases/${caseId}`)).body.applicantId);
      const uses = (await store.readStream(accessStream(store.subjectRef(applicantId)))).filter((e) => e.type === 'DataAccessed' && e.data.channel === 'catalogue-dry-run');
      expect(uses.map((e) => ({ caseId: e.data.caseId, accessor: (e.data.accessor as Json).kind })), caseId).to.deep.equal([{ caseId, accessor: 'admin' }]);
    }
    expect((await errand.api(admin, 'GET', `${path}/dry-run`)).body.totals).to.deep.equal(totals);

    expect((await errand.api(reviewer, 'POST', `${path}/approve`, {})).status).to.equal(200);
    const published = await errand.api(admin, 'POST', `${path}/publish`, {});
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    const trail = ((await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=service&id=tax-clearance-certificate')).body.items as Json[]).map((a) => a.action);
    expect(trail).to.deep.equal(['draft-saved', 'dry-run', 'approved', 'published']);
    expect((await errand.api(admin, 'POST', `${path}/dry-run`, {})).status, 'a published version is not dry-run').to.equal(409);
  });

  it('a draft edited after its dry run cannot be published on the old run', async () => {
    const current = (await errand.api(null, 'GET', '/services/residence-permit')).body as Json & { version: number; legalBasis: string };
    const path = `/admin/catalogue/services/residence-permit/versions/${current.version + 1}`;
    const draft = { ...current, version: current.version + 1 };
    await errand.api(admin, 'PUT', '/admin/catalogue/services/residence-permit/draft', draft);
    const run = await errand.api(admin, 'POST', `${path}/dry-run`, {});
    expect(run.status).to.equal(200);
    expect(run.body.totals).to.include({ changed: 0 });
    await errand.api(admin, 'PUT', '/admin/catalogue/services/residence-permit/draft', { ...draft, legalBasis: `${current.legalBasis} (amended)` });
    await errand.api(reviewer, 'POST', `${path}/approve`, {});
    const refused = await errand.api(admin, 'POST', `${path}/publish`, {});
    expect(refused.status).to.equal(409);
    expect(refused.body.reason).to.equal('dry-run-required');
  });
});
