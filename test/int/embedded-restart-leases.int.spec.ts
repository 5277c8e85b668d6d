import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine } from '../../runtime/engine.ts';
import { projectionPart } from '../../runtime/projection-part.ts';

/**
 * The embedded default keeps its fencing tokens in the read store across restarts, while its leases live in the
 * process. A restarted engine must not draw tokens below the stored fences: each of its projections and the
 * case-jobs reactor must run from the first round, not be refused until a counter climbs past the old tokens.
 */
describe('the embedded default restarted on its folder', function () {
  this.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-restart-leases-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given an engine that ran and stopped, when a new one starts on the same folder, then it holds every lease after its first round, each time', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const heldAfterStart: string[][] = [];
    for (let run = 0; run < 3; run += 1) {
      const engine = await createEngine(config, { backgroundParts: [projectionPart(() => undefined)] });
      try {
        await engine.startBackground();
        heldAfterStart.push([...engine.leasesHeld()].sort());
      } finally {
        await engine.stop();
      }
    }
    expect(heldAfterStart[0]).to.include.members(['case-jobs', 'case-view', 'audit-trail', 'work-queue']);
    expect(heldAfterStart[1]).to.deep.equal(heldAfterStart[0]);
    expect(heldAfterStart[2]).to.deep.equal(heldAfterStart[0]);
  });
});
