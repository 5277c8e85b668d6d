import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderInUseError, lockFolder } from '../../runtime/folder-lock.ts';

const lockFile = (folder: string) => join(folder, 'errand.lock');
const writeLock = (folder: string, holder: object) => writeFileSync(lockFile(folder), JSON.stringify(holder));

/** The pid of a process that has exited: a lock naming it was left by a kill. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe('one process per folder (runtime/folder-lock.ts)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'errand-lock-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('given a free folder, when locked, then the lock names this process, a second lock in this process is refused, and release frees it', () => {
    const lock = lockFolder(folder);
    expect(JSON.parse(readFileSync(lockFile(folder), 'utf8'))).to.include({ pid: process.pid, host: hostname() });
    expect(() => lockFolder(folder)).to.throw(FolderInUseError, /in use by process/);
    lock.release();
    expect(existsSync(lockFile(folder))).to.equal(false);
    lockFolder(folder).release();
  });

  it('given a lock naming a live process of this host, when locked, then it is refused with who holds it and what to do', () => {
    writeLock(folder, { pid: process.ppid, host: hostname(), since: '2026-12-03T00:00:00Z', token: 'parent' });
    expect(() => lockFolder(folder, { name: 'gateway folder of PSB', remedy: 'stop that gateway first' })).to.throw(
      FolderInUseError,
      new RegExp(`the gateway folder of PSB .* is in use by process ${process.ppid} .*: stop that gateway first`),
    );
  });

  it('given a lock left by a process that was killed, when locked, then it is taken over', async () => {
    writeLock(folder, { pid: await deadPid(), host: hostname(), since: '2026-12-03T00:00:00Z' });
    const lock = lockFolder(folder);
    expect(JSON.parse(readFileSync(lockFile(folder), 'utf8'))).to.include({ pid: process.pid });
    lock.release();
  });

  it('given a lock naming this pid that this process never took (a container restarted after a kill runs as pid 1 again), when locked, then it is taken over, not refused for ever', () => {
    writeLock(folder, { pid: process.pid, host: hostname(), since: '2026-12-03T00:00:00Z', token: 'an earlier process' });
    const lock = lockFolder(folder);
    expect(JSON.parse(readFileSync(lockFile(folder), 'utf8'))).to.not.include({ token: 'an earlier process' });
    lock.release();
  });

  it('given a stale lock that another process takes over while this one does, then this one puts that lock back and is refused: never both', async () => {
    writeLock(folder, { pid: await deadPid(), host: hostname(), since: '2026-12-03T00:00:00Z' });
    const other = { pid: process.ppid, host: hostname(), since: '2026-12-03T00:00:01Z', token: 'the other process' };
    // The other process wins the race in between: it moves the stale lock away and puts its own in place.
    const takeOver = () => {
      rmSync(lockFile(folder));
      writeLock(folder, other);
    };
    expect(() => lockFolder(folder, undefined, takeOver)).to.throw(FolderInUseError, new RegExp(`process ${process.ppid}`));
    expect(JSON.parse(readFileSync(lockFile(folder), 'utf8'))).to.deep.equal(other);
  });

  it('given a lock of another host (a shared volume), when locked, then it is refused: that holder cannot be checked from here', () => {
    writeLock(folder, { pid: 1, host: `${hostname()}-elsewhere`, since: '2026-12-03T00:00:00Z' });
    expect(() => lockFolder(folder)).to.throw(FolderInUseError, /elsewhere/);
  });

  it('given locking done or refused, then no draft or set-aside file is left in the folder', async () => {
    lockFolder(folder).release();
    writeLock(folder, { pid: process.ppid, host: hostname(), since: 'x' });
    expect(() => lockFolder(folder)).to.throw(FolderInUseError);
    writeLock(folder, { pid: await deadPid(), host: hostname(), since: 'x' });
    lockFolder(folder).release();
    expect(readdirSync(folder)).to.deep.equal([]);
  });
});
