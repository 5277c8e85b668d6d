import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { authorize } from '../domain/case/authorization.ts';
import type { CaseCommand } from '../domain/case/commands.ts';
import { CaseExistsError, CaseNotFoundError, ForbiddenCommandError, UnknownServiceError } from '../domain/case/errors.ts';
import { caseStream, type CaseEvent } from '../domain/case/events.ts';
import type { NewEvent, RecordedEvent } from '../domain/events/index.ts';
import { WrongExpectedVersionError, isWrongExpectedVersion } from '../domain/events/index.ts';
import type { Clock } from '../domain/time/clock.ts';
import { applyEvents, emptyCase, type CaseState } from './case-state.ts';
import { decide, PLATFORM_ACTOR } from './decide.ts';
import type { DecideEnvironment } from './deciders/environment.ts';
import { eventIdFor } from './event-ids.ts';
import { foldCase, serviceRefOf } from './fold.ts';
import { claimIdempotencyKey, verifyIdempotencyKey } from './idempotency.ts';

/** The two event-store operations command handling needs; every event store adapter satisfies it. */
export interface CaseEventLog {
  readStream(stream: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;
  append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: 'no_stream' | bigint },
  ): Promise<{ nextRevision: bigint; position: bigint; replayed?: boolean }>;
}

export interface ServiceVersions {
  get(serviceId: string, version: number): ServiceDefinition | undefined;
  latest(serviceId: string): ServiceDefinition | undefined;
}

export interface CommandHandlerDeps {
  events: CaseEventLog;
  services: ServiceVersions;
  clock: Clock;
  /** Builds the decision environment (calendar, catalogue lookups) for a definition at an instant. */
  environment(definition: ServiceDefinition, now: Date): DecideEnvironment;
  /** Called after a successful append, e.g. to count transitions; never for replays. */
  onAppended?: (result: CommandResult, previousStatus: string) => void;
  /** Folded cases kept in memory (least recently used dropped); 0 turns the cache off. Default 10,000. */
  cacheSize?: number;
  /**
   * The store flags an append whose event ids were all stored already (AppendResult.replayed). Then a new
   * application is appended without reading its (normally empty) stream first, saving a round trip per submission.
   */
  appendReportsReplays?: boolean;
}

/** What the handler remembers of a case between commands: its folded state and the command ids already in it. */
interface CachedCase {
  state: CaseState;
  commandIds: Set<string>;
}

export interface CommandResult {
  caseId: string;
  /** Revision of the case after the command; -1n if the case still has no events. */
  revision: bigint;
  status: string;
  /** Events this command appended (empty for a replay or a stale timer). */
  events: CaseEvent[];
  /** True when the command id had been handled before: nothing new was written. */
  replayed: boolean;
  state: CaseState;
}

export interface HandleOptions {
  /** If-Match: the revision the caller last saw; a different current revision is a stale write. */
  expectedRevision?: bigint;
  /**
   * The command id came from a client's Idempotency-Key: the request it names is recorded the first time, and a
   * different request under the same key is refused (IdempotencyKeyReusedError) instead of replaying the first.
   */
  keyed?: boolean;
}

