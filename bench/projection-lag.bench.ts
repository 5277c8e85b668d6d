import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createPostgresEventStore } from '../adapters/event-store/postgres/index.ts';
import { createPostgresReadStore } from '../adapters/read-store/postgres/index.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { createProjectionRunner } from '../projections/index.ts';
import { checkpointKey } from '../projections/runner/index.ts';
import { createViewProjectors } from '../projections/views/index.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { calendar, services } from '../test/unit/projection-views-scenarios.ts';
import { newEventsOf } from '../test/unit/projection-views-support.ts';
import { caseAppend, templateOf } from './support/case-log.ts';
import { machineLine } from './support/machine.ts';
import { percentile } from './support/measure.ts';

/**
 * Projection lag while 8 writers append: the issue promises under 1 s. The six view projections run live as a worker
 * runs them (one runner, 100 ms idle poll); 8 writers in a separate process (as API processes would be) play real
 * cases from bench/support/case-log.ts and report each append's position and wall-clock time. Lag of an append =
 * when a projection's committed checkpoint first covers its position, minus when the append returned; checkpoints
 * are polled every 10 ms, so figures carry up to 10 ms of sampling.
 *
 * Two phases: paced at BENCH_LAG_RATE appends/s in all (default 400), and closed loop (every writer as fast as it
 * can). Each runs BENCH_LAG_SECONDS (default 20).
 */
const WRITERS = 8;
const RATE = Number(process.env.BENCH_LAG_RATE ?? 400);
const SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const POLL_MS = 10;
const TARGET_MS = 1000;

const wallMs = () => performance.timeOrigin + performance.now();

/** Child: appends whole cases, one append per command, and prints "position wallMs" per append. */
async function writers(url: string, phase: string): Promise<void> {
  const store = await createPostgresEventStore({ connectionString: url, poolSize: 8, migrate: false });
  const paced = phase === 'paced';
  const until = Date.now() + SECONDS * 1000;
  const perWriterGapMs = (1000 * WRITERS) / RATE;
  const lines: string[] = [];
  const flush = () => {
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    lines.length = 0;
  };
  const timer = setInterval(flush, 50);
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      let next = Date.now();
      for (let n = writer; Date.now() < until; n += WRITERS) {
        const template = templateOf(n);
        for (const [index, append] of template.appends.entries()) {
          if (Date.now() >= until) break;
          if (paced) {
            next += perWriterGapMs;
            const wait = next - Date.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          }
          const own = caseAppend(n, template, append, index, `lag-${phase}`);
          const result = await store.append(own.streamId, newEventsOf(own), { expectedRevision: 'any' });
          lines.push(`${result.position} ${wallMs().toFixed(1)}`);
        }
      }
    }),
  );
  clearInterval(timer);
  flush();
  await store.close();
}

interface Appended {
  position: bigint;
  at: number;
}

interface PhaseResult {
  phase: string;
  appends: number;
  seconds: number;
  lagMs: Map<string, number[]>;
  drainMs: number;
}

async function runPhase(url: string, readStore: ReadStore, names: string[], phase: string): Promise<PhaseResult> {
  const appended: Appended[] = [];
  const seen = new Map(names.map((name) => [name, 0]));
  const lagMs = new Map(names.map((name) => [name, [] as number[]]));
  const poll = async () => {
    const now = wallMs();
    for (const name of names) {
      const checkpoint = await readStore.getCheckpoint(checkpointKey(name, 1));
      if (!checkpoint) continue;
      let index = seen.get(name)!;
      // Appends arrive nearly in position order; one that overtook a later position waits for it, within a poll.
      while (index < appended.length && appended[index]!.position <= checkpoint.prepare) {
        lagMs.get(name)!.push(Math.max(0, now - appended[index]!.at));
        index += 1;
      }
      seen.set(name, index);
    }
  };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();

  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'projection-lag'], {
    env: { ...process.env, BENCH_LAG_CHILD_DB: url, BENCH_LAG_CHILD_PHASE: phase },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [position, at] = line.split(' ');
    if (position && at && /^\d+$/.test(position)) appended.push({ position: BigInt(position), at: Number(at) });
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the writers' process failed (exit ${code})`);
  // From the first append to the last: the writers' process start-up is not writing time.
  const seconds = appended.length > 1 ? (appended.at(-1)!.at - appended[0]!.at) / 1000 : 0;
  const writersDone = wallMs();
  while ([...seen.values()].some((index) => index < appended.length)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const drainMs = wallMs() - writersDone;
  polling = false;
  await poller;
  return { phase, appends: appended.length, seconds, lagMs, drainMs };
}

export async function run(): Promise<void> {
  if (process.env.BENCH_LAG_CHILD_DB) return writers(process.env.BENCH_LAG_CHILD_DB, process.env.BENCH_LAG_CHILD_PHASE ?? 'paced');
  const database = await createTestDatabase('bench_lag');
  const eventStore = await createPostgresEventStore({ connectionString: database.url, poolSize: 4 });
  const readStore = createPostgresReadStore({ connectionString: database.url, maxConnections: 4 });
  const projectors = createViewProjectors({ services, calendars: () => calendar });
  const runner = createProjectionRunner({ eventStore, readStore, projectors, idleMs: 100 });
  const names = projectors.map((p) => p.name);
  try {
    await runner.start();
    const results: PhaseResult[] = [];
    for (const phase of ['paced', 'closed-loop']) {
      results.push(await runPhase(database.url, readStore, names, phase));
      const last = results.at(-1)!;
      console.log(`  ${phase}: ${Math.round(last.appends / last.seconds).toLocaleString('en-US')} appends/s, drained ${last.drainMs.toFixed(0)} ms after the writers stopped`);
    }
    console.log(`\n${machineLine({ writers: `${WRITERS} in one process`, 'paced rate': `${RATE} appends/s`, 'phase length': `${SECONDS} s` })}\n`);
    console.log('| phase | appends/s | projection | lag p50 ms | lag p99 ms | lag max ms | under 1 s |');
    console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
    let worst = 0;
    for (const result of results) {
      for (const name of names) {
        const lags = result.lagMs.get(name)!;
        const [p50, p99] = [percentile(lags, 50), percentile(lags, 99)];
        // A loop, not Math.max(...lags): a closed-loop phase records more lags than a call may take arguments.
        const max = lags.reduce((a, b) => Math.max(a, b), 0);
        worst = Math.max(worst, p99);
        const under = lags.filter((lag) => lag < TARGET_MS).length / lags.length;
        console.log(`| ${result.phase} | ${Math.round(result.appends / result.seconds).toLocaleString('en-US')} | ${name} | ${p50.toFixed(0)} | ${p99.toFixed(0)} | ${max.toFixed(0)} | ${(under * 100).toFixed(1)}% |`);
      }
    }
    console.log(`\nworst p99 lag: ${worst.toFixed(0)} ms (target < ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'NOT met'})`);
  } finally {
    await runner.stop();
    await eventStore.close();
    await readStore.close();
    await database.drop();
  }
}
