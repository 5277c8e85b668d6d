import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { checkpointKey, createProjectionRunner, type ProjectionRunner } from '../../projections/index.ts';
import { createMemoryEventStore, type MemoryEventStore } from './projection-runner-event-store.ts';
import { caseEvent, caseProjector, collectingLogger, eventually } from './projection-runner-fixtures.ts';

describe('projection runner under leases (acquire, release, fencing)', () => {
  let events: MemoryEventStore;
  let readStore: ReadStore;
  let runners: ProjectionRunner[];

  const runner = () => {
    const created = createProjectionRunner({ eventStore: events, readStore, projectors: [caseProjector()], logger: collectingLogger(), idleMs: 2, retryDelayMs: 5, dropDelayMs: 0 });
    runners.push(created);
    return created;
  };
  const submit = (caseId: string, stream = `case-${caseId}`) => events.append(stream, [caseEvent('CaseSubmitted', caseId, 'PSB')], { expectedRevision: 'no_stream' });
  const head = () => events.events.at(-1)!.checkpoint;
  const stored = () => readStore.getCheckpoint(checkpointKey('case-summary', 1));

  beforeEach(() => {
    events = createMemoryEventStore();
    readStore = createMemoryReadStore();
    runners = [];
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
  });

  it('given a runner that acquired a projection, then it raised the fence to its token and projects as start() would', async () => {
    await submit('c1');
    const r = runner();
    expect(r.names()).to.deep.equal(['case-summary']);
    await r.acquire('case-summary', 7);
    expect(await readStore.getFence('case-summary')).to.equal(7);
    await eventually(async () => expect(await readStore.get('cases_v1', 'c1')).to.include({ status: 'submitted' }));
    expect((await r.status())[0]).to.include({ active: true, state: 'running' });
  });

  it('given a newer holder raised the fence, when the old holder gets a batch, then its write is refused and nothing of it lands', async () => {
    await submit('c1');
    const old = runner();
    await old.acquire('case-summary', 1);
    await eventually(async () => expect(await stored()).to.deep.equal(head()));
    // The lease moved without the old holder noticing: only the fence stands between it and the store.
    await readStore.raiseFence('case-summary', 2);
    await submit('c2');
    await eventually(async () => {
      const [status] = await old.status();
      expect(status!.state).to.equal('failed');
      expect(status!.lastError).to.match(/fencing token 1 is older than the stored 2/);
    });
    expect(await readStore.get('cases_v1', 'c2')).to.equal(null);
    expect(formatCheckpoint((await stored())!)).to.not.equal(formatCheckpoint(head()));

    const next = runner();
    await next.acquire('case-summary', 2);
    await eventually(async () => expect(await readStore.get('cases_v1', 'c2')).to.include({ status: 'submitted' }));
    expect(await stored()).to.deep.equal(head());
  });

  it('given a runner that releases a projection, then it writes nothing more, and another takes over from its checkpoint', async () => {
    await submit('c1');
    const first = runner();
    await first.acquire('case-summary', 1);
    await eventually(async () => expect(await stored()).to.deep.equal(head()));
    await first.release('case-summary');
    expect((await first.status())[0]).to.include({ active: false, state: 'stopped' });
    await submit('c2');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await readStore.get('cases_v1', 'c2')).to.equal(null);

    const second = runner();
    await second.acquire('case-summary', 2);
    await eventually(async () => expect(await readStore.get('cases_v1', 'c2')).to.include({ status: 'submitted' }));
    expect(await readStore.get('dept_stats_v1', 'PSB')).to.deep.equal({ id: 'PSB', cases: { c1: 'submitted', c2: 'submitted' }, open: 2 });
  });

  it('given a token older than the stored fence, then acquire() refuses to start', async () => {
    await readStore.raiseFence('case-summary', 5);
    const r = runner();
    let caught: unknown;
    try {
      await r.acquire('case-summary', 4);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error);
    expect((await r.status())[0]).to.include({ active: false });
  });
});
