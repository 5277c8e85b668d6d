/**
 * A single gateway's access log in a file under its data directory (`npm run gateway` without --access-log-url): one
 * JSON line per entry, in seq order. The log held in memory before this was lost with every restart, and with it the
 * department's record of whom it had told what. Each entry reaches the disk (fdatasync) before the answer leaves, as
 * PostgreSQL's commit does for the shared log, so an answered request is never missing from the record.
 *
 * One process per file: the gateway locks its folder before opening it (scripts/gateway.ts), as two writers would
 * number entries twice. Reading back is checked: a line cut short by a crash mid-write is the tail of an append that
 * never returned (its request was not answered) and is cut off; any other line that does not parse, or a seq out of
 * order, means the file was changed by something else, and the log refuses to open rather than serve a damaged record.
 */
import { closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { matches } from './memory-access-log.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AccessLog, type AccessLogEntry, type AccessLogQuery, type AnswerToKeep, type NewAccessLogEntry } from './types.ts';

export interface FileAccessLogOptions {
  file: string;
}

export class DamagedAccessLogError extends Error {
  readonly code = 'ACCESS_LOG_DAMAGED';
  constructor(readonly file: string, readonly line: number, why: string) {
    super(`the access log ${file} is damaged at line ${line} (${why}): it was changed outside the gateway; restore it from a backup before starting`);
  }
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export function createFileAccessLog(options: FileAccessLogOptions): AccessLog {
  const { file } = options;
  mkdirSync(dirname(file), { recursive: true });
  // Owner-only: entries name the subjects asked about. Not O_APPEND: each write goes where the checked record ends.
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  // Where each entry's line starts: entry seq n is line n, so paging by seq reads only the lines it returns.
  const offsets: number[] = [];
  let size: number;
  try {
    size = readBack(fd, file, offsets);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let closed = false;

  /** Lines from `offset` to the end, parsed one chunk at a time, until `take` says stop. */
  function scan(from: number, take: (entry: AccessLogEntry) => boolean): void {
    const buffer = Buffer.allocUnsafe(CHUNK);
    // Bytes, not text, carry over between chunks: a character cut at a chunk's end must be decoded whole.
    let carry: Buffer = Buffer.alloc(0);
    for (let offset = from; offset < size; ) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK, size - offset), offset);
      if (read === 0) return;
      offset += read;
      const bytes = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer.subarray(0, read);
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
        if (!take(JSON.parse(bytes.toString('utf8', start, end)) as AccessLogEntry)) return;
        start = end + 1;
      }
      carry = Buffer.from(bytes.subarray(start));
    }
  }

  return {
    async append(entry: NewAccessLogEntry, keep?: AnswerToKeep): Promise<AccessLogEntry> {
      if (closed) throw new Error('the access log is closed');
      // Its gateway keeps answers in its replay cache: one given here would be lost where retries look for it.
      if (keep !== undefined) throw new Error('this access log does not keep answers: keep them in the replay cache');
      const stored: AccessLogEntry = { ...entry, fields: [...entry.fields], subject: entry.subject ? { ...entry.subject } : null, seq: offsets.length + 1 };
      // JSON escapes every line break inside a value, so no field can end a line early and forge a second entry.
      const line = Buffer.from(`${JSON.stringify(stored)}\n`, 'utf8');
      let written = 0;
      try {
        while (written < line.length) written += writeSync(fd, line, written, line.length - written, size + written);
        fdatasyncSync(fd);
      } catch (error) {
        // Nothing half-written may stay for the next entry to be glued onto: the record ends where it did.
        ftruncateSync(fd, size);
        throw error;
      }
      offsets.push(size);
      size += line.length;
      return stored;
    },
    async list(query: AccessLogQuery = {}): Promise<AccessLogEntry[]> {
      if (closed) throw new Error('the access log is closed');
      const limit = Math.min(query.limit ?? DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      const first = Math.max(0, Math.floor(query.after ?? 0));
      const out: AccessLogEntry[] = [];
      if (first >= offsets.length || limit <= 0) return out;
      scan(offsets[first]!, (entry) => {
        if (matches(entry, query)) out.push(entry);
        return out.length < limit;
      });
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/** Reads the file's lines into `offsets`, checking each; cuts off a torn last line. Answers the size kept. */
function readBack(fd: number, file: string, offsets: number[]): number {
  const total = fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(CHUNK);
  let lineStart = 0;
  let pending: Buffer[] = [];
  for (let offset = 0; offset < total; ) {
    const read = readSync(fd, buffer, 0, Math.min(CHUNK, total - offset), offset);
    if (read === 0) break;
    let from = 0;
    for (let at = buffer.indexOf(NEWLINE, 0); at !== -1 && at < read; at = buffer.indexOf(NEWLINE, at + 1)) {
      pending.push(buffer.subarray(from, at));
      check(Buffer.concat(pending).toString('utf8'), offsets.length + 1, file);
      offsets.push(lineStart);
      lineStart = offset + at + 1;
      from = at + 1;
      pending = [];
    }
    if (from < read) pending.push(Buffer.from(buffer.subarray(from, read)));
    offset += read;
  }
  // A last line without its line break was being written when the process died: that append never returned.
  if (lineStart < total) ftruncateSync(fd, lineStart);
  return lineStart;
}

function check(line: string, seq: number, file: string): void {
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
}
