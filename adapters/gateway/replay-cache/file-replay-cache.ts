import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReplayCache } from '../../../domain/ports/replay-cache.ts';

export interface FileReplayCacheOptions {
  /** One line per token id first used: `<expiresAtMs> <jti>`. */
  file: string;
  /** Every this many appends, expired ids are dropped, and the file rewritten if most of its lines are expired. */
  compactAfter?: number;
}

/**
 * A single gateway's replay cache that survives its restart: ids are kept in memory and appended to a file under the
 * gateway's data directory before a request is answered, and read back on start. A restart therefore never opens a
 * window in which a captured request could be played again within its token's lifetime. Appends reach the operating
 * system before the answer leaves (a killed process loses nothing; a lost machine loses its disk anyway). Several
 * instances of one department's gateway need the shared PostgreSQL cache instead.
 */
export function createFileReplayCache(options: FileReplayCacheOptions): ReplayCache {
  const { file } = options;
  const compactAfter = options.compactAfter ?? 50_000;
  const seen = new Map<string, number>();
  mkdirSync(dirname(file), { recursive: true });
  let lines = 0;
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space <= 0) continue;
      const expiry = Number(line.slice(0, space));
      const jti = line.slice(space + 1);
      if (!Number.isFinite(expiry) || jti === '') continue;
      lines += 1;
      seen.set(jti, Math.max(expiry, seen.get(jti) ?? 0));
    }
  }

  let appendsSinceSweep = 0;
  function sweep(nowMs: number): void {
    appendsSinceSweep = 0;
    for (const [id, expiry] of seen) if (expiry <= nowMs) seen.delete(id);
    if (lines <= 2 * seen.size) return;
    const temporary = `${file}.compacting`;
    writeFileSync(temporary, [...seen].map(([id, expiry]) => `${expiry} ${id}\n`).join(''));
    renameSync(temporary, file);
    lines = seen.size;
  }

  return {
    async firstUse(jti, expiresAtMs, nowMs) {
      // Ids are the signer's token ids; one with a line break could forge a second entry, so it is refused.
      if (/[\s]/.test(jti) || jti === '') return false;
      const expiry = seen.get(jti);
      if (expiry !== undefined && expiry > nowMs) return false;
      appendFileSync(file, `${expiresAtMs} ${jti}\n`);
      seen.set(jti, expiresAtMs);
      lines += 1;
      appendsSinceSweep += 1;
      if (appendsSinceSweep >= compactAfter) sweep(nowMs);
      return true;
    },
    async close() {
      seen.clear();
    },
  };
}
