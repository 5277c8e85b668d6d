import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A small file written so that it survives a crash or a power cut whole: the master key file, signing keys, their
 * JWKS. Written in place, a process killed mid-write leaves the file cut short, and a file not flushed before the
 * keys in it are used (subject keys wrapped, certificates signed) can come back empty after a power cut while the
 * database that depends on it kept its writes: every sealed value or signature made under it would be lost for good.
 *
 * So the content goes to a new file beside it, which is flushed, then linked (`exclusive`: only if no file is there,
 * as another process starting at the same moment may have made one) or renamed over the old one, and the folder is
 * flushed so the new name itself survives. A reader sees the old file or the whole new one, never a part.
 *
 * Answers false, writing nothing, when `exclusive` and the file exists.
 */
export function writeFileDurably(path: string, content: string, options: { mode?: number; exclusive?: boolean } = {}): boolean {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const draft = join(folder, `.${basename(path)}.${randomUUID()}.draft`);
  const fd = openSync(draft, 'wx', options.mode ?? 0o600);
  try {
    const bytes = Buffer.from(content, 'utf8');
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.exclusive) {
      try {
        linkSync(draft, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    } else {
      renameSync(draft, path);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  syncFolder(folder);
  return true;
}

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
