/** Throughput and latency of an operation run by N concurrent clients for a fixed time. */
export interface Measurement {
  label: string;
  /** Operations (or items, see itemsPerOp) per second over the whole run. */
  perSecond: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  /** Ratio against the baseline row it names, when it has one. */
  baseline?: string;
}

export interface TimedRun {
  ops: number;
  seconds: number;
  latenciesMs: number[];
}

export async function runFor(clients: number, durationMs: number, op: (client: number, iteration: number) => Promise<void>): Promise<TimedRun> {
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let ops = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let iteration = 0; process.hrtime.bigint() < deadline; iteration += 1) {
        const t0 = process.hrtime.bigint();
        await op(client, iteration);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        ops += 1;
      }
    }),
  );
  return { ops, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}

export async function runTimes(times: number, op: (iteration: number) => Promise<void>): Promise<TimedRun> {
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  for (let iteration = 0; iteration < times; iteration += 1) {
    const t0 = process.hrtime.bigint();
    await op(iteration);
    latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ops: times, seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

export function measurement(label: string, run: TimedRun, options: { unit?: string; itemsPerOp?: number; baseline?: string } = {}): Measurement {
  return {
    label,
    perSecond: (run.ops * (options.itemsPerOp ?? 1)) / run.seconds,
    unit: options.unit ?? 'ops/s',
    p50Ms: percentile(run.latenciesMs, 50),
    p99Ms: percentile(run.latenciesMs, 99),
    rssMb: rssMb(),
    baseline: options.baseline,
  };
}

export interface InterleavedCase {
  clients: number;
  op: (client: number, iteration: number) => Promise<void>;
}

/**
 * Runs the cases in turn, `slices` times each for sliceMs, and sums them. A case and its baseline then see the same
 * mix of background load, which on a shared machine moves more than the thing being measured.
 */
export async function interleave(cases: InterleavedCase[], slices: number, sliceMs: number): Promise<TimedRun[]> {
  const totals: TimedRun[] = cases.map(() => ({ ops: 0, seconds: 0, latenciesMs: [] }));
  const iterations = cases.map(() => 0);
  for (let slice = 0; slice < slices; slice += 1) {
    for (const [index, entry] of cases.entries()) {
      const offset = iterations[index]!;
      const part = await runFor(entry.clients, sliceMs, (client, iteration) => entry.op(client, offset + iteration));
      iterations[index] = offset + part.ops;
      const total = totals[index]!;
      total.ops += part.ops;
      total.seconds += part.seconds;
      for (const latency of part.latenciesMs) total.latenciesMs.push(latency);
    }
  }
  return totals;
}
