import type { Checkpoint } from './envelope.ts';

export const START: Checkpoint = Object.freeze({ commit: 0n, prepare: 0n });

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Wire form: "commit/prepare", both decimal, so positions beyond 2^53 survive JSON. */
export function formatCheckpoint(cp: Checkpoint): string {
  return `${cp.commit}/${cp.prepare}`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text);
  if (!match) throw new TypeError(`checkpoint must look like "<commit>/<prepare>" with decimal numbers, got "${text}"`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
