import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoUnreachableError } from '../../adapters/read-store/index.ts';
import { assertMongoReachable } from '../../adapters/read-store/mongo/index.ts';
import { startScript } from '../support/child-process.ts';
import { freePort } from '../support/free-port.ts';

/**
 * No MongoDB server is needed to prove the engine refuses to start without one: a port nobody listens on. Before, the
 * process started, served, and died later with an uncaught stack trace once the driver gave up selecting a server.
 */
describe('MongoDB read store when the server does not answer', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'errand-mongo-dead-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given a port nobody listens on, when the probe runs, then it rejects with one line naming the address but not the password', async () => {
    const port = await freePort();
    const error = await assertMongoReachable(`mongodb://errand:s3cret@127.0.0.1:${port}/errand`, 2000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(MongoUnreachableError);
    const message = (error as Error).message;
    expect(message).to.match(new RegExp(`^MongoDB at mongodb://\\*\\*\\*@127\\.0\\.0\\.1:${port}/errand did not answer: no answer within 2000 ms`));
    expect(message).to.not.include('s3cret').and.not.include('\n');
  });

  for (const [label, env] of [
    ['events embedded', {}],
    ['events on PostgreSQL', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }],
  ] as const) {
    it(`given MONGO_URL at a dead port (${label}), when errand starts, then it exits non-zero soon with one line naming MONGO_URL and the address, no stack`, async () => {
      const port = await freePort();
      const errand = startScript('api/main.ts', [], {
        ...env,
        MONGO_URL: `mongodb://127.0.0.1:${port}/errand`,
        DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        AUTH_DEV_SIGNIN: 'true',
      });
      let stderr = '';
      errand.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await errand.exited;
      expect(code, errand.output()).to.be.a('number').and.not.equal(0);
      expect(stderr.trim().split('\n'), stderr).to.have.length(1);
      expect(stderr).to.match(new RegExp(`^errand: cannot start: MONGO_URL: MongoDB at mongodb://127\\.0\\.0\\.1:${port}/errand did not answer: `));
      expect(stderr).to.not.match(/\n\s+at /);
      expect(errand.output()).to.not.include('Errand is running');
      // The probe's own limit answered, not the driver's server selection (30 s): told by the message rather than the
      // clock, as a start-up on a loaded host alone took 27 s.
      expect(stderr).to.match(/did not answer: no answer within 5000 ms \(/, stderr);
    });
  }
});
