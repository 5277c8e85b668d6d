import { createHash } from 'node:crypto';
import type { CaseCommand } from '../domain/case/commands.ts';
import type { Actor, NewEvent } from '../domain/events/index.ts';
import { isWrongExpectedVersion } from '../domain/events/index.ts';
import { canonicalJson } from '../domain/json/canonical-json.ts';
import { eventIdFor } from './event-ids.ts';

/** One stream per client-chosen command id: its first event says which request the key named. */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';
export const IDEMPOTENCY_KEY_USED = 'IdempotencyKeyUsed';

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly command: string) {
    super('this Idempotency-Key was already used for another request; send a new key for a new request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/**
 * What makes two requests the same request: the command without who sent it and under which ids. The type and
 * case stand for the method and path, the rest is the payload (an upload counts by its content hash), so a retry
 * matches and anything else under the same key does not.
 */
export function requestFingerprint(command: KeyedRequest): string {
  const { commandId: _commandId, correlationId: _correlationId, actor: _actor, ...request } = command as KeyedRequest & { correlationId?: string };
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * A request under a client-chosen command id: a case command, or any other request whose type and fields name what
 * was asked (a projection rebuild, say), so one mechanism keeps every route's Idempotency-Key promise.
 */
export type KeyedRequest = CaseCommand | { type: string; commandId: string; actor: Actor; caseId?: undefined; correlationId?: string; [field: string]: unknown };

interface KeyLog {
  readStream(stream: string): Promise<Array<{ data: Record<string, unknown> }>>;
  append(stream: string, events: NewEvent[], options: { expectedRevision: 'no_stream' }): Promise<unknown>;
}

/**
 * Records the request a client-chosen command id stands for, or checks it against the one recorded. The event id
 * depends on the fingerprint: the same request again is the store's idempotent no-op, another request finds the
 * stream taken and is refused, even when both race.
 */
export async function claimIdempotencyKey(log: KeyLog, command: KeyedRequest, occurredAt: string): Promise<void> {
  const stream = `${IDEMPOTENCY_STREAM_PREFIX}${command.commandId}`;
  const fingerprint = requestFingerprint(command);
  const event: NewEvent = {
    type: IDEMPOTENCY_KEY_USED,
    data: { fingerprint, command: command.type, caseId: command.caseId ?? null },
    metadata: {
      eventId: eventIdFor(`key\u0000${command.commandId}\u0000${fingerprint}`, 0),
      schemaVersion: 1,
      occurredAt,
      correlationId: command.correlationId ?? command.commandId,
      causationId: command.commandId,
      actor: command.actor,
      commandId: command.commandId,
    },
  };
  try {
    await log.append(stream, [event], { expectedRevision: 'no_stream' });
    return;
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
  }
  const [first] = await log.readStream(stream);
  if (first?.data.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(command.type);
}

/**
 * claimIdempotencyKey for a route that answers a retry from what its first request did rather than doing it again
 * (a hold placed, lifted since, must not be placed again by a retry of its placing): 'replay' when the key was
 * claimed for this very request before. A first use runs `check` before claiming, so a request refused there (no
 * such case, lifted already) records nothing. Two first sends at once both answer 'first'; the route's write decides.
 */
export async function claimOrReplay(log: KeyLog, command: KeyedRequest, occurredAt: string, check: () => Promise<void> = async () => undefined): Promise<'first' | 'replay'> {
  const [first] = await log.readStream(`${IDEMPOTENCY_STREAM_PREFIX}${command.commandId}`);
  if (first) {
    if (first.data.fingerprint !== requestFingerprint(command)) throw new IdempotencyKeyReusedError(command.type);
    return 'replay';
  }
  await check();
  await claimIdempotencyKey(log, command, occurredAt);
  return 'first';
}

/** What claimIdempotencyKey would refuse, without recording anything: a key already used for another request. */
export async function verifyIdempotencyKey(log: Pick<KeyLog, 'readStream'>, command: KeyedRequest): Promise<void> {
  const [first] = await log.readStream(`${IDEMPOTENCY_STREAM_PREFIX}${command.commandId}`);
  if (first && first.data.fingerprint !== requestFingerprint(command)) throw new IdempotencyKeyReusedError(command.type);
}
