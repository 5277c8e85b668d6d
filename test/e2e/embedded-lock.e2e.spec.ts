import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printed, startScript as start, type Started } from '../support/child-process.ts';
import { freePort } from '../support/free-port.ts';

describe('one process per embedded data folder', function () {
  // Three engine starts on PGlite (3-4 s each alone) on a possibly loaded machine.
  this.timeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-lock-'));
  const running: Started[] = [];
  after(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given npm start holding DATA_DIR, when a second engine or a CLI opens it, then each is refused with one line naming the folder and the holder; after the holder is killed -9, a new engine takes the folder over', async () => {
    const first = start('api/main.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(first);
    await printed(first, 'Errand is running');

    // Both refusals at once: each is a whole process start, and the suite runs on two loaded cores.
    const second = start('api/main.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(second);
    const cli = start('scripts/projections.ts', ['status'], { DATA_DIR: dataDir });
    running.push(cli);
    expect(await second.exited).to.equal(1);
    // Its start-up progress lines, then one line saying why it stops: no stack trace.
    const refusal = second.output().trim();
    expect(refusal.split('\n').filter((line) => line.includes('cannot start'))).to.have.length(1);
    expect(refusal).to.not.match(/^\s+at /m);
    expect(refusal).to.include(join(dataDir, 'pglite'));
    expect(refusal).to.include(`process ${first.child.pid}`);

    expect(await cli.exited).to.equal(1);
    expect(cli.output()).to.match(new RegExp(`in use by process ${first.child.pid}`));

    first.child.kill('SIGKILL');
    await first.exited;
    const third = start('api/main.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(third);
    await printed(third, 'Errand is running');
    third.child.kill('SIGTERM');
    expect(await third.exited).to.equal(0);
  });
});
