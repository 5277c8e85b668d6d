/**
 * An evidence worker in its own process, so a suite can kill it with SIGKILL mid-job. Configured by environment;
 * prints one JSON line per milestone. With EV_MODE=hang-after-record it records the outcome in the case and then
 * never finishes the job, so the kill lands between "recorded" and "acknowledged". With EV_MODE=hang-before-record
 * it has the department's answer and never records it, so the kill lands between "answered" and "recorded".
 */
import { createHttpGatewayProvider } from '../../adapters/evidence/index.ts';
import { createPlatformRequestSigner } from '../../adapters/evidence/index.ts';
import { createProviderRouter } from '../../adapters/evidence/index.ts';
import { createEvidenceWorker } from '../../adapters/evidence/index.ts';
import { createBullMQQueue } from '../../adapters/queue/bullmq/index.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { shippedCatalogue } from '../contract/evidence-fixtures.ts';
import { openCaseWorld } from './evidence-case-fixture.ts';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const catalogue = shippedCatalogue();
const cases = await openCaseWorld(env('EV_DATABASE_URL'));
const queue = createBullMQQueue({ redisUrl: env('EV_REDIS_URL'), prefix: env('EV_PREFIX'), lockDurationMs: 1000, stalledIntervalMs: 500, onError: () => undefined });
const platform = JSON.parse(env('EV_PLATFORM_KEY')) as { kid: string };
const gateway = JSON.parse(env('EV_PSB_KEY')) as { kid: string };
const signer = createPlatformRequestSigner({ privateKey: platform, kid: platform.kid });
const psb = createHttpGatewayProvider({ department: 'PSB', baseUrl: env('EV_PSB_URL'), signer, gatewayKeys: { keys: [gateway] } });
const hang = process.env.EV_MODE === 'hang-after-record';
const hangBefore = process.env.EV_MODE === 'hang-before-record';

createEvidenceWorker({
  queue,
  router: createProviderRouter({ catalogue, gateways: { PSB: psb } }),
  catalogue,
  handle: async (command) => {
    say({ answered: command.commandId });
    if (hangBefore) await new Promise(() => undefined);
    const result = await cases.handler.handle(command);
    say({ recorded: command.commandId });
    if (hang) await new Promise(() => undefined);
    return result;
  },
  clock: systemClock,
  timeoutMs: 60_000,
  attempts: 3,
  backoffMs: 50,
  departments: ['PSB'],
  serveSharedQueue: false,
});
say({ ready: true });
