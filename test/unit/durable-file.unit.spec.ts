import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeFileDurably } from '../../adapters/durable-file.ts';
import { createPublicKey } from 'node:crypto';
import { loadJwksFile, loadOrCreateSigningKey } from '../../adapters/jose/index.ts';
import { loadMasterKeyFile } from '../../adapters/key-store/index.ts';

describe('key files written whole: a new file beside, flushed, then linked or renamed into place', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'errand-durable-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('given no file, when written exclusively, then it holds the content, readable by its owner only, and nothing else is left in the folder', () => {
    const path = join(folder, 'keys', 'master.json');
    expect(writeFileDurably(path, '{"a":1}\n', { exclusive: true })).to.equal(true);
    expect(readFileSync(path, 'utf8')).to.equal('{"a":1}\n');
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readdirSync(join(folder, 'keys'))).to.deep.equal(['master.json']);
  });

  it('given a file, when written exclusively, then it answers false and the file is as it was; written without, it is replaced whole', () => {
    const path = join(folder, 'key.json');
    writeFileSync(path, 'first');
    expect(writeFileDurably(path, 'second', { exclusive: true })).to.equal(false);
    expect(readFileSync(path, 'utf8')).to.equal('first');
    expect(writeFileDurably(path, 'third', { mode: 0o644 })).to.equal(true);
    expect(readFileSync(path, 'utf8')).to.equal('third');
    expect(statSync(path).mode & 0o777).to.equal(0o644);
    expect(readdirSync(folder)).to.deep.equal(['key.json']);
  });

  it('given another process placed its signing key after this one found none, when this one comes to place its own, then it uses that key, and the JWKS names it', () => {
    const files = { privateKey: join(folder, 'PSB-key.json'), jwks: join(folder, 'PSB.jwks.json') };
    let theirs = '';
    const mine = loadOrCreateSigningKey(files, 'PSB-certificates', () => {
      theirs = loadOrCreateSigningKey(files, 'PSB-certificates').kid;
    });
    expect(theirs).to.not.equal('');
    expect(mine.kid).to.equal(theirs);
    expect(JSON.parse(readFileSync(files.privateKey, 'utf8')).kid).to.equal(theirs);
    expect((JSON.parse(readFileSync(files.jwks, 'utf8')) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).to.deep.equal([theirs]);
    // Started again, the same key.
    expect(loadOrCreateSigningKey(files, 'PSB-certificates').kid).to.equal(theirs);
  });

  it('given a master key file another process made first, when this one starts, then it uses that file and does not replace it', () => {
    const path = join(folder, 'keys', 'privacy-keys.json');
    const first = loadMasterKeyFile(path, { create: true });
    const written = readFileSync(path, 'utf8');
    const second = loadMasterKeyFile(path, { create: true });
    expect(readFileSync(path, 'utf8')).to.equal(written);
    expect(second.lookupSecret.equals(first.lookupSecret)).to.equal(true);
    expect(statSync(path).mode & 0o777).to.equal(0o600);
  });
});

describe('a signing key replaced (rotated, or its file lost): what the old key signed still verifies', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'errand-rotate-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('given a platform key whose file is gone, when the process starts again, then the JWKS names the new key first and keeps the old one, once, across more restarts', () => {
    const files = { privateKey: join(folder, 'platform-key.json'), jwks: join(folder, 'platform.jwks.json') };
    const old = loadOrCreateSigningKey(files, 'platform');
    rmSync(files.privateKey);
    const current = loadOrCreateSigningKey(files, 'platform');
    loadOrCreateSigningKey(files, 'platform');
    expect(current.kid).to.not.equal(old.kid);
    const published = loadJwksFile(files.jwks);
    expect(published.map((k) => k.kid)).to.deep.equal([current.kid, old.kid]);
    const oldPublic = createPublicKey(old.privateKey).export({ format: 'jwk' });
    expect(published[1]!.key.export({ format: 'jwk' })).to.deep.equal(oldPublic);
    expect(readFileSync(files.jwks, 'utf8')).to.not.match(/"d"/);
  });

  it('given a JWKS file that does not read, when the process starts, then it refuses, naming the file, and leaves the file as it was', () => {
    const files = { privateKey: join(folder, 'platform-key.json'), jwks: join(folder, 'platform.jwks.json') };
    writeFileSync(files.jwks, '{"keys": [');
    expect(() => loadOrCreateSigningKey(files, 'platform')).to.throw(/platform\.jwks\.json is not valid JSON/);
    expect(readFileSync(files.jwks, 'utf8')).to.equal('{"keys": [');
  });
});
