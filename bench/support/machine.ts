import os from 'node:os';

/** What a figure was measured on; benchmarks without it cannot be compared. */
export function machineLine(extra: Record<string, string> = {}): string {
  const facts = {
    cpus: `${os.availableParallelism()} x ${os.cpus()[0]?.model.trim() ?? 'unknown'}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    // The machine is shared; the load says how much of a figure is someone else's work.
    'load average (1/5/15 min)': os.loadavg().map((load) => load.toFixed(1)).join(' / '),
    ...extra,
  };
  return Object.entries(facts)
    .map(([key, value]) => `${key}: ${value}`)
    .join('; ');
}
