import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { JWK } from 'jose';
import pg from 'pg';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { loadOrCreateSigningKey, platformKeyFiles, readJwksFile } from '../../adapters/evidence/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { publishHead, type ExportedHead } from '../../adapters/log-heads/heads.ts';
import { startHeadPublisher } from '../../adapters/log-heads/publisher.ts';
import { headSigner, type HeadSigner } from '../../adapters/log-heads/sign.ts';
import { runAuditCommand, type AuditCliDeps } from '../../scripts/audit.ts';
import { newEvents } from '../contract/event-store.fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { replaceWithForgery } from './event-log-attacker.ts';

const platformSigner = (kid: string) => headSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, kid);

/** Signed heads and `audit verify` over the events table: an auditor's exported head exposes a rewritten log. */
describe('signed log heads and audit verify (PostgreSQL)', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let store: EventStore;
  let signer: HeadSigner;
  let keys: JWK[];
  let files: Map<string, string>;
  let out: string[];
  let attacker: pg.Client;

  const deps = (): AuditCliDeps => ({
    log: { eventStore: store, keys, signer },
    readFile: (path) => files.get(path)!,
    writeFile: (path, text) => void files.set(path, text),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => out.push(t) },
  });
  const audit = (...args: string[]) => runAuditCommand(args, deps());

  beforeEach(async function () {
    database = await createTestDatabase('event_log_heads');
    store = await createPostgresEventStore({ connectionString: database.url, poolSize: 2 });
    signer = platformSigner('platform-test');
    keys = [await signer.publicJwk()];
    files = new Map();
    out = [];
    attacker = new pg.Client({ connectionString: database.url });
    await attacker.connect();
    await attacker.query('SET session_replication_role = replica');
    await store.append('case-1', newEvents(3), { expectedRevision: 'no_stream' });
    expect(await audit('head', '--out', 'head-1.json')).to.equal(0);
    await store.append('case-2', newEvents(2), { expectedRevision: 'no_stream' });
    expect(await audit('head', '--out', 'head-2.json')).to.equal(0);
  });

  afterEach(async function () {
    await attacker?.end();
    await store?.close();
    await database?.drop();
  });

  it('given two published heads, then the files carry position, size, link, timestamp and a JWS, the second naming the first', function () {
    const first = JSON.parse(files.get('head-1.json')!) as ExportedHead;
    const second = JSON.parse(files.get('head-2.json')!) as ExportedHead;
    expect(first).to.include({ log: 'errand-event-log', position: '3', size: '3', previous: null, kid: 'platform-test' });
    expect(first.link).to.match(/^[0-9a-f]{64}$/);
    expect(first.jws.split('.')).to.have.length(3);
    expect(Number.isNaN(Date.parse(first.timestamp))).to.equal(false);
    expect(second).to.include({ position: '5', size: '5' });
    expect(second.previous).to.match(/^[0-9a-f]{64}$/);
  });

  it('given an untouched log that grew, then verify with an old exported head passes: the log only grew since', async function () {
    await store.append('case-3', newEvents(4), { expectedRevision: 'no_stream' });
    expect(await audit('verify', '--head', 'head-1.json')).to.equal(0);
    expect(out.at(-1)).to.equal('log intact: 9 events up to position 9, consistent with 3 signed heads\n');
  });

  it('given the whole log replaced by a re-hashed forgery and the stored heads wiped, then the exported head exposes it and verify exits 1', async function () {
    await replaceWithForgery(attacker, 5);
    await attacker.query('TRUNCATE event_store_heads');
    expect((await store.verifyLog!()).ok, 'the forgery is consistent in itself').to.equal(true);
    expect(await audit('verify')).to.equal(0);
    expect(await audit('verify', '--head', 'head-1.json', '--json')).to.equal(1);
    expect(JSON.parse(out.at(-1)!).log).to.deep.include({ ok: false, firstBad: { position: '3', reason: 'the log differs from the trusted head at position 3: it was rewritten' } });
  });

  it('given the same forgery, when the kept head is named as --head=FILE, then it is read and exposes it; a mistyped flag or a flag without its file is refused (exit 2), never an ok that read no head', async function () {
    await replaceWithForgery(attacker, 5);
    await attacker.query('TRUNCATE event_store_heads');
    expect(await audit('verify', '--head=head-1.json')).to.equal(1);
    expect(out.at(-1)).to.match(/the log differs from the trusted head at position 3/);
    for (const args of [['--heads', 'head-1.json'], ['--head'], ['head-1.json'], ['--head', '--json'], ['--out', 'x.json']]) {
      out = [];
      expect(await audit('verify', ...args), args.join(' ')).to.equal(2);
      expect(out.join(''), args.join(' ')).to.match(/^audit: [\s\S]*\nusage: audit verify/);
    }
    expect(await audit('head', '--head', 'x.json')).to.equal(2);
  });

  it('given the forgery but the stored heads kept, then verify alone names the rewrite', async function () {
    await replaceWithForgery(attacker, 5);
    expect(await audit('verify')).to.equal(1);
    expect(out.at(-1)).to.match(/^log broken at position 3: the log differs from the trusted head/);
  });

  it('given a truncated tail, then the exported head reports the removal', async function () {
    await attacker.query('DELETE FROM events WHERE global_position > 3');
    await attacker.query('TRUNCATE event_store_heads');
    expect(await audit('verify', '--head', 'head-2.json')).to.equal(1);
    expect(out.at(-1)).to.match(/^log broken at position 4: the log ends at position 3 but a trusted head vouches for position 5/);
  });

  it('given an exported head whose link was edited, or one signed with another key, then it is refused', async function () {
    const head = JSON.parse(files.get('head-1.json')!) as ExportedHead;
    files.set('edited.json', JSON.stringify({ ...head, link: '0'.repeat(64) }));
    expect(await audit('verify', '--head', 'edited.json')).to.equal(1);
    expect(out.at(-1)).to.equal('exported head at position 3 is bad: link differs from what was signed\n');

    const impostor = platformSigner('platform-test');
    const payload = { log: head.log, position: head.position, size: head.size, link: '0'.repeat(64), timestamp: head.timestamp, previous: null };
    files.set('impostor.json', JSON.stringify({ ...payload, kid: 'platform-test', jws: await impostor.sign(payload) }));
    expect(await audit('verify', '--head', 'impostor.json')).to.equal(1);
    expect(out.at(-1)).to.match(/^exported head at position 3 is bad: signature does not verify/);
  });

  it('given a stored head removed from the middle of the chain of heads, then verify says the chain was altered', async function () {
    await store.append('case-3', newEvents(1), { expectedRevision: 'no_stream' });
    expect(await audit('head')).to.equal(0);
    await attacker.query('DELETE FROM event_store_heads WHERE position = 5');
    expect(await audit('verify')).to.equal(1);
    expect(out.at(-1)).to.equal('signed head at position 6 is bad: does not name the head before it: the chain of signed heads was altered\n');
  });

  it('given the log has not grown, when a head is requested, then the latest one is returned and none is added', async function () {
    expect(await audit('head')).to.equal(0);
    expect((await store.logHeads!.list()).map((h) => h.position)).to.deep.equal([3n, 5n]);
  });

  it('given heads whose positions gain a digit (5, then 10 and 11), then the latest is the highest, new heads follow it and the chain verifies', async function () {
    // The chaos run's "does not name the head before it" at position 1123: heads were ordered by their text
    // rendering, so "999" sorted after "1123", latest() named an old head and list() put the chain out of order.
    await store.append('case-3', newEvents(5), { expectedRevision: 'no_stream' });
    expect(await audit('head')).to.equal(0);
    expect((await store.logHeads!.latest())?.position).to.equal(10n);
    await store.append('case-4', newEvents(1), { expectedRevision: 'no_stream' });
    expect(await audit('head')).to.equal(0);
    expect((await store.logHeads!.list()).map((h) => h.position)).to.deep.equal([3n, 5n, 10n, 11n]);
    expect(await audit('verify')).to.equal(0);
  });

  it('given a stale previous head or a head not above it, then the store refuses to append it and the chain still verifies', async function () {
    const [first, second] = await store.logHeads!.list();
    const forged = (position: bigint) => ({ ...second!, position });
    expect(await store.logHeads!.append(forged(7n), first!), 'after a head that is no longer the latest').to.equal(false);
    expect(await store.logHeads!.append(forged(4n), second!), 'below the head it follows').to.equal(false);
    expect(await store.logHeads!.append(forged(9n), null), 'a second first head').to.equal(false);
    expect((await store.logHeads!.list()).map((h) => h.position)).to.deep.equal([3n, 5n]);
    expect(await audit('verify')).to.equal(0);
  });

  it('given a head row written straight into the table (the app role may INSERT), then the publisher refuses by name rather than sign nothing again, and verify still checks the log and the kept head: an edited event before the row is named first', async function () {
    const refusal = async () => publishHead(store, signer, undefined, keys).then(() => 'signed', (error: unknown) => String(error));
    const slipIn = (jws: string) =>
      attacker.query(`INSERT INTO event_store_heads (position, size, link, signed_at, jws, after_position) VALUES (9000000000000000, 1, $1, now(), $2, 5)`, ['00'.repeat(32), jws]);
    // A copy of a real head's signature under another position: it verifies, but not as this row.
    await slipIn((await store.logHeads!.list())[0]!.jws);
    expect(await refusal()).to.match(/latest stored head \(position 9000000000000000\) is not what its signature says/);
    await attacker.query('DELETE FROM event_store_heads WHERE position = 9000000000000000');
    await slipIn('e30.e30.x');
    expect(await refusal()).to.match(/latest stored head \(position 9000000000000000\) does not verify/);
    expect(await audit('verify', '--json')).to.equal(1);
    expect(JSON.parse(out.at(-1)!).log).to.deep.include({ ok: false, checked: 5, heads: 2 });
    expect(JSON.parse(out.at(-1)!).log.firstBad).to.include({ head: 'stored', position: '9000000000000000' });
    await replaceWithForgery(attacker, 5);
    expect(await audit('verify', '--head', 'head-1.json', '--json')).to.equal(1);
    expect(JSON.parse(out.at(-1)!).log.firstBad).to.deep.equal({ position: '3', reason: 'the log differs from the trusted head at position 3: it was rewritten' });
  });

  it('given the log cut below the latest signed head, then the publisher refuses to sign on it', async function () {
    await attacker.query('DELETE FROM events WHERE global_position > 3');
    let refusal: unknown;
    await publishHead(store, signer, undefined, keys).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.match(/lies beyond the end of the log \(position 3\): events it vouched for were removed/);
  });

  it('given a log read that ends below the latest head, then the publisher refuses to sign and adds nothing', async function () {
    const misreading = {
      kind: store.kind,
      logHeads: store.logHeads,
      verifyLog: async () => ({ ok: true, checked: 1, last: { position: 4n, link: '00'.repeat(32) }, fault: null }),
    } as unknown as EventStore;
    let refusal: unknown;
    await publishHead(misreading, signer).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.match(/not above the latest head at 5/);
    expect((await store.logHeads!.list()).map((h) => h.position)).to.deep.equal([3n, 5n]);
  });

  it('given the platform key rotated (its file moved away, a new one made), then heads signed before and after both verify, through the JWKS that keeps naming the old key', async function () {
    const dataDir = mkdtempSync(join(tmpdir(), 'errand-heads-rotation-'));
    try {
      const keyFiles = platformKeyFiles(dataDir);
      const published = () => (readJwksFile(keyFiles.jwks) as { keys: JWK[] }).keys;
      // The heads of beforeEach were signed by a key of the same platform: kept alongside, as a JWKS would.
      const earlier = [...keys];
      const first = loadOrCreateSigningKey(keyFiles, 'platform');
      signer = headSigner(first.privateKey, first.kid);
      keys = [...earlier, ...published()];
      await store.append('case-3', newEvents(2), { expectedRevision: 'no_stream' });
      expect(await audit('head', '--out', 'head-3.json')).to.equal(0);
      renameSync(keyFiles.privateKey, `${keyFiles.privateKey}.retired`);
      const second = loadOrCreateSigningKey(keyFiles, 'platform');
      expect(second.kid).to.not.equal(first.kid);
      expect(published().map((k) => k.kid)).to.deep.equal([second.kid, first.kid]);
      signer = headSigner(second.privateKey, second.kid);
      keys = [...earlier, ...published()];
      await store.append('case-4', newEvents(2), { expectedRevision: 'no_stream' });
      // Signing checks the latest head first, signed by the retired key.
      expect(await audit('head', '--out', 'head-4.json')).to.equal(0);
      expect(JSON.parse(files.get('head-4.json')!)).to.include({ position: '9' });
      expect(await audit('verify', '--head', 'head-3.json', '--head', 'head-4.json')).to.equal(0);
      // Without the old key, the head it signed no longer verifies: the JWKS is what keeps it valid.
      keys = [...earlier, published()[0]!];
      expect(await audit('verify')).to.equal(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('given a running publisher, when the log grows, then a new head is signed on its own, and two publishers racing do not fail', async function () {
    const errors: unknown[] = [];
    const publishers = [1, 2].map(() => startHeadPublisher(store, signer, { intervalMs: 20, onError: (e) => errors.push(e) }));
    try {
      await store.append('case-3', newEvents(2), { expectedRevision: 'no_stream' });
      await until(() => latest === 7n, 'a head at position 7', 15_000, async () => {
        latest = (await store.logHeads!.latest())?.position;
      });
    } finally {
      await Promise.all(publishers.map((p) => p.stop()));
    }
    expect(errors).to.deep.equal([]);
    expect(await audit('verify')).to.equal(0);
  });
});

let latest: bigint | undefined;

async function until(done: () => boolean, what: string, limitMs: number, poll: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (await poll(); !done(); await poll()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
