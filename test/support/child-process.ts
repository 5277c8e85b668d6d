import { spawn, type ChildProcess } from 'node:child_process';

/** A TypeScript entry point of this repo in its own Node process, with its output collected. */
export interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startScript(script: string, args: string[], env: Record<string, string>, nodeOptions: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeOptions, script, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves when the process prints the text, rejects if it exits first: waits on the event, not on a clock. */
export async function printed(process: Started, text: string): Promise<void> {
  while (!process.output().includes(text)) {
    const exited = await Promise.race([process.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))]);
    if (exited && !process.output().includes(text)) throw new Error(`exited before printing "${text}": ${process.output()}`);
  }
}

