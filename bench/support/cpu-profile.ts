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
  totalMs: number;
  byModule: Array<{ name: string; ms: number; share: number }>;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  /** Time under (inclusive of) frames whose function or location matches each label's pattern. */
  inclusive: Array<{ name: string; ms: number; share: number }>;
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

/** Self time by module and by function, and inclusive time under the named patterns. */
export function summarize(profile: Profile, inclusivePatterns: Record<string, RegExp>, saveAs?: string): ProfileSummary {
  const sampled = profile.samples?.length ?? 0;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerHit = sampled ? totalMs / sampled : 0;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const busy = profile.nodes.filter((n) => !['(idle)', '(program)'].includes(n.callFrame.functionName));
  let busyMs = 0;
  for (const node of busy) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    busyMs += ms;
    const frame = node.callFrame;
    const where = frame.url ? `${moduleOf(frame.url)}:${frame.lineNumber + 1}` : moduleOf('');
    modules.set(moduleOf(frame.url), (modules.get(moduleOf(frame.url)) ?? 0) + ms);
    const key = `${frame.functionName || '(anonymous)'} ${where}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    // Walk up once per node; a label counts once per sample even if several frames on the stack match.
    const matched = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const text = `${f.functionName} ${f.url}`;
      for (const [label, pattern] of Object.entries(inclusivePatterns)) if (pattern.test(text)) matched.add(label);
    }
    for (const label of matched) inclusive.set(label, (inclusive.get(label) ?? 0) + ms);
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
  return { totalMs: busyMs, byModule: ranked(modules, 15), byFunction: ranked(functions, 20), inclusive: ranked(inclusive, 50), file };
}
