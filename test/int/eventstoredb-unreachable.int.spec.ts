import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { EventStoreUnreachableError } from '../../adapters/event-store/index.ts';
import { createEventStoreDBEventStore } from '../../adapters/event-store/eventstoredb/index.ts';
import { freePort } from '../support/free-port.ts';

/** No EventStoreDB server is needed to prove the adapter refuses to start without one: a port nobody listens on. */
describe('EventStoreDB adapter when the server does not answer', function () {
  this.timeout(60_000);

  it('given a port nobody listens on, when the store is created, then it rejects with one line naming the address but not the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await createEventStoreDBEventStore({ connectionString: `esdb://admin:s3cret@127.0.0.1:${port}?tls=false`, connectTimeoutMs: 3000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(EventStoreUnreachableError);
    const message = (error as Error).message;
    expect(message).to.match(new RegExp(`^EventStoreDB at esdb://\\*\\*\\*@127\\.0\\.0\\.1:${port}\\?tls=false did not answer: `));
    expect(message).to.not.include('s3cret').and.not.include('\n');
    expect(Date.now() - started).to.be.below(20_000);
  });

  it('given EVENTSTORE_URL at a dead port, when errand starts, then it exits 1 with one line on stderr', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      env: { ...process.env, EVENTSTORE_URL: `esdb://127.0.0.1:${port}?tls=false`, PORT: '0', LOG_LEVEL: 'silent', MONGO_URL: '', DATABASE_URL: '', AUTH_DEV_SIGNIN: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.match(new RegExp(`^errand: cannot start: EventStoreDB at esdb://127\\.0\\.0\\.1:${port}\\?tls=false did not answer: `));
  });
});
