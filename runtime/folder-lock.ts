import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One process per embedded data folder. PGlite is a single-process database: two processes that open one folder
 * each believe they own it, and acknowledged writes of one are silently lost to the other. So the folder carries a
 * lock file naming its holder; a second process is refused at once, and a lock left by a process that no longer
 * runs (kill -9, power loss) is taken over.
 */
export class FolderInUseError extends Error {
  readonly code = 'FOLDER_IN_USE';
  constructor(readonly folder: string, readonly holder: LockHolder, what: FolderUse = EMBEDDED_DATABASE) {
    super(`the ${what.name} ${folder} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); only one process may open it: ${what.remedy}`);
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** What the folder holds, for the message a second process gets. */
export interface FolderUse {
  name: string;
  remedy: string;
}

const EMBEDDED_DATABASE: FolderUse = {
  name: 'embedded database folder',
  remedy: 'stop that process first, or point both at PostgreSQL with DATABASE_URL',
};

export interface FolderLock {
  release(): void;
}

const LOCK_FILE = 'errand.lock';

function alive(holder: LockHolder): boolean {
  // A lock from another machine (a shared volume) cannot be checked, so it is never taken over.
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '?') };
  } catch {
    // Missing or half-written: treated as no holder, and the exclusive create below decides.
  }
  return null;
}

export function lockFolder(folder: string, what: FolderUse = EMBEDDED_DATABASE): FolderLock {
  const path = join(folder, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const release = () => {
        if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
      };
      process.once('exit', release);
      return {
        release() {
          process.removeListener('exit', release);
          release();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder && alive(holder)) throw new FolderInUseError(folder, holder, what);
    // A stale lock: move it aside (atomic) and try the exclusive create again; of two processes doing this at
    // once, only one create succeeds and the other then sees a live holder.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      rmSync(`${path}.stale-${process.pid}`, { force: true });
    } catch {
      // Someone else moved it first.
    }
  }
  const holder = readHolder(path);
  throw new FolderInUseError(folder, holder ?? { pid: -1, host: '?', since: '?' }, what);
}
