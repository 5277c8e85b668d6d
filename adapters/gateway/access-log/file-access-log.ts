/**
 * A single gateway's access log in a file under its data directory (`npm run gateway` without --access-log-url): one
 * JSON line per entry, in seq order. The log held in memory before this was lost with every restart, and with it the
 * department's record of whom it had told what. Each entry reaches the disk (fdatasync) before its append returns, so
 * before the answer leaves, as PostgreSQL's commit does for the shared log: an answered request is never missing from
 * the record. Like PostgreSQL's commits, appends arriving together share one flush, run off the event loop, so a
 * gateway answering many requests does not wait for the disk once per entry. A page lists only entries whose flush
 * completed.
 *
 * One process per file: the gateway locks its folder before opening it (scripts/gateway.ts), as two writers would
 * number entries twice. Reading back is checked: a line cut short by a crash mid-write is the tail of an append that
 * never returned (its request was not answered), so it is cut off and the bytes cut are reported; a line that does
 * not parse, a seq out of order or another department's entry stops the log from opening. That finds accidents (a
 * bad restore, a hand edit, the wrong file), not a deliberate rewrite: whoever can write the file can write a
 * consistent one. The PostgreSQL log (--access-log-url), whose table refuses UPDATE and DELETE, is the one to use
 * where that matters.
 */
