import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileReplayCache, createMemoryReplayCache } from '../../adapters/gateway/index.ts';
import { createPostgresReplayCache } from '../../adapters/gateway/replay-cache/postgres/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { replayCacheContract } from './replay-cache.contract.ts';

replayCacheContract('memory', async () => {
  const cache = createMemoryReplayCache();
  return {
    cache,
    shared: false,
    durable: false,
    another: async () => createMemoryReplayCache(),
    reopen: async () => (await cache.close(), createMemoryReplayCache()),
    cleanup: () => cache.close(),
  };
});

replayCacheContract('file (one gateway instance, the default)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'errand-replays-'));
  const file = join(dir, 'gateway-PSB-replays.log');
  const harness = {
    cache: createFileReplayCache({ file, compactAfter: 3 }),
    shared: false,
    durable: true,
    another: async () => createFileReplayCache({ file: join(dir, 'another-instance.log') }),
    async reopen() {
      await harness.cache.close();
      return createFileReplayCache({ file, compactAfter: 3 });
    },
    async cleanup() {
      await harness.cache.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
});

replayCacheContract('PostgreSQL', async () => {
  const database = await createTestDatabase('replays');
  const open = () => createPostgresReplayCache({ connectionString: database.url, department: 'PSB' });
  const harness = {
    cache: await open(),
    shared: true,
    durable: true,
    another: open,
    async reopen() {
      await harness.cache.close();
      return open();
    },
    async cleanup() {
      await harness.cache.close();
      await database.drop();
    },
  };
  return harness;
});

describe('file replay cache: compaction', () => {
  it('given many expired ids, when the file is compacted, then live ids survive a restart and expired ones are gone from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errand-replays-'));
    const file = join(dir, 'replays.log');
    try {
      const now = Date.parse('2026-03-02T09:00:00Z');
      const cache = createFileReplayCache({ file, compactAfter: 5 });
      for (let i = 0; i < 20; i += 1) await cache.firstUse(`old-${i}`, now + 1000, now);
      expect(await cache.firstUse('live', now + 600_000, now + 2000)).to.equal(true);
      for (let i = 0; i < 10; i += 1) await cache.firstUse(`late-${i}`, now + 600_000, now + 2000);
      const text = readFileSync(file, 'utf8');
      expect(text).to.not.match(/ old-/);
      const reopened = createFileReplayCache({ file, compactAfter: 5 });
      expect(await reopened.firstUse('live', now + 600_000, now + 3000)).to.equal(false);
      expect(await reopened.firstUse('old-3', now + 600_000, now + 3000)).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('file replay cache: who may read it', () => {
  it('given kept answers (the fields a department delivered), then only the owner may read the file, also one left with a wider mode, and after compaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errand-replays-'));
    const file = join(dir, 'replays.log');
    try {
      const now = Date.parse('2026-03-02T09:00:00Z');
      const cache = createFileReplayCache({ file, compactAfter: 4 });
      await cache.keepAnswer('case-1/m/household-registration', { digest: 'd', body: '{"fields":{"name":"张三"}}' }, now + 600_000, now);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      chmodSync(file, 0o644);
      createFileReplayCache({ file, compactAfter: 4 });
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      for (let i = 0; i < 8; i += 1) await cache.firstUse(`t-${i}`, now + 1000, now + 2000);
      expect(readFileSync(file, 'utf8'), 'compacted: the expired ids are gone').to.not.match(/ t-0\n/);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
