import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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
  /** Which taking of the lock this is (locks written before it had none). */
  token?: string;
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

/** The locks this process holds, by path, with the token each was taken with. */
const heldHere = new Map<string, string>();

function alive(holder: LockHolder, path: string): boolean {
  // A lock from another machine (a shared volume) cannot be checked, so it is never taken over.
  if (holder.host !== hostname()) return true;
  // Our own pid in a lock we did not take is an earlier process that had the same pid: a container restarted after a
  // kill runs as pid 1 again, and would otherwise be refused its own folder for ever.
  if (holder.pid === process.pid) return holder.token !== undefined && heldHere.get(path) === holder.token;
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
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '?'), ...(typeof parsed.token === 'string' ? { token: parsed.token } : {}) };
    }
  } catch {
    // Missing or unreadable: the lock is written whole (linked in place), so this is damage, not a writer mid-way.
  }
  return null;
}

/**
 * Puts the lock in place, failing with EEXIST if one is there. A file system without hard links (some volume drivers)
 * gets an exclusive create and a write instead, with the small window the link closes.
 */
function placeLock(draft: string, path: string, me: LockHolder): void {
  try {
    linkSync(draft, path);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    const fd = openSync(path, 'wx', 0o644);
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
  }
}

const sameHolder = (a: LockHolder | null, b: LockHolder | null) => a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.since === b.since && a.token === b.token;

/**
 * `between` runs after a lock was judged stale and before it is moved aside: where another process may act. Tests use
 * it to act there; nothing else passes it.
 */
export function lockFolder(folder: string, what: FolderUse = EMBEDDED_DATABASE, between?: () => void): FolderLock {
  const path = join(folder, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomUUID() };
  // Written aside and linked in place: the lock file appears whole or not at all, so no reader ever finds it empty
  // and takes it for a dead holder's while its writer is between create and write.
  const draft = `${path}.${me.token}`;
  writeFileSync(draft, JSON.stringify(me), { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        placeLock(draft, path, me);
        heldHere.set(path, me.token!);
        const release = () => {
          if (heldHere.get(path) !== me.token) return;
          heldHere.delete(path);
          if (readHolder(path)?.token === me.token) rmSync(path, { force: true });
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
      if (holder && alive(holder, path)) throw new FolderInUseError(folder, holder, what);
      // A stale lock: move it aside (atomic), then make sure it was the one judged stale. Two processes may both
      // judge it so; the second would otherwise move the first one's new lock away, and both would hold the folder.
      const aside = `${path}.stale-${me.token}`;
      between?.();
      try {
        renameSync(path, aside);
      } catch {
        continue; // someone else moved it first
      }
      const moved = readHolder(aside);
      if (holder !== null && !sameHolder(moved, holder)) {
        try {
          linkSync(aside, path);
        } catch {
          // Another lock is in place already: that process holds the folder.
        }
        rmSync(aside, { force: true });
        throw new FolderInUseError(folder, moved ?? readHolder(path) ?? { pid: -1, host: '?', since: '?' }, what);
      }
      rmSync(aside, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  const holder = readHolder(path);
  throw new FolderInUseError(folder, holder ?? { pid: -1, host: '?', since: '?' }, what);
}
