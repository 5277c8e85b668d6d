import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeptAnswer, ReplayCache } from '../../../domain/ports/replay-cache.ts';

export interface FileReplayCacheOptions {
  /** One line per token id first used: `<expiresAtMs> <jti>`; one per kept answer: `A <expiresAtMs> <key> <base64url JSON>`. */
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
  const answers = new Map<string, { answer: KeptAnswer; expiresAtMs: number }>();
  mkdirSync(dirname(file), { recursive: true });
  // Owner-only: kept answers hold the fields a department delivered, personal data. Also a file made by an older
  // release, or restored, with a wider mode.
  if (existsSync(file)) chmodSync(file, 0o600);
  let lines = 0;
  const answerLine = (key: string, answer: KeptAnswer, expiresAtMs: number) =>
    `A ${expiresAtMs} ${key} ${Buffer.from(JSON.stringify({ digest: answer.digest, body: answer.body })).toString('base64url')}\n`;
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('A ')) {
        const [, expiry, key, encoded] = line.split(' ');
        try {
          const answer = JSON.parse(Buffer.from(encoded ?? '', 'base64url').toString('utf8')) as KeptAnswer;
          if (!Number.isFinite(Number(expiry)) || !key || typeof answer.digest !== 'string' || typeof answer.body !== 'string') continue;
          lines += 1;
          // A later line for the same key was kept after the earlier one expired.
          if ((answers.get(key)?.expiresAtMs ?? -Infinity) < Number(expiry)) answers.set(key, { answer, expiresAtMs: Number(expiry) });
        } catch {
          // A line torn by a crash mid-append: that answer is fetched again if asked for, never served half.
        }
        continue;
      }
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
    for (const [key, kept] of answers) if (kept.expiresAtMs <= nowMs) answers.delete(key);
    if (lines <= 2 * (seen.size + answers.size)) return;
    const temporary = `${file}.compacting`;
    const live = [...seen].map(([id, expiry]) => `${expiry} ${id}\n`).concat([...answers].map(([key, kept]) => answerLine(key, kept.answer, kept.expiresAtMs)));
    writeFileSync(temporary, live.join(''), { mode: 0o600 });
    renameSync(temporary, file);
    lines = live.length;
  }

  return {
    async firstUse(jti, expiresAtMs, nowMs) {
      // Ids are the signer's token ids; one with a line break could forge a second entry, so it is refused.
      if (/[\s]/.test(jti) || jti === '') return false;
      const expiry = seen.get(jti);
      if (expiry !== undefined && expiry > nowMs) return false;
      appendFileSync(file, `${expiresAtMs} ${jti}\n`, { mode: 0o600 });
      seen.set(jti, expiresAtMs);
      lines += 1;
      appendsSinceSweep += 1;
      if (appendsSinceSweep >= compactAfter) sweep(nowMs);
      return true;
    },
    async keptAnswer(requestKey, nowMs) {
      const kept = answers.get(requestKey);
      return kept && kept.expiresAtMs > nowMs ? { ...kept.answer } : null;
    },
    async keepAnswer(requestKey, answer, expiresAtMs, nowMs) {
      if (/\s/.test(requestKey) || requestKey === '') return;
      const kept = answers.get(requestKey);
      if (kept && kept.expiresAtMs > nowMs) return;
      appendFileSync(file, answerLine(requestKey, answer, expiresAtMs), { mode: 0o600 });
      answers.set(requestKey, { answer: { ...answer }, expiresAtMs });
      lines += 1;
      appendsSinceSweep += 1;
      if (appendsSinceSweep >= compactAfter) sweep(nowMs);
    },
    async close() {
      seen.clear();
      answers.clear();
    },
  };
}
