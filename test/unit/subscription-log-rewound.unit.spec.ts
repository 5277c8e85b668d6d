import { expect } from 'chai';
import { pollingSubscription } from '../../adapters/event-store/index.ts';
import { LogRewoundError, START, type Checkpoint, type RecordedEvent } from '../../domain/events/index.ts';

const event = (prepare: bigint, id: string): RecordedEvent => ({
  streamId: 's', revision: prepare, position: prepare, checkpoint: { commit: 1n, prepare, link: id.padEnd(64, '0') },
  type: 'T', data: {}, metadata: { eventId: id, schemaVersion: 1, occurredAt: '2026-03-02T00:00:00Z', correlationId: 'c', causationId: null, actor: { kind: 'system', id: 'x' }, commandId: 'c' },
});

describe('a subscription whose checkpoint the log no longer holds', () => {
  const stale: Checkpoint = { commit: 1n, prepare: 7n, link: 'f'.repeat(64) };
  const now = [event(1n, 'a1'), event(2n, 'b2')];
  const readAll = async (after: Checkpoint) => {
    if (after.prepare === 7n) throw new LogRewoundError('position 7 holds another event');
    return now.filter((e) => e.checkpoint.prepare > after.prepare);
  };

  it('given onRewound, when the read is refused as rewound, then it goes on from where onRewound says and delivers what stands there now', async () => {
    const delivered: string[] = [];
    const rewound: Checkpoint[] = [];
    const subscription = pollingSubscription(readAll, stale, async (batch) => void delivered.push(...batch.map((e) => e.metadata.eventId)), {
      idleMs: 5,
      onRewound: async (from) => {
        rewound.push(from);
        return START;
      },
    });
    const deadline = Date.now() + 10_000;
    while (delivered.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await subscription.stop();
    expect(rewound).to.deep.equal([stale]);
    expect(delivered).to.deep.equal(['a1', 'b2']);
  });

  it('given no onRewound, then it reports the failure and stands still: nothing after the stale checkpoint is delivered', async () => {
    const delivered: string[] = [];
    const errors: unknown[] = [];
    const subscription = pollingSubscription(readAll, stale, async (batch) => void delivered.push(...batch.map((e) => e.metadata.eventId)), { idleMs: 5, onError: (error) => errors.push(error) });
    const deadline = Date.now() + 10_000;
    while (errors.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await subscription.stop();
    expect(errors.length).to.be.at.least(2);
    expect(errors[0]).to.be.instanceOf(LogRewoundError);
    expect(delivered).to.deep.equal([]);
  });
});
