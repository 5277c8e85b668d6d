/**
 * Projection maintenance from the command line, against the stores the environment configures:
 *
 *   npm run projections -- status [--json]
 *   npm run projections -- rebuild <name>
 *
 * Stores and projectors come from the engine's composition root (runtime/), so the command sees exactly what
 * the worker runs. `--projectors <module>` instead takes the projectors from a module exporting Projector objects, a
 * `projectors` array or a `createProjectors()` function, over the stores alone.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import type { Projector } from '../projections/index.ts';
import { createProjectionRunner, readProjectionMeta, readSharedStatus, type ProjectionRunner, type RebuildProgress, type RunnerLogger } from '../projections/index.ts';
import { runIfMain } from './run-if-main.ts';

export interface CliDeps {
  eventStore: EventStore;
  readStore: ReadStore;
  projectors: Projector[];
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Lets main() stop a rebuild on SIGINT. */
  onRunner?: (runner: ProjectionRunner) => void;
  /** Wall clock, ms (tests). */
  now?: () => number;
}

const USAGE = 'usage: projections status [--json] | projections rebuild <name>   [--projectors <module>]';

function stderrLogger(stderr: CliDeps['stderr']): RunnerLogger {
  const line = (level: string) => (fields: Record<string, unknown>, message: string) => void stderr.write(`\n${level}: ${message} ${JSON.stringify(fields)}\n`);
  return { info: () => {}, warn: line('warn'), error: line('error') };
}

const grouped = (n: number) => n.toLocaleString('en-US');

/** "case-view v2 [#########-----------]  45.1%  12,345 events  position 12,345/27,310" */
export function progressLine(p: RebuildProgress, width = 30): string {
  const position = p.checkpoint.split('/')[1] ?? '?';
  if (p.fraction === null) return `${p.name} v${p.version} ${p.phase}  ${grouped(p.eventsProcessed)} events  position ${position} (head unknown)`;
  const fraction = Math.min(1, Math.max(0, p.fraction));
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const head = p.head?.split('/')[1] ?? position;
  const start = `${p.name} v${p.version} [${bar}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${grouped(p.eventsProcessed)} events`;
  // A by-stream replay has no position of its own until it reaches its cut of the log.
  if (p.phase === 'by-stream') return `${start}  by stream up to position ${head}`;
  return `${start}  position ${position}/${head}  ${p.phase}`;
}

function lagText(ms: number | null): string {
  if (ms === null) return 'unknown';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}

async function status(deps: CliDeps, runner: ProjectionRunner, json: boolean): Promise<number> {
  const statuses = await runner.status();
  const rows = await Promise.all(
    statuses.map(async (s) => {
      const meta = await readProjectionMeta(deps.readStore, s.name);
      const notes: string[] = [];
      if (!meta) notes.push('never started');
      else if (meta.codeVersion !== s.version) notes.push(`active version built by code v${meta.codeVersion}; rebuild pending`);
      if (meta?.rebuilding) notes.push(`rebuild to v${meta.rebuilding.version} started ${meta.rebuilding.startedAt}`);
      return { ...s, notes };
    }),
  );
  if (json) {
    deps.stdout.write(`${JSON.stringify(rows.map(({ state: _state, eventsProcessed: _n, ...row }) => row), null, 2)}\n`);
    return 0;
  }
  // State and counts describe this process, which runs nothing; what is stored and how far behind is what matters.
  const table = [['projection', 'code', 'active', 'checkpoint', 'lag', 'notes']];
  for (const r of rows) table.push([r.name, `v${r.version}`, r.activeVersion === null ? '-' : `v${r.activeVersion}`, r.checkpoint, lagText(r.lagMs), r.notes.join('; ') || '-']);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) deps.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  return 0;
}

/** A worker reports each projection it runs every second: a report younger than this means one runs it now. */
const WORKER_REPORT_FRESH_MS = 30_000;

