/**
 * A whole engine in a child process, for tests that kill and restart it. Reads ERRAND_TEST_CLOCK (an ISO instant the
 * clock starts at and runs on from) and ERRAND_TEST_COMMANDS (JSON case commands to handle once started), prints one
 * JSON line per milestone on stdout.
 */
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine } from '../../runtime/engine.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { Clock } from '../../domain/time/clock.ts';

const startedAt = Date.now();
const origin = new Date(process.env.ERRAND_TEST_CLOCK ?? new Date().toISOString()).getTime();
const clock: Clock = { now: () => new Date(origin + (Date.now() - startedAt)) };
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const engine = await createEngine(loadConfig(), { clock });
const resync = engine.reactor.resync.bind(engine.reactor);
engine.reactor.resync = async () => {
  const count = await resync();
  say({ resynced: count });
  return count;
};
await engine.startBackground();
for (const command of JSON.parse(process.env.ERRAND_TEST_COMMANDS ?? '[]') as CaseCommand[]) {
  const result = await engine.commands.handle(command);
  say({ handled: command.type, status: result.status, revision: result.revision.toString() });
}
say({ ready: true });
process.on('SIGTERM', () => {
  void engine.stop().then(() => process.exit(0));
});
