import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * Samples this process's CPU with the inspector (what `node --cpu-prof` records) around one stretch of a bench, so a
 * missed target can be explained by where the time went instead of guessed at.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  /** Busy (non-idle) milliseconds sampled. */
  totalMs: number;
  /**
   * Self time with native frames (syscalls such as a socket write, crypto, JSON) charged to the nearest JavaScript
   * frame of a package or of this repository, then named by the first matching concern (else by its module).
   */
  byConcern: Array<{ name: string; ms: number; share: number }>;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  file: string | null;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function moduleOf(url: string): string {
  if (!url) return '(native / VM)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:') || !file.startsWith('/')) return `node:${file.replace(/^node:/, '').split('/')[0]}`;
  if (file.startsWith(root)) return path.relative(root, file).split('/').slice(0, 2).join('/');
  return file;
}

export async function startProfile(): Promise<() => Promise<Profile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    return profile;
  };
}

/** Self time charged to concerns, and the functions with the most self time. */
export function summarize(profile: Profile, concerns: Record<string, RegExp>, saveAs?: string): ProfileSummary {
  const sampled = profile.samples?.length ?? 0;
  const msPerHit = sampled ? (profile.endTime - profile.startTime) / 1000 / sampled : 0;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const owned = (url: string) => url !== '' && !url.startsWith('node:') && url.startsWith('file://');
  const charged = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyMs = 0;
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0 || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    busyMs += ms;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${moduleOf(frame.url)}:${frame.lineNumber + 1}` : '(native)'}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    let owner: ProfileNode | undefined = node;
    while (owner && !owned(owner.callFrame.url)) owner = byId.get(parent.get(owner.id) ?? -1);
    const text = owner ? `${owner.callFrame.functionName} ${owner.callFrame.url}` : frame.functionName;
    const concern = Object.entries(concerns).find(([, pattern]) => pattern.test(text))?.[0] ?? (owner ? moduleOf(owner.callFrame.url) : frame.functionName || '(native)');
    charged.set(concern, (charged.get(concern) ?? 0) + ms);
  }
  const ranked = (map: Map<string, number>, top: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busyMs ? ms / busyMs : 0 }));
  let file: string | null = null;
  if (saveAs) {
    writeFileSync(saveAs, JSON.stringify(profile));
    file = saveAs;
  }
  return { totalMs: busyMs, byConcern: ranked(charged, 20), byFunction: ranked(functions, 20), file };
}
