import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { MasterKeyFile } from '../../adapters/key-store/index.ts';
import { loadConfig } from '../../adapters/config/index.ts';
import { openStores } from '../../runtime/stores.ts';
import { privacyKeys } from '../../scripts/privacy-keys.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

/**
 * Master-key rotation as an operator does it: a key file made once, a new master key added, every subject key
 * re-wrapped, then the old master key removed from the file; the data keys (and so everything sealed) survive.
 */
describe('npm run privacy-keys: making, rotating and re-wrapping the master key (PostgreSQL)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let dir: string;
  let file: string;
  const env = () => ({ DATABASE_URL: db.url, DATA_DIR: dir, PRIVACY_KEYS_FILE: file, LOG_LEVEL: 'silent' });
  const quiet = () => undefined;
  const readFile = () => JSON.parse(readFileSync(file, 'utf8')) as MasterKeyFile;

  before(async () => {
    db = await createTestDatabase('privacy_keys');
    dir = mkdtempSync(join(tmpdir(), 'errand-privacy-keys-'));
    file = join(dir, 'privacy-keys.json');
  });
  after(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given no file, when `new` runs, then an owner-only key file is written; a second `new` refuses to overwrite it', async () => {
    expect(await privacyKeys(['new', file], {}, quiet)).to.equal(0);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const first = readFile();
    expect(Object.keys(first.keys)).to.deep.equal([first.current]);
    let refused: unknown = null;
    await privacyKeys(['new', file], {}, quiet).catch((error: unknown) => (refused = error));
    expect(String(refused)).to.match(/exists/);
    expect(readFile()).to.deep.equal(first);
  });

  it('given subject keys under the first master key, when a key is added and `rewrap` runs, then the old master key can be removed and every data key still opens', async () => {
    const before = await openStores(loadConfig(env()));
    const made = await Promise.all(['case-a', 'case-b', 'case-c'].map((scope) => before.keys.keyFor(scope, `sr_${scope}`)));
    await before.close();
    const original = readFile();

    expect(await privacyKeys(['add-key', file], {}, quiet)).to.equal(0);
    const added = readFile();
    expect(added.current).to.not.equal(original.current);
    expect(Object.keys(added.keys)).to.have.members([original.current, added.current]);
    expect(added.lookupSecret).to.equal(original.lookupSecret);

    const lines: string[] = [];
    expect(await privacyKeys(['rewrap'], env(), (line) => lines.push(line))).to.equal(0);
    expect(lines.join('\n')).to.match(/re-wrapped 3 subject keys/);

    // The old master key leaves the file: only keys re-wrapped under the new one can still be opened.
    const { [original.current]: _old, ...rest } = added.keys;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ ...added, keys: rest }));
    const after = await openStores(loadConfig(env()));
    try {
      const opened = await after.keys.unwrap(made.map((k) => k!.id));
      for (const key of made) expect(opened.get(key!.id)!.equals(key!.bytes)).to.equal(true);
      expect((await after.keys.scope('case-a'))!.masterKeyId).to.equal(added.current);
    } finally {
      await after.close();
    }
  });

  it('given an unknown command, then it prints the usage and exits 2', async () => {
    expect(await privacyKeys(['rotate-everything'], {}, quiet)).to.equal(2);
  });
});
