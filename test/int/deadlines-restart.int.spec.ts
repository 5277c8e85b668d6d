import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type EventStore } from '../../adapters/event-store/index.ts';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/index.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';
import { caseStream } from '../../domain/case/events.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { TEST_REDIS_URL, testPrefix } from '../support/redis.ts';
import { deleteKeysWithPrefix } from '../support/redis-server.ts';

const APPLICANT = makeCitizenId({ region: '440305', birthDate: '1991-07-01', sequence: 77 });
const CASE_ID = '5f0c6a8e-1111-4c1e-9d3b-1a2b3c4d5e6f';
const citizen = { kind: 'citizen', id: APPLICANT };
const clerk = { kind: 'clerk', id: 'psb-1', department: 'PSB', roles: ['intake', 'reviewer', 'approver'] };

const OPEN_CASE = [
  { type: 'DraftApplication', commandId: 'c1', caseId: CASE_ID, actor: citizen, serviceId: 'residence-permit', form: { residenceAddress: '深圳市南山区粤海街道1号', residenceSince: '2025-01-01', residenceReason: '就业', phone: '13800000000' } },
  { type: 'UploadMaterial', commandId: 'c2', caseId: CASE_ID, actor: citizen, materialId: 'photo', fileName: 'photo.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'a'.repeat(64) },
  { type: 'SubmitApplication', commandId: 'c3', caseId: CASE_ID, actor: citizen },
  { type: 'AcceptCase', commandId: 'c4', caseId: CASE_ID, actor: clerk },
];

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  waitFor(predicate: (line: Record<string, unknown>) => boolean): Promise<void>;
}

function startEngine(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/engine-process.ts'], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      return;
    }
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    process: child,
    lines,
    waitFor: (predicate) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`engine process never printed the expected line; got ${JSON.stringify(lines)}`)), 30_000);
        const check = () => {
          if (lines.some(predicate)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
  };
}

async function kill(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

async function cards(store: EventStore): Promise<string[]> {
  const events = await store.readStream(caseStream(CASE_ID));
  return events
    .filter((e) => e.type === 'DeadlineWarningRaised' || e.type === 'DeadlineOverdue')
    .map((e) => `${e.type}:${String(e.data.limit)}:${String(e.data.dueOn)}`)
    .sort();
}

/** 容缺 reminders on the materials the case was accepted without. */
async function reminders(store: EventStore): Promise<string[]> {
  const events = await store.readStream(caseStream(CASE_ID));
  return events
    .filter((e) => e.type === 'FollowUpReminderRaised')
    .map((e) => `${String(e.data.materialId)}:${String(e.data.dueOn)}:${String(e.data.level)}`)
    .sort();
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const queue of ['in-process', 'bullmq'] as const) {
  describe(`durable deadlines survive a killed process (${queue} queue, real PostgreSQL)`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EventStore;
    const prefix = testPrefix('deadlines');
    const env = () => ({
      DATABASE_URL: db.url,
      ...(queue === 'bullmq' ? { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } : {}),
    });

    before(async () => {
      db = await createTestDatabase('deadlines');
      store = await createPostgresEventStore({ connectionString: db.url });
    });
    after(async () => {
      await store.close();
      await db.drop();
      await deleteKeysWithPrefix(TEST_REDIS_URL, prefix);
    });

    it('given deadlines scheduled by a process that is then killed, when an engine starts after the due dates, then each card is recorded exactly once, even across another restart', async () => {
      const first = startEngine({ ...env(), ERRAND_TEST_CLOCK: '2026-03-02T02:00:00Z', ERRAND_TEST_COMMANDS: JSON.stringify(OPEN_CASE) });
      await first.waitFor((l) => l.ready === true);
      expect(first.lines.filter((l) => l.handled).map((l) => l.status)).to.deep.equal(['draft', 'draft', 'submitted', 'gatheringEvidence']);
      await kill(first);
      expect(await cards(store)).to.deep.equal([]);

      if (queue === 'bullmq') {
        // A flushed Redis: the delayed jobs the killed process left are gone; only the event store remembers.
        expect(await deleteKeysWithPrefix(TEST_REDIS_URL, prefix)).to.be.greaterThan(0);
      }

      // Accepted Mon 2026-03-02: promised 7 working days -> 03-11, statutory 15 -> 03-23. Restart well after both.
      const expected = [
        'DeadlineOverdue:promised:2026-03-11',
        'DeadlineOverdue:statutory:2026-03-23',
        'DeadlineWarningRaised:promised:2026-03-11',
        'DeadlineWarningRaised:statutory:2026-03-23',
      ];
      const second = startEngine({ ...env(), ERRAND_TEST_CLOCK: '2026-04-01T02:00:00Z' });
      await eventually(async () => (await cards(store)).length >= 4, 'the four deadline cards');
      // Accepted without the rental contract and the home ownership record (non-key): both owed within 10 working
      // days (03-16), with yellow and red reminders from timers derived from state like the deadline cards.
      await eventually(async () => (await reminders(store)).length >= 4, 'the four follow-up reminders');
      await kill(second);

      const third = startEngine({ ...env(), ERRAND_TEST_CLOCK: '2026-04-02T02:00:00Z' });
      await third.waitFor((l) => typeof l.resynced === 'number');
      // Give re-enqueued timers time to fire again: they must find their cards already raised.
      await new Promise((r) => setTimeout(r, 1500));
      await kill(third);
      expect(await cards(store)).to.deep.equal(expected);
      expect(await reminders(store)).to.deep.equal([
        'housing:2026-03-16:red', 'housing:2026-03-16:yellow', 'rental-contract:2026-03-16:red', 'rental-contract:2026-03-16:yellow',
      ]);
    });
  });
}
