import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { generateSigningKey } from '../../adapters/jose/index.ts';
import { evidenceJobId } from '../../adapters/evidence/index.ts';
import { enqueueEvidenceJob, type EvidenceOutcome } from '../../adapters/evidence/index.ts';
import { createGatewayApp } from '../../adapters/gateway/index.ts';
import { listen, type Listening } from '../../adapters/gateway/index.ts';
import { shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { eventually, openEvidenceWorld } from './evidence-worker-fixture.ts';
import { freePort } from '../support/free-port.ts';

describe('evidence worker when a department gateway is down', function () {
  this.timeout(60_000);
  let world: Awaited<ReturnType<typeof openEvidenceWorld>>;
  const seen: Array<{ jobId: string; outcome: EvidenceOutcome }> = [];
  let port: number;
  const psbKey = generateSigningKey('psb-late');
  let late: Listening | undefined;

  before(async () => {
    world = await openEvidenceWorld('evidence_down');
    port = await freePort();
    const psb = createHttpGatewayProvider({ department: 'PSB', baseUrl: `http://127.0.0.1:${port}`, signer: world.signer, gatewayKeys: { [psbKey.kid]: psbKey.publicKey }, timeoutMs: 1000 });
    world.startWorker({ router: world.routerWith({ PSB: psb }), attempts: 4, backoffMs: 100, onOutcome: (o) => seen.push(o) });
  });
  after(async () => {
    await late?.close();
    await world?.close();
  });

  const outcomesOf = (jobId: string) => seen.filter((s) => s.jobId === jobId).map((s) => s.outcome);

  it('given PSB unreachable on every attempt, when the job runs, then it is retried and the case records provider_down once', async () => {
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId('instant-approval'));
    for (const job of jobs) await enqueueEvidenceJob(world.queue, job, { attempts: 4, backoffMs: 100 });
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => !!o['household-registration'] && !!o.property, 'provider_down');
    expect(outcomes['household-registration']!.map((e) => [e.type, e.data.reason])).to.deep.equal([['EvidenceUnavailable', 'provider_down']]);
    expect(String(outcomes['household-registration']![0]!.data.detail)).to.contain('after 4 attempt(s)');
    expect(outcomesOf(evidenceJobId(caseId, 'household-registration'))).to.deep.equal(['retry', 'retry', 'retry', 'provider_down']);
    // Other departments were not held up by PSB's outage.
    expect(outcomes.property?.[0]?.type).to.equal('EvidenceReceived');
  });

  it('given PSB down at first and back before the retries run out, when the job runs, then the evidence arrives', async () => {
    const caseId = randomUUID();
    const jobs = await world.cases.openCase(caseId, subjectId('address-conflict'));
    const household = jobs.find((j) => j.materialId === 'household-registration')!;
    const jobId = evidenceJobId(caseId, 'household-registration');
    await enqueueEvidenceJob(world.queue, household, { attempts: 4, backoffMs: 100 });
    await eventually(async () => outcomesOf(jobId), (o) => o.includes('retry'), 'a failed first attempt');
    late = await listen(
      createGatewayApp({ department: 'PSB', catalogue: shippedCatalogue(), library: world.library, platformPublicKeys: world.signer.jwks(), gatewaySigningKey: psbKey }),
      port,
    );
    const outcomes = await eventually(() => world.cases.outcomes(caseId), (o) => !!o['household-registration'], 'the evidence after recovery');
    expect(outcomes['household-registration']!.map((e) => e.type)).to.deep.equal(['EvidenceReceived']);
    expect(outcomesOf(jobId).at(-1)).to.equal('found');
  });
});
