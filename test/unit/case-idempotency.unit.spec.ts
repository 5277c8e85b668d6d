import { expect } from 'chai';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { NewEvent } from '../../domain/events/index.ts';
import { WrongExpectedVersionError } from '../../domain/events/index.ts';
import { claimIdempotencyKey, IdempotencyKeyReusedError, requestFingerprint } from '../../workflows/index.ts';
import { citizen } from '../support/case-fixtures.ts';

/** The two operations the claim needs, over a map, with the store's semantics: same event id again is a no-op. */
function memoryLog() {
  const streams = new Map<string, NewEvent[]>();
  return {
    streams,
    async readStream(stream: string) {
      return streams.get(stream) ?? [];
    },
    async append(stream: string, events: NewEvent[]) {
      const stored = streams.get(stream);
      if (stored) {
        if (stored[0]!.metadata.eventId === events[0]!.metadata.eventId) return {};
        throw new WrongExpectedVersionError(stream, 'no_stream', 0n);
      }
      streams.set(stream, events);
      return {};
    },
  };
}

const withdraw = (caseId: string, reason = 'moved'): CaseCommand => ({ type: 'WithdrawApplication', commandId: 'cmd-1', caseId, actor: citizen(), reason });
const at = '2026-03-02T04:00:00.000Z';

describe('Idempotency-Key: one key, one request', () => {
  it('given a command, then its fingerprint ignores who sent it and under which ids, and covers the command, the case and the payload', () => {
    const base = withdraw('case-a');
    expect(requestFingerprint({ ...base, commandId: 'other', correlationId: 'req-9', actor: citizen('x') } as CaseCommand)).to.equal(requestFingerprint(base));
    expect(requestFingerprint(withdraw('case-b'))).to.not.equal(requestFingerprint(base));
    expect(requestFingerprint(withdraw('case-a', 'changed'))).to.not.equal(requestFingerprint(base));
    expect(requestFingerprint({ ...base, type: 'RateCase', score: 5 } as CaseCommand)).to.not.equal(requestFingerprint(base));
  });

  it('given a key used once, when the same request comes again, then it passes and nothing more is recorded', async () => {
    const log = memoryLog();
    await claimIdempotencyKey(log, withdraw('case-a'), at);
    await claimIdempotencyKey(log, withdraw('case-a'), at);
    expect(log.streams.get('idempotency-cmd-1')).to.have.length(1);
  });

  it('given a key used once, when another request comes under it (other case or other payload), then it is refused', async () => {
    const log = memoryLog();
    await claimIdempotencyKey(log, withdraw('case-a'), at);
    let refused: unknown;
    await claimIdempotencyKey(log, withdraw('case-b'), at).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(IdempotencyKeyReusedError);
    refused = undefined;
    await claimIdempotencyKey(log, withdraw('case-a', 'changed'), at).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(IdempotencyKeyReusedError);
  });
});