import { closeSync, constants, fchmodSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, read, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { matches } from './memory-access-log.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AccessLog, type AccessLogEntry, type AccessLogQuery, type AnswerToKeep, type NewAccessLogEntry } from './types.ts';

export interface FileAccessLogOptions {
  file: string;
  /** The department whose log this is: an entry of another one means the wrong file, and it refuses to open. */
  department?: string;
  /** node:fs's fdatasync unless given: tests pass one that fails, as a failing disk would. */
  fdatasync?: (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;
}

export interface FileAccessLog extends AccessLog {
  /** Bytes of a torn last line cut off at open (an append a crash interrupted); 0 when the file ended whole. */
  readonly cutAtOpen: number;
}

export class DamagedAccessLogError extends Error {
  readonly code = 'ACCESS_LOG_DAMAGED';
  constructor(readonly file: string, readonly line: number, why: string) {
    super(`the access log ${file} is damaged at line ${line} (${why}): it was changed outside the gateway; restore it from a backup before starting`);
  }
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export function createFileAccessLog(options: FileAccessLogOptions): FileAccessLog {
  const { file } = options;
  const folder = dirname(file);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Not O_APPEND: each write goes where the checked record ends.
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  // Where each entry's line starts: entry seq n is line n, so paging by seq reads only the lines it returns.
  const offsets: number[] = [];
  let size: number;
  let cutAtOpen: number;
  try {
    // Owner-only, also for a file restored or copied with a wider mode: entries name the subjects asked about.
    fchmodSync(fd, 0o600);
    ({ size, cut: cutAtOpen } = readBack(fd, file, offsets, options.department));
    // A new file's name is in its folder only once the folder is on disk too: its first entries would not be.
    if (size === 0) syncFolder(folder);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let closed = false;
  // Set when the disk failed a flush, or a failed write could not be undone: no later entry is trusted to it.
  let broken: Error | null = null;
  // Pages being read: the file stays open until the last ends, or its descriptor, closed and then given to another
  // file the process opens, would have a page read from that file.
  let reading = 0;
  // close() answers once the descriptor is closed: a caller that then releases the folder's lock must not leave a
  // flush behind that could still cut the file back under the next process.
  let fdClosed = false;
  let markClosed: () => void = () => {};
  const whenClosed = new Promise<void>((resolve) => (markClosed = resolve));
  const closeWhenIdle = () => {
    if (!closed || fdClosed || reading > 0 || flushing) return;
    fdClosed = true;
    try {
      closeSync(fd);
    } finally {
      markClosed();
    }
  };

  // What has reached the disk: pages read only this far, and a failed flush takes the file back to it.
  let durableSize = size;
  let durableCount = offsets.length;
  let flushing = false;
  /** Appends written and waiting for a flush that has not started yet. */
  let waiting: Array<{ resolve(): void; reject(error: Error): void }> = [];

  const durable = () =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (!flushing) flush();
    });

  /** One fdatasync for every append written before it starts; those written meanwhile wait for the next. */
  function flush(): void {
    const covered = waiting;
    waiting = [];
    const target = { size, count: offsets.length };
    flushing = true;
    let settled = false;
    const done = (error: Error | null) => {
      if (settled) return;
      settled = true;
      flushing = false;
      if (error) {
        // Nothing written since the last good flush can be vouched for: no append of it returns, and the file goes back
        // to what was on disk. Later appends are refused (broken): a disk that failed a flush is not trusted again here.
        broken = error;
        try {
          ftruncateSync(fd, durableSize);
          size = durableSize;
          offsets.length = durableCount;
          // So a crash now does not bring the refused entries back; if this fails too, a restart may list them.
          fdatasyncSync(fd);
        } catch {
          // broken is set either way.
        }
        for (const append of [...covered, ...waiting]) append.reject(error);
        waiting = [];
      } else {
        durableSize = target.size;
        durableCount = target.count;
        for (const append of covered) append.resolve();
        if (waiting.length > 0) flush();
      }
      closeWhenIdle();
    };
    try {
      (options.fdatasync ?? fdatasync)(fd, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  const readAt = (buffer: Buffer, length: number, position: number) =>
    new Promise<number>((resolve, reject) => read(fd, buffer, 0, length, position, (error, bytes) => (error ? reject(error) : resolve(bytes))));

  /**
   * Lines from `from` on, parsed one chunk at a time, until `take` says stop. Asynchronous reads: a filter that matches
   * nothing reads the file to its end, and the gateway keeps answering meanwhile. Appends only add lines past what was
   * there, so reading up to the durable size seen at each chunk is always reading whole entries.
   */
  async function scan(from: number, take: (entry: AccessLogEntry) => boolean): Promise<void> {
    reading += 1;
    try {
      await scanOpen(from, take);
    } finally {
      reading -= 1;
      closeWhenIdle();
    }
  }

  async function scanOpen(from: number, take: (entry: AccessLogEntry) => boolean): Promise<void> {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const lines = new Lines();
    for (let offset = from; offset < durableSize; ) {
      if (closed) throw new Error('the access log was closed while a page was read');
      const got = await readAt(buffer, Math.min(CHUNK, durableSize - offset), offset);
      if (got === 0) return;
      offset += got;
      if (!lines.feed(buffer.subarray(0, got), (text) => take(JSON.parse(text) as AccessLogEntry))) return;
    }
  }

  return {
    cutAtOpen,
    async append(entry: NewAccessLogEntry, keep?: AnswerToKeep): Promise<AccessLogEntry> {
      if (closed) throw new Error('the access log is closed');
      if (broken) throw new Error(`the access log takes no more entries since the disk failed it (restart the gateway once the disk is sound): ${broken.message}`);
      // Its gateway keeps answers in its replay cache: one given here would be lost where retries look for it.
      if (keep !== undefined) throw new Error('this access log does not keep answers: keep them in the replay cache');
      const stored: AccessLogEntry = { ...entry, fields: [...entry.fields], subject: entry.subject ? { ...entry.subject } : null, seq: offsets.length + 1 };
      // JSON escapes every line break inside a value, so no field can end a line early and forge a second entry.
      const line = Buffer.from(`${JSON.stringify(stored)}\n`, 'utf8');
      let written = 0;
      try {
        while (written < line.length) written += writeSync(fd, line, written, line.length - written, size + written);
      } catch (error) {
        // Nothing half-written may stay for the next entry to be glued onto: the record ends where it did.
        try {
          ftruncateSync(fd, size);
        } catch (undo) {
          broken = undo instanceof Error ? undo : new Error(String(undo));
        }
        throw error;
      }
      offsets.push(size);
      size += line.length;
      await durable();
      return stored;
    },
    async list(query: AccessLogQuery = {}): Promise<AccessLogEntry[]> {
      if (closed) throw new Error('the access log is closed');
      const limit = Math.min(Number.isFinite(query.limit) ? query.limit! : DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      const first = Number.isFinite(query.after) ? Math.max(0, Math.floor(query.after!)) : 0;
      const out: AccessLogEntry[] = [];
      if (first >= durableCount || limit <= 0) return out;
      await scan(offsets[first]!, (entry) => {
        if (matches(entry, query)) out.push(entry);
        return out.length < limit;
      });
      return out;
    },
    async close() {
      closed = true;
      closeWhenIdle();
      return whenClosed;
    },
  };
}

function syncFolder(folder: string): void {
  const dir = openSync(folder, constants.O_RDONLY);
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Reads the file's lines into `offsets`, checking each; cuts off a torn last line. Answers the size kept and the bytes cut. */
function readBack(fd: number, file: string, offsets: number[], department: string | undefined): { size: number; cut: number } {
  const total = fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(CHUNK);
  const lines = new Lines();
  let lineStart = 0;
  for (let offset = 0; offset < total; ) {
    const got = readSync(fd, buffer, 0, Math.min(CHUNK, total - offset), offset);
    if (got === 0) break;
    offset += got;
    lines.feed(buffer.subarray(0, got), (text, bytes) => {
      check(text, offsets.length + 1, file, department);
      offsets.push(lineStart);
      lineStart += bytes + 1;
      return true;
    });
  }
  // A last line without its line break was being written when the process died: that append never returned.
  if (lineStart < total) ftruncateSync(fd, lineStart);
  return { size: lineStart, cut: total - lineStart };
}

/**
 * Whole lines out of chunks read one after another, for the check at open and for pages alike. Bytes, not text, carry
 * over between chunks: a character cut at a chunk's end must be decoded whole.
 */
class Lines {
  private carry: Buffer = Buffer.alloc(0);

  /** Each line the chunk completes, as text and its length in bytes (without the break), until `line` answers false. */
  feed(chunk: Buffer, line: (text: string, bytes: number) => boolean): boolean {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      if (!line(bytes.toString('utf8', start, end), end - start)) return false;
      start = end + 1;
    }
    // A copy: the chunk's buffer is read into again.
    this.carry = Buffer.from(bytes.subarray(start));
    return true;
  }
}

function check(line: string, seq: number, file: string, department: string | undefined): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new DamagedAccessLogError(file, seq, 'not an entry');
  }
  const entry = parsed as Partial<AccessLogEntry> | null;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new DamagedAccessLogError(file, seq, 'not an entry');
  if (entry.seq !== seq) throw new DamagedAccessLogError(file, seq, `seq ${String(entry.seq)} where ${seq} was due`);
  if (typeof entry.department !== 'string' || typeof entry.at !== 'string' || !Array.isArray(entry.fields)) throw new DamagedAccessLogError(file, seq, 'an entry without its department, time or fields');
  if (department !== undefined && entry.department !== department) throw new DamagedAccessLogError(file, seq, `an entry of ${entry.department}, in the log of ${department}`);
}
