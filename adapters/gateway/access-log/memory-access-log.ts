/**
 * The access log in memory: append-only (entries are frozen and never rewritten). Holds the most recent
 * `capacity` entries, so a long-running embedded gateway stays bounded; the PostgreSQL log is the durable record.
 */
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AccessLog, type AccessLogEntry, type AccessLogQuery, type AnswerToKeep, type NewAccessLogEntry } from './types.ts';

export interface MemoryAccessLogOptions {
  capacity?: number;
}

export function matches(entry: AccessLogEntry, query: AccessLogQuery): boolean {
  if (query.after !== undefined && entry.seq <= query.after) return false;
  if (query.caseId !== undefined && entry.caseId !== query.caseId) return false;
  if (query.subjectId !== undefined && entry.subject?.id !== query.subjectId) return false;
  return true;
}

export function createMemoryAccessLog(options: MemoryAccessLogOptions = {}): AccessLog {
  const capacity = options.capacity ?? 100_000;
  const entries: AccessLogEntry[] = [];
  let seq = 0;
  return {
    async append(entry: NewAccessLogEntry, keep?: AnswerToKeep): Promise<AccessLogEntry> {
      // Its gateway keeps answers in its replay cache: one given here would be lost where retries look for it.
      if (keep !== undefined) throw new Error('this access log does not keep answers: keep them in the replay cache');
      seq += 1;
      const stored = Object.freeze({ ...entry, fields: Object.freeze([...entry.fields]) as string[], subject: entry.subject ? Object.freeze({ ...entry.subject }) : null, seq });
      entries.push(stored);
      if (entries.length > capacity) entries.splice(0, entries.length - capacity);
      return stored;
    },
    async list(query: AccessLogQuery = {}): Promise<AccessLogEntry[]> {
      const limit = Math.min(query.limit ?? DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      const out: AccessLogEntry[] = [];
      if (limit <= 0) return out;
      for (const entry of entries) {
        if (!matches(entry, query)) continue;
        out.push(entry);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
