import { expect } from 'chai';
import { startReconciler, type ReconcileReason } from '../../adapters/reactors/reconciler.ts';

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('reconciler', () => {
  it('given a first pass that fails (store down), then it is retried until one goes through', async () => {
    const reasons: ReconcileReason[] = [];
    let calls = 0;
    const reconciler = startReconciler({
      resync: async () => {
        calls += 1;
        if (calls < 3) throw new Error('connect ECONNREFUSED');
        return 7;
      },
      epoch: async () => 'e1',
      epochCheckMs: 10,
      periodMs: 60_000,
      retryMs: 5,
      onPass: ({ reason }) => void reasons.push(reason),
    });
    try {
      await until(() => reasons.length === 1, 'a successful pass');
      expect(calls).to.equal(3);
      expect(reasons).to.deep.equal(['retry']);
    } finally {
      await reconciler.stop();
    }
  });

  it('given the queue epoch changes (Redis lost its jobs), then a pass runs at once; an unchanged epoch runs none before the period', async () => {
    const reasons: ReconcileReason[] = [];
    let epoch = 'e1';
    const reconciler = startReconciler({
      resync: async () => 1,
      epoch: async () => epoch,
      epochCheckMs: 10,
      periodMs: 60_000,
      onPass: ({ reason }) => void reasons.push(reason),
    });
    try {
      await until(() => reasons.length === 1, 'the start pass');
      await new Promise((r) => setTimeout(r, 100));
      expect(reasons).to.deep.equal(['start']);
      epoch = 'e2';
      await until(() => reasons.length === 2, 'a pass after the epoch changed');
      expect(reasons).to.deep.equal(['start', 'epoch-changed']);
    } finally {
      await reconciler.stop();
    }
  });

  it('given nothing happens, then a pass still runs every period', async () => {
    const reasons: ReconcileReason[] = [];
    const reconciler = startReconciler({ resync: async () => 1, epoch: async () => 'e1', epochCheckMs: 10, periodMs: 50, onPass: ({ reason }) => void reasons.push(reason) });
    try {
      await until(() => reasons.length >= 3, 'two periodic passes');
      expect(reasons.slice(0, 3)).to.deep.equal(['start', 'periodic', 'periodic']);
    } finally {
      await reconciler.stop();
    }
  });

  it('given the wall clock stepped back an hour after a pass (NTP, a resumed VM), then the periodic pass still comes within its period', async () => {
    const reasons: ReconcileReason[] = [];
    const realNow = Date.now;
    const reconciler = startReconciler({ resync: async () => 1, epoch: async () => 'e1', epochCheckMs: 10, periodMs: 50, onPass: ({ reason }) => void reasons.push(reason) });
    try {
      await until(() => reasons.length >= 1, 'the first pass');
      Date.now = () => realNow() - 3_600_000;
      await until(() => reasons.includes('periodic'), 'a periodic pass after the step', 2000);
    } finally {
      Date.now = realNow;
      await reconciler.stop();
    }
  });

  it('given a pass hangs (Redis away, commands waiting), then stop() still returns', async () => {
    const reconciler = startReconciler({ resync: () => new Promise<number>(() => undefined), epoch: async () => 'e1' });
    await reconciler.stop();
  });
});