export function createCommandHandler(deps: CommandHandlerDeps) {
  const capacity = deps.cacheSize ?? 10_000;
  const cache = new Map<string, CachedCase>();

  function remember(caseId: string, entry: CachedCase): void {
    if (capacity === 0) return;
    cache.delete(caseId);
    cache.set(caseId, entry);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
  }

  /**
   * The case as stored now. A cached fold is brought up to date with only the events written after it (by this
   * process or any other), so correctness never depends on the cache, only the cost of a long history does.
   */
  async function current(caseId: string, definitionOf: (stored: RecordedEvent[]) => ServiceDefinition, trustCache = false): Promise<CachedCase & { stored: number }> {
    const stream = caseStream(caseId);
    const cached = cache.get(caseId);
    if (cached && trustCache) return { ...cached, stored: Number(cached.state.revision) + 1 };
    if (cached) {
      const newer = await deps.events.readStream(stream, { fromRevision: cached.state.revision + 1n });
      if (newer.length === 0) return { ...cached, stored: Number(cached.state.revision) + 1 };
      const state = applyEvents(cached.state, newer.map((e) => ({ type: e.type, data: e.data, at: e.metadata.occurredAt })), newer.at(-1)!.revision);
      const commandIds = new Set(cached.commandIds);
      for (const event of newer) commandIds.add(event.metadata.commandId);
      return { state, commandIds, stored: Number(state.revision) + 1 };
    }
    const stored = await deps.events.readStream(stream);
    return { state: foldCase(definitionOf(stored), stored), commandIds: new Set(stored.map((e) => e.metadata.commandId)), stored: stored.length };
  }

  /**
   * `trusted`: decide on the fold held in memory without reading what was written after it. Only an append that the
   * store accepts at that fold's revision proves it was current; every other outcome (a refusal, a replay, nothing
   * to do) throws StaleFold and the command is decided again on the stored state.
   */
  async function attempt(command: CaseCommand, options: HandleOptions, blind: boolean, dryRun = false, trusted = false): Promise<CommandResult> {
    const stream = caseStream(command.caseId);
    // A new application's stream is almost always empty: decide as if it were and let 'no_stream' catch the rest.
    const known = blind
      ? { state: emptyCase(definitionFor(command, [], deps.services)), commandIds: new Set<string>(), stored: 0 }
      : await current(command.caseId, (stored) => definitionFor(command, stored, deps.services), trusted);
    const proven = <T>(result: T): T => {
      if (trusted) throw new StaleFold();
      return result;
    };
    const { state } = known;
    if (known.stored > 0) remember(command.caseId, known);

    if (command.type !== 'DraftApplication' && known.stored === 0) throw new CaseNotFoundError(command.caseId);
    // A draft is its applicant's alone until submitted, and a read tells anyone else it does not exist: a command must
    // not tell a clerk otherwise (a 409 naming the draft state or its revision, a 403 to a co-reviewing department).
    // A citizen other than the applicant or agent is refused as a stranger by authorize.
    if (state.status === 'draft' && command.actor.kind !== 'citizen' && command.actor.kind !== 'system') {
      throw new ForbiddenCommandError(command.type, 'the case is not submitted', 'stranger');
    }
    // Who may act is checked before a replay answers: a replay tells the case's revision and status too.
    authorize(command.type, command.actor, state.definition, state.context.applicant?.id ?? null, state.context.agent?.id ?? null);
    // A client-chosen key names one request: recorded the first time, and another request under it is refused
    // before a replay could answer it. Only requests that get this far are recorded, not refused ones.
    if (options.keyed) {
      // A dry run records nothing: it only refuses a key already used for another request.
      if (dryRun) await verifyIdempotencyKey(deps.events, command);
      else await claimIdempotencyKey(deps.events, command, deps.clock.now().toISOString());
    }
    if (known.commandIds.has(command.commandId)) {
      return proven({ caseId: command.caseId, revision: state.revision, status: state.status, events: [], replayed: true, state });
    }
    if (command.type === 'DraftApplication' && known.stored > 0) throw new CaseExistsError(command.caseId);
    const definition = state.definition;
    if (options.expectedRevision !== undefined && options.expectedRevision !== state.revision) {
      throw new WrongExpectedVersionError(stream, options.expectedRevision.toString(), state.revision);
    }

    const now = deps.clock.now();
    const decision = decide(command, state, deps.environment(definition, now));
    if (decision.events.length === 0 || dryRun) {
      return proven({ caseId: command.caseId, revision: state.revision, status: state.status, events: [], replayed: false, state });
    }
    const occurredAt = now.toISOString();
    const platformFrom = decision.platformFrom ?? decision.events.length;
    const newEvents: NewEvent[] = decision.events.map((event, index) => ({
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        eventId: eventIdFor(command.commandId, index),
        schemaVersion: 1,
        occurredAt,
        correlationId: command.correlationId ?? command.commandId,
        causationId: command.commandId,
        // The platform's own steps in the same append (秒批 acceptance) are its own, not the caller's.
        actor: index < platformFrom ? command.actor : PLATFORM_ACTOR,
        commandId: command.commandId,
        ...(options.expectedRevision === undefined ? {} : { seenRevision: options.expectedRevision.toString() }),
      },
    }));
    const appended = await deps.events.append(stream, newEvents, {
      expectedRevision: state.revision === -1n ? 'no_stream' : state.revision,
    });
    if (appended.replayed) {
      if (trusted) throw new StaleFold();
      // A retried command whose events were already in: answer as the first time, writing nothing.
      const replay = { ...decision.state, revision: appended.nextRevision };
      // Not a fold of the log: this decision was made on a state without the original, and other events may have
      // been stored around it. Held, the next command would be decided (and accepted at that revision) on it.
      cache.delete(command.caseId);
      return { caseId: command.caseId, revision: appended.nextRevision, status: replay.status, events: [], replayed: true, state: replay };
    }
    const result: CommandResult = {
      caseId: command.caseId,
      revision: appended.nextRevision,
      status: decision.state.status,
      events: decision.events,
      replayed: false,
      state: { ...decision.state, revision: appended.nextRevision },
    };
    remember(command.caseId, { state: result.state, commandIds: new Set([...known.commandIds, command.commandId]) });
    try {
      deps.onAppended?.(result, state.status);
    } catch {
      // An observer (metrics) failing must not turn a written command into an error, or into a second attempt that
      // the store answers as a replay.
    }
    return result;
  }

  async function handleNow(command: CaseCommand, options: HandleOptions): Promise<CommandResult> {
    const blind = deps.appendReportsReplays === true && command.type === 'DraftApplication' && !cache.has(command.caseId);
    // A case this process holds is decided on that fold at once, without a read: right whenever no other process
    // wrote since, which the append's expected revision proves. A keyed command records its key first, so it reads.
    const trusted = !blind && options.keyed !== true && cache.has(command.caseId);
    try {
      return await attempt(command, options, blind, false, trusted);
    } catch (error) {
      // Anything but an accepted append, decided on the held fold alone, is decided again on the stored state.
      if (trusted) return handleOnStored(command, options);
      if (!isWrongExpectedVersion(error) || options.expectedRevision !== undefined) throw error;
      return attempt(command, options, false);
    }
  }

  async function handleOnStored(command: CaseCommand, options: HandleOptions): Promise<CommandResult> {
    try {
      return await attempt(command, options, false);
    } catch (error) {
      if (!isWrongExpectedVersion(error) || options.expectedRevision !== undefined) throw error;
      return attempt(command, options, false);
    }
  }

  // Commands for one case handled by this process take turns. Outcomes arriving together (a case's evidence items
  // answered at once) would otherwise each decide on the same revision and all but one lose the append, costing a
  // failed write, a lookup of the ids and a second read and decision each. Other processes still meet on the
  // expected revision, as before.
  const turns = new Map<string, Promise<unknown>>();
  function inTurn(caseId: string, work: () => Promise<CommandResult>): Promise<CommandResult> {
    const previous = turns.get(caseId);
    const run = previous ? previous.then(work, work) : work();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    turns.set(caseId, settled);
    void settled.then(() => {
      if (turns.get(caseId) === settled) turns.delete(caseId);
    });
    return run;
  }

  return {
    /**
     * Handles a command; on a concurrent write (another process) it decides once more against the new state, unless
     * If-Match pinned a revision. Commands for the same case in this process run one after another.
     */
    handle(command: CaseCommand, options: HandleOptions = {}): Promise<CommandResult> {
      return inTurn(command.caseId, () => handleNow(command, options));
    },
    /**
     * Everything handle() checks (the case exists, the caller may act, If-Match, the state allows it, the payload is
     * valid) without appending: throws what handle() would throw, or answers with the unchanged case (`replayed` when
     * the command id was handled before). Lets an edge refuse a request before it stores anything for it.
     */
    async check(command: CaseCommand, options: HandleOptions = {}): Promise<CommandResult> {
      return attempt(command, options, false, true);
    },
    /** Forgets every cached fold (tests, or after a service version's definition object is replaced). */
    forget(): void {
      cache.clear();
    },
    /**
     * Current state of a case, folded from its events. With `atLeast`, a fold held in memory at that revision or
     * later is answered without reading the store (a reactor scheduling from a batch it read needs no newer state).
     */
    async load(caseId: string, options: { atLeast?: bigint } = {}): Promise<CaseState> {
      const held = options.atLeast === undefined ? undefined : cache.get(caseId);
      if (held && held.state.revision >= options.atLeast!) return held.state;
      const known = await current(caseId, (stored) => {
        const ref = serviceRefOf(stored);
        if (!ref) throw new CaseNotFoundError(caseId);
        const definition = deps.services.get(ref.serviceId, ref.serviceVersion);
        if (!definition) throw new UnknownServiceError(ref.serviceId, ref.serviceVersion);
        return definition;
      });
      if (known.stored === 0) throw new CaseNotFoundError(caseId);
      remember(caseId, known);
      return known.state;
    },
  };
}

export type CommandHandler = ReturnType<typeof createCommandHandler>;

/** A command decided on a held fold came to something other than an accepted append: decide it on the stored state. */
class StaleFold extends Error {
  constructor() {
    super('decided on a fold held in memory; deciding again on the stored state');
  }
}

/** Running cases keep the definition version they started with; new drafts take the requested or latest one. */
function definitionFor(command: CaseCommand, stored: RecordedEvent[], services: ServiceVersions): ServiceDefinition {
  const ref = serviceRefOf(stored);
  if (ref) {
    const definition = services.get(ref.serviceId, ref.serviceVersion);
    if (!definition) throw new UnknownServiceError(ref.serviceId, ref.serviceVersion);
    return definition;
  }
  if (command.type !== 'DraftApplication') throw new CaseNotFoundError(command.caseId);
  const definition =
    command.serviceVersion === undefined ? services.latest(command.serviceId) : services.get(command.serviceId, command.serviceVersion);
  if (!definition) throw new UnknownServiceError(command.serviceId, command.serviceVersion);
  return definition;
}
