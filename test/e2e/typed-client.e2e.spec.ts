import { expect } from 'chai';
import { createErrandClient, type ErrandClient } from '../../api/client/index.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF demo photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

describe('The typed client generated from the OpenAPI document, and actions beside allowed (PostgreSQL, Redis)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let citizen: ErrandClient;
  let clerk: ErrandClient;
  let citizenToken: string;
  /** method + path template of every operation that issues a case command, read from the published document. */
  let commandRoutes: Map<string, { method: string; path: string }>;

  before(async () => {
    errand = await startErrand('typed-client');
    citizenToken = await errand.signIn('citizen-instant-approval');
    citizen = createErrandClient({ baseUrl: `${errand.baseUrl}/api/v1`, token: citizenToken });
    clerk = createErrandClient({ baseUrl: `${errand.baseUrl}/api/v1`, token: await errand.signIn('clerk-psb') });
    const document = (await errand.openapi()) as { paths: Record<string, Record<string, { 'x-command'?: string }>> };
    commandRoutes = new Map();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-command']) commandRoutes.set(operation['x-command'], { method: method.toUpperCase(), path });
      }
    }
  });
  after(async () => errand?.stop());

  const expectActionsMatch = (caseId: string, allowed: readonly string[], actions: ReadonlyArray<{ command: string; method: string; href: string }>) => {
    expect(actions.map((a) => a.command)).to.deep.equal(allowed.filter((command) => commandRoutes.has(command)));
    for (const action of actions) {
      const route = commandRoutes.get(action.command)!;
      expect(action.method).to.equal(route.method);
      expect(action.href).to.equal(`/api/v1${route.path.replace('{caseId}', caseId)}`);
    }
  };

  it('drafts, submits and reads a case through the typed client; each allowed command comes with its method and href', async () => {
    const draft = await citizen.POST('/cases', { body: { serviceId: 'residence-permit', form: FORM } });
    expect(draft.response.status, JSON.stringify(draft.error)).to.equal(201);
    const caseId = draft.data!.caseId;
    expect(draft.response.headers.get('etag')).to.equal(`"${draft.data!.revision}"`);
    expect(draft.data!.allowed).to.include('SubmitApplication');
    expectActionsMatch(caseId, draft.data!.allowed, draft.data!.actions ?? []);
    const submit = draft.data!.actions!.find((a) => a.command === 'SubmitApplication')!;
    expect(submit).to.deep.equal({ command: 'SubmitApplication', method: 'POST', href: `/api/v1/cases/${caseId}/submit` });

    expect((await errand.api(citizenToken, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    const submitted = await citizen.POST('/cases/{caseId}/submit', { params: { path: { caseId } }, body: {} });
    expect(submitted.response.status, JSON.stringify(submitted.error)).to.equal(200);

    const view = await until('the case view', async () => {
      const read = await clerk.GET('/cases/{caseId}', { params: { path: { caseId }, query: { actions: true } } });
      return read.response.status === 200 ? read : null;
    });
    expect(view.data!.caseId).to.equal(caseId);
    expect(view.data!.allowed).to.include('AcceptCase');
    expectActionsMatch(caseId, view.data!.allowed!, view.data!.actions ?? []);

    const etag = view.response.headers.get('etag')!;
    expect(etag).to.equal(`"${view.data!.revision}"`);
    const unchanged = await clerk.GET('/cases/{caseId}', { params: { path: { caseId }, header: { 'If-None-Match': etag } } });
    expect(unchanged.response.status).to.equal(304);
  });

  it('a 409 wrong-state problem names the state, the allowed commands and how to send each', async () => {
    const draft = await citizen.POST('/cases', { body: { serviceId: 'residence-permit', form: FORM } });
    const caseId = draft.data!.caseId;
    const refused = await citizen.POST('/cases/{caseId}/supplement', { params: { path: { caseId } }, body: {} });
    expect(refused.response.status, JSON.stringify(refused.error)).to.equal(409);
    const problem = refused.error as { state?: string; allowedCommands?: string[]; actions?: Array<{ command: string; method: string; href: string }> };
    expect(problem.state).to.equal('draft');
    expect(problem.allowedCommands).to.include('SubmitApplication');
    expectActionsMatch(caseId, problem.allowedCommands ?? [], problem.actions ?? []);
  });
});
