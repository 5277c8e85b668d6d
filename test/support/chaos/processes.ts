import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * One engine or gateway process of the chaos topology. The harness is no supervisor: it restarts a process only after
 * killing it itself, so a process that dies on its own stays dead and is reported as an unexpected exit.
 */
export interface ManagedProcess {
  readonly name: string;
  readonly kind: 'api' | 'worker' | 'gateway';
  /** True while the process runs. */
  alive(): boolean;
  /** Exits the harness did not cause, with the last lines the process wrote. */
  readonly unexpectedExits: Array<{ at: number; code: number | null; signal: string | null; tail: string }>;
  /** SIGKILL, as an OOM kill or a lost machine would, and waits for the exit. */
  kill9(): Promise<void>;
  /** Starts it again (only after kill9 or stop) and resolves once it reports ready; returns the milliseconds that took. */
  restart(): Promise<number>;
  /** SIGTERM at the end of a run, SIGKILL after a few seconds. */
  stop(): Promise<void>;
}

export interface ProcessSpec {
  name: string;
  kind: ManagedProcess['kind'];
  args: string[];
  env: Record<string, string>;
  /** Resolves true when a line of output says the process is ready. */
  ready(line: string): boolean;
  logDir: string;
  readyTimeoutMs: number;
}

const REPORT_SIGNAL = 'SIGUSR2';

async function untilFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

// Enough for a crash: the message, the stack and the error object node prints after it.
const TAIL_LINES = 80;

export async function startProcess(spec: ProcessSpec): Promise<ManagedProcess> {
  let child: ChildProcess | null = null;
  let killing = false;
  const tail: string[] = [];
  const log: WriteStream = createWriteStream(join(spec.logDir, `${spec.name}.log`), { flags: 'a' });
  const unexpectedExits: ManagedProcess['unexpectedExits'] = [];

  function launch(): Promise<number> {
    const started = Date.now();
    log.write(`--- start ${new Date().toISOString()}\n`);
    // A process silent past its ready timeout is asked for a diagnostic report (its threads' stacks, open handles)
    // before the run fails: a CI run once saw a gateway write nothing for 120 s, with nothing left to say why.
    const report = [`--report-on-signal`, `--report-signal=${REPORT_SIGNAL}`, `--report-directory=${spec.logDir}`, `--report-filename=${spec.name}-not-ready-${started}.json`];
    const proc = spawn(process.execPath, [...report, '--import', 'tsx', ...spec.args], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    killing = false;
    return new Promise<number>((resolve, reject) => {
      let ready = false;
      let buffered = '';
      const timer = setTimeout(() => {
        if (ready) return;
        const alive = proc.exitCode === null && proc.signalCode === null;
        if (alive) proc.kill(REPORT_SIGNAL);
        const reportFile = join(spec.logDir, `${spec.name}-not-ready-${started}.json`);
        const fail = () =>
          reject(new Error(`${spec.name} not ready within ${spec.readyTimeoutMs} ms (${alive ? `still running; ${existsSync(reportFile) ? `its report: ${reportFile}` : 'it wrote no report'}` : 'exited'}); last output:\n${tail.join('\n')}`));
        // The report is written by a thread of its own, even when the main thread is stuck; a few seconds is plenty.
        if (alive) void untilFile(reportFile, 5000).then(fail);
        else fail();
      }, spec.readyTimeoutMs);
      const onData = (chunk: Buffer) => {
        log.write(chunk);
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line.slice(0, 2000));
          if (tail.length > TAIL_LINES) tail.shift();
          if (!ready && spec.ready(line)) {
            ready = true;
            clearTimeout(timer);
            resolve(Date.now() - started);
          }
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code, signal) => {
        log.write(`--- exit code ${code} signal ${signal} ${new Date().toISOString()}\n`);
        if (!killing) unexpectedExits.push({ at: Date.now(), code, signal, tail: tail.join('\n') });
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`${spec.name} exited (code ${code}, signal ${signal}) before it was ready; last output:\n${tail.join('\n')}`));
        }
      });
    });
  }

  async function signalAndWait(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    killing = true;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    const late = setTimeout(() => running.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(late);
  }

  await launch();
  return {
    name: spec.name,
    kind: spec.kind,
    alive: () => child !== null && child.exitCode === null && child.signalCode === null,
    unexpectedExits,
    kill9: () => signalAndWait('SIGKILL', 0),
    restart: () => launch(),
    async stop() {
      await signalAndWait('SIGTERM', 5000);
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