async function rebuild(deps: CliDeps, runner: ProjectionRunner, name: string): Promise<number> {
  // This process holds no lease and carries no fence: beside a worker that runs the projection (or rebuilds it for new
  // code into the same version), both would write the same documents, and statistics and the audit trail's chain
  // would come out wrong. The worker takes requests through the API instead.
  if (deps.projectors.some((p) => p.name === name)) {
    const [shared] = await readSharedStatus(deps.readStore, [name]);
    const age = shared?.reportedAt ? (deps.now?.() ?? Date.now()) - Date.parse(shared.reportedAt) : Number.POSITIVE_INFINITY;
    if (shared?.worker && age < WORKER_REPORT_FRESH_MS) {
      deps.stderr.write(
        `projection ${name} is run by worker ${shared.worker} (it reported ${Math.round(age / 1000)} s ago): a rebuild here would write beside it. ` +
          `Ask that worker (POST /api/v1/admin/projections/${name}/rebuild), or stop the workers and run this again.\n`,
      );
      return 2;
    }
  }
  const tty = deps.stderr.isTTY === true;
  let lastPrinted = 0;
  let lastPhase = '';
  const result = await runner.rebuild(name, (p) => {
    // On a terminal the bar redraws in place; in a log, one line every few seconds and at each phase change is enough.
    if (tty) deps.stderr.write(`\r${progressLine(p)}\u001b[K`);
    else if (p.phase !== lastPhase || Date.now() - lastPrinted > 5000) {
      lastPrinted = Date.now();
      lastPhase = p.phase;
      deps.stderr.write(`${progressLine(p)}\n`);
    }
  });
  if (tty) deps.stderr.write('\n');
  deps.stdout.write(
    `rebuilt ${result.name}: version ${result.version} now serves (was ${result.previousVersion === null ? 'none' : `v${result.previousVersion}`}), ` +
      `${grouped(result.eventsProcessed)} events, checkpoint ${result.checkpoint}\n`,
  );
  return 0;
}

/** The command itself, free of process and configuration concerns so it can be exercised directly. */
export async function runProjectionsCommand(args: string[], deps: CliDeps): Promise<number> {
  const [command, ...rest] = args;
  if (deps.projectors.length === 0) {
    deps.stderr.write('no projectors found (check the module given with --projectors)\n');
    return 2;
  }
  const runner = createProjectionRunner({ eventStore: deps.eventStore, readStore: deps.readStore, projectors: deps.projectors, logger: stderrLogger(deps.stderr) });
  deps.onRunner?.(runner);
  try {
    if (command === 'status') return await status(deps, runner, rest.includes('--json'));
    if (command === 'rebuild' && rest[0]) return await rebuild(deps, runner, rest[0]);
    deps.stderr.write(`${USAGE}\n`);
    return 2;
  } finally {
    await runner.stop();
  }
}

function isProjector(value: unknown): value is Projector {
  const p = value as Partial<Projector> | null;
  return !!p && typeof p === 'object' && typeof p.name === 'string' && typeof p.version === 'number' && Array.isArray(p.collections) && typeof p.keys === 'function' && typeof p.apply === 'function';
}

export async function loadProjectors(modulePath: string): Promise<Projector[]> {
  const exported = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const found: Projector[] = [];
  if (typeof exported.createProjectors === 'function') found.push(...((await (exported.createProjectors as () => unknown)()) as Projector[]));
  if (Array.isArray(exported.projectors)) found.push(...(exported.projectors as Projector[]));
  found.push(...Object.values(exported).filter(isProjector));
  return [...new Map(found.filter(isProjector).map((p) => [p.name, p])).values()];
}

interface Opened {
  eventStore: EventStore;
  readStore: ReadStore;
  projectors: Projector[];
  close(): Promise<void>;
}

async function open(modulePath: string | undefined): Promise<Opened> {
  const { loadConfig } = await import('../adapters/config/index.ts');
  const config = loadConfig();
  if (modulePath) {
    const { openStores } = await import('../runtime/stores.ts');
    const stores = await openStores(config);
    return { ...stores, projectors: await loadProjectors(modulePath).catch(async (error: unknown) => {
      await stores.close();
      throw error;
    }) };
  }
  const { pino } = await import('pino');
  const { createEngine } = await import('../runtime/engine.ts');
  const { allProjectors } = await import('../runtime/projectors.ts');
  // Engine logs go to stderr so that stdout carries only the command's answer.
  const engine = await createEngine(config, { logger: pino({ level: 'warn' }, pino.destination(2)) });
  return {
    eventStore: engine.stores.eventStore,
    readStore: engine.stores.readStore,
    projectors: allProjectors({ services: engine.catalogue.catalogue, calendar: engine.calendar }),
    close: () => engine.stop(),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const flag = args.indexOf('--projectors');
  const modulePath = flag >= 0 ? args.splice(flag, 2)[1] : undefined;
  const opened = await open(modulePath);
  let runner: ProjectionRunner | undefined;
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping; the serving version is untouched until a rebuild switches\n');
    void runner?.stop();
  });
  try {
    return await runProjectionsCommand(args, { ...opened, stdout: process.stdout, stderr: process.stderr, onRunner: (r) => (runner = r) });
  } finally {
    await opened.close();
  }
}

runIfMain(import.meta.url, 'projections', main);
