import { expect } from 'chai';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import { formatCheckpoint } from '../../domain/events/index.ts';
import { createProjectionRunner, readProjectionMeta, statusKey } from '../../projections/index.ts';
import { progressLine, runProjectionsCommand, type CliDeps } from '../../scripts/projections.ts';
import { createMemoryEventStore, type MemoryEventStore } from './projection-runner-event-store.ts';
import { caseEvent, caseProjector, eventually } from './projection-runner-fixtures.ts';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

describe('projections command', () => {
  let events: MemoryEventStore;
  let readStore: ReadStore;
  let stdout: ReturnType<typeof sink>;
  let stderr: ReturnType<typeof sink>;
  const deps = (): CliDeps => ({ eventStore: events, readStore, projectors: [caseProjector()], stdout, stderr });

  beforeEach(async () => {
    events = createMemoryEventStore();
    readStore = createMemoryReadStore();
    stdout = sink();
    stderr = sink();
    for (let i = 0; i < 5; i++) await events.append(`case-${i}`, [caseEvent('CaseSubmitted', `c${i}`, 'health')], { expectedRevision: 'no_stream' });
  });

  it('given a served projection, when "rebuild <name>" runs, then it reports progress on stderr and the new version serves', async () => {
    const serving = createProjectionRunner({ eventStore: events, readStore, projectors: [caseProjector()], idleMs: 2 });
    await serving.start();
    await eventually(async () => expect((await serving.status())[0]!.checkpoint).to.equal(formatCheckpoint(events.events.at(-1)!.checkpoint)));
    await serving.stop();

    const code = await runProjectionsCommand(['rebuild', 'case-summary'], deps());
    expect(code).to.equal(0);
    expect(stderr.text()).to.match(/case-summary v2 \[#+\] 100\.0%\s+5 events\s+position 5\/5\s+done/);
    expect(stdout.text()).to.contain('rebuilt case-summary: version 2 now serves (was v1), 5 events, checkpoint 5/5');
    expect((await readProjectionMeta(readStore, 'case-summary'))?.activeVersion).to.equal(2);
  });

  it('given a worker that runs the projection (it reported a second ago), when "rebuild <name>" runs, then it refuses (exit 2), names the worker and the API to ask, and changes nothing; once the worker has been quiet for a minute it rebuilds', async () => {
    const serving = createProjectionRunner({ eventStore: events, readStore, projectors: [caseProjector()], idleMs: 2 });
    await serving.start();
    await eventually(async () => expect((await serving.status())[0]!.checkpoint).to.equal(formatCheckpoint(events.events.at(-1)!.checkpoint)));
    await serving.stop();
    const reportedAt = Date.parse('2026-12-04T10:00:00.000Z');
    await readStore.setMeta(statusKey('case-summary'), { name: 'case-summary', worker: 'worker-host:7', reportedAt: new Date(reportedAt).toISOString() });
    const code = await runProjectionsCommand(['rebuild', 'case-summary'], { ...deps(), now: () => reportedAt + 1_000 });
    expect(code).to.equal(2);
    expect(stderr.text()).to.contain('projection case-summary is run by worker worker-host:7 (it reported 1 s ago)');
    expect(stderr.text()).to.contain('POST /api/v1/admin/projections/case-summary/rebuild');
    expect((await readProjectionMeta(readStore, 'case-summary'))?.activeVersion).to.equal(1);
    expect(await runProjectionsCommand(['rebuild', 'case-summary'], { ...deps(), now: () => reportedAt + 60_000 })).to.equal(0);
    expect((await readProjectionMeta(readStore, 'case-summary'))?.activeVersion).to.equal(2);
  });

  it('given a TTY, then the progress bar redraws in place', async () => {
    stderr = sink(true);
    expect(await runProjectionsCommand(['rebuild', 'case-summary'], deps())).to.equal(0);
    expect(stderr.chunks.every((chunk) => chunk.startsWith('\r') || chunk === '\n')).to.equal(true);
  });

  it('"status" lists each projection with its active version, checkpoint and lag', async () => {
    expect(await runProjectionsCommand(['status'], deps())).to.equal(0);
    const lines = stdout.text().trim().split('\n');
    expect(lines[0]).to.match(/^projection\s+code\s+active\s+checkpoint\s+lag\s+notes$/);
    expect(lines[1]).to.match(/^case-summary\s+v1\s+-\s+0\/0\s+\S+\s+never started$/);

    stdout = sink();
    expect(await runProjectionsCommand(['status', '--json'], deps())).to.equal(0);
    expect(JSON.parse(stdout.text())[0]).to.deep.include({ name: 'case-summary', activeVersion: null, checkpoint: '0/0' });
  });

  it('answers unknown commands with usage and exit code 2, and unknown projections with an error', async () => {
    expect(await runProjectionsCommand(['frobnicate'], deps())).to.equal(2);
    expect(stderr.text()).to.contain('usage:');
    let failed: unknown;
    await runProjectionsCommand(['rebuild', 'nope'], deps()).catch((error: unknown) => (failed = error));
    expect(String(failed)).to.contain('no projector named "nope"');
  });

  it('draws a bar without a known head as a count', () => {
    const base = { name: 'v', version: 3, phase: 'catching-up' as const, eventsProcessed: 1234, checkpoint: '9/1234' };
    expect(progressLine({ ...base, head: '9/2468', fraction: 0.5 }, 10)).to.equal('v v3 [#####-----]  50.0%  1,234 events  position 1234/2468  catching-up');
    expect(progressLine({ ...base, head: null, fraction: null })).to.equal('v v3 catching-up  1,234 events  position 1234 (head unknown)');
  });

  it('given a by-stream replay, draws the share of its cut and names the cut instead of a position', () => {
    const line = progressLine({ name: 'case-view', version: 2, phase: 'by-stream', eventsProcessed: 300, checkpoint: '0/0', head: '9/1200', fraction: 0.25 }, 8);
    expect(line).to.equal('case-view v2 [##------]  25.0%  300 events  by stream up to position 1200');
  });
});
