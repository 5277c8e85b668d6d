import { createActor, initialTransition, transition } from 'xstate';
import type { ServiceDefinition } from '../domain/catalogue/types.ts';
import { RECORD_ONLY_EVENT_TYPES, type CaseEvent } from '../domain/case/events.ts';
import type { CaseContext } from './case-context.ts';
import { caseMachineFor, type CaseMachine, type CaseMachineEvent } from './case-machine.ts';

type Snapshot = ReturnType<typeof initialTransition<CaseMachine>>[0];

export interface CaseState {
  definition: ServiceDefinition;
  snapshot: Snapshot;
  /** Leaf state name: draft, submitted, awaitingSupplement, gatheringEvidence, review, jointReview, suspended, ... */
  status: string;
  context: CaseContext;
  /** Revision of the last folded event; -1n for a case with no events. */
  revision: bigint;
}

export interface FoldableEvent {
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export function statusOf(snapshot: Snapshot): string {
  let value: unknown = snapshot.value;
  while (value !== null && typeof value === 'object') {
    value = Object.values(value as Record<string, unknown>)[0];
  }
  return String(value);
}

export function emptyCase(definition: ServiceDefinition): CaseState {
  const [snapshot] = initialTransition(caseMachineFor(definition));
  return { definition, snapshot, status: statusOf(snapshot), context: snapshot.context, revision: -1n };
}

export class UnfoldableEventError extends Error {
  readonly code = 'UNFOLDABLE_EVENT';
  constructor(readonly eventType: string, readonly status: string) {
    super(`event ${eventType} cannot happen while the case is ${status}`);
    this.name = 'UnfoldableEventError';
  }
}

type Scope = Parameters<CaseMachine['transition']>[2];
const scopes = new WeakMap<CaseMachine, Scope | null>();

/**
 * xstate's `transition(machine, snapshot, event)` builds a fresh inert actor (and computes an initial snapshot) on
 * every call, which is most of the cost of a fold. The case machine has no invoked actors, delayed events or
 * side-effect actions (only `assign`), so one inert scope per machine is safe to reuse. The scope is an internal
 * of the pinned xstate version; without it we fall back to the public function, and a spec checks both agree.
 */
function reusableScope(machine: CaseMachine): Scope | null {
  if (!scopes.has(machine)) {
    const scope = (createActor(machine) as unknown as { _actorScope?: Scope })._actorScope ?? null;
    if (scope) (scope as { actionExecutor: (action: unknown) => void }).actionExecutor = () => {};
    scopes.set(machine, scope);
  }
  return scopes.get(machine) ?? null;
}

export function step(machine: CaseMachine, snapshot: Snapshot, event: CaseMachineEvent, reuseScope = true): Snapshot {
  const scope = reuseScope ? reusableScope(machine) : null;
  return scope ? machine.transition(snapshot, event, scope) : transition(machine, snapshot, event)[0];
}

/**
 * Applies events through xstate's pure `transition`. An event the machine refuses throws: stored events were allowed
 * when written, so a refusal means the definition or machine changed incompatibly, which must not pass silently.
 */
export function applyEvents(state: CaseState, events: FoldableEvent[], revisionOfLast?: bigint): CaseState {
  const machine = caseMachineFor(state.definition);
  let snapshot = state.snapshot;
  for (const event of events) {
    if (RECORD_ONLY_EVENT_TYPES.has(event.type)) continue;
    const machineEvent = { type: event.type, data: event.data, at: event.at } as CaseMachineEvent;
    const next = step(machine, snapshot, machineEvent);
    if (next === snapshot) throw new UnfoldableEventError(event.type, statusOf(snapshot));
    snapshot = next;
  }
  return {
    definition: state.definition,
    snapshot,
    status: statusOf(snapshot),
    context: snapshot.context,
    revision: revisionOfLast ?? state.revision + BigInt(events.length),
  };
}

/** Whether the machine accepts this event now, guards included. */
export function canApply(state: CaseState, event: CaseEvent, at: string): boolean {
  return state.snapshot.can({ ...event, at } as CaseMachineEvent);
}

/** Event types with a transition from the current state, ignoring guards. */
export function eventsHandledNow(state: CaseState): Set<string> {
  const types = new Set<string>();
  for (const node of state.snapshot._nodes) {
    for (const type of node.ownEvents) types.add(type);
  }
  return types;
}
