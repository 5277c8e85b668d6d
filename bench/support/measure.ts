/** Throughput, latency and CPU cost of an operation run by N concurrent clients. */
export interface Measurement {
  label: string;
  /** Operations (or items, see itemsPerOp) per second over the whole run. */
  perSecond: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  /** CPU time of this process per operation, when measured. */
  clientCpuUs?: number;
  /** CPU time of the database server processes per operation, when they can be read (local PostgreSQL). */
  serverCpuUs?: number;
  /** Ratio against the baseline row it names, when it has one. */
  baseline?: string;
}

export interface TimedRun {
  ops: number;
  seconds: number;
  latenciesMs: number[];
  /** Optional so benches that build runs themselves need not measure CPU. */
  clientCpuMs?: number;
  serverCpuMs?: number;
}

/** Reads the database server's accumulated CPU milliseconds; undefined when it cannot. */
export type ServerCpu = () => Promise<number | undefined>;

const noServer: ServerCpu = async () => undefined;

/** An operation; it may answer how many items it did (events in an append, say), counted as ops instead of 1. */
export type Op = (client: number, iteration: number) => Promise<void | number>;

export async function runFor(
  clients: number,
  durationMs: number,
  op: Op,
  serverCpu: ServerCpu = noServer,
): Promise<TimedRun> {
  return accounted(serverCpu, async (latenciesMs) => {
    const deadline = process.hrtime.bigint() + BigInt(durationMs) * 1_000_000n;
    let ops = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let iteration = 0; process.hrtime.bigint() < deadline; iteration += 1) {
          const t0 = process.hrtime.bigint();
          const items = await op(client, iteration);
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          ops += typeof items === 'number' ? items : 1;
        }
      }),
    );
    return ops;
  });
}

export async function runTimes(times: number, op: (iteration: number) => Promise<void>, serverCpu: ServerCpu = noServer): Promise<TimedRun> {
  return accounted(serverCpu, async (latenciesMs) => {
    for (let iteration = 0; iteration < times; iteration += 1) {
      const t0 = process.hrtime.bigint();
      await op(iteration);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times;
  });
}

/** Wall time, this process's CPU and the server's CPU around `work`, which records latencies and counts ops. */
export async function accounted(serverCpu: ServerCpu, work: (latenciesMs: number[]) => Promise<number>): Promise<TimedRun> {
  const latenciesMs: number[] = [];
  const server0 = await serverCpu();
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const ops = await work(latenciesMs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const server1 = await serverCpu();
  const serverCpuMs = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  return { ops, seconds, latenciesMs, clientCpuMs: (cpu.user + cpu.system) / 1000, serverCpuMs };
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
    clientCpuUs: run.clientCpuMs === undefined ? undefined : (run.clientCpuMs * 1000) / run.ops,
    serverCpuUs: run.serverCpuMs === undefined ? undefined : (run.serverCpuMs * 1000) / run.ops,
    baseline: options.baseline,
  };
}

export interface InterleavedCase {
  clients: number;
  op: Op;
}

/**
 * Runs the cases in turn, `slices` times each for sliceMs, and sums them. A case and its baseline then see the same
 * mix of background load, which on a shared machine moves more than the thing being measured.
 */
export async function interleave(cases: InterleavedCase[], slices: number, sliceMs: number, serverCpu: ServerCpu = noServer): Promise<TimedRun[]> {
  return (await interleavedSlices(cases, slices, sliceMs, serverCpu)).map(sumRuns);
}

/** As interleave, each case's slices kept apart (in order): slice i of every case ran within one turn of the others. */
export async function interleavedSlices(cases: InterleavedCase[], slices: number, sliceMs: number, serverCpu: ServerCpu = noServer): Promise<TimedRun[][]> {
  const parts: TimedRun[][] = cases.map(() => []);
  const iterations = cases.map(() => 0);
  for (let slice = 0; slice < slices; slice += 1) {
    // The order turns every slice: whichever case runs first after another one ran differs from the rest (caches, the
    // server's state), and an A/A run of two identical cases read the second up to 7% faster when it was always second.
    for (let turn = 0; turn < cases.length; turn += 1) {
      const index = (slice + turn) % cases.length;
      const entry = cases[index]!;
      const offset = iterations[index]!;
      const part = await runFor(entry.clients, sliceMs, (client, iteration) => entry.op(client, offset + iteration), serverCpu);
      iterations[index] = offset + part.ops;
      parts[index]!.push(part);
    }
  }
  return parts;
}

/** Several runs of one case as one: ops, seconds and CPU added up, latencies pooled; server CPU only if every run has it. */
export function sumRuns(runs: TimedRun[]): TimedRun {
  return {
    ops: runs.reduce((n, r) => n + r.ops, 0),
    seconds: runs.reduce((n, r) => n + r.seconds, 0),
    latenciesMs: runs.flatMap((r) => r.latenciesMs),
    clientCpuMs: runs.reduce((n, r) => n + (r.clientCpuMs ?? 0), 0),
    serverCpuMs: runs.some((r) => r.serverCpuMs === undefined) ? undefined : runs.reduce((n, r) => n + r.serverCpuMs!, 0),
  };
}

/**
 * How far the ratio of two interleaved cases' summed throughputs (`measured` over `baseline`) could move by chance of
 * which slices the run happened to get: a percentile bootstrap over slice pairs (slice i of each case ran side by side,
 * so a pair shares its background load). A ratio whose interval stays clear of a target is not one lucky run.
 * Deterministic: the resampling is seeded, so a given set of slices always reports the same interval.
 */
export function ratioInterval(measured: readonly TimedRun[], baseline: readonly TimedRun[], confidence = 0.9, resamples = 2000): { low: number; high: number } {
  if (measured.length !== baseline.length || measured.length === 0) throw new RangeError('an interval needs slice pairs: as many measured slices as baseline ones, at least one');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence lies strictly between 0 and 1');
  const random = seededRandom(0x5eed);
  const ratios: number[] = [];
  for (let round = 0; round < resamples; round += 1) {
    let ops = [0, 0];
    let seconds = [0, 0];
    for (let draw = 0; draw < measured.length; draw += 1) {
      const pick = Math.floor(random() * measured.length);
      ops = [ops[0]! + measured[pick]!.ops, ops[1]! + baseline[pick]!.ops];
      seconds = [seconds[0]! + measured[pick]!.seconds, seconds[1]! + baseline[pick]!.seconds];
    }
    ratios.push(ops[0]! / seconds[0]! / (ops[1]! / seconds[1]!));
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(ratios, tail), high: percentile(ratios, 100 - tail) };
}

/** mulberry32: a small seeded generator, so resampling is repeatable (never for anything secret). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
