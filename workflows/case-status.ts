/**
 * A case's status as the read side needs it, derived from the case machine itself: the leaf state names come from
 * the machine's type, and the status after an event follows the machine's own transitions (innermost state first,
 * compound targets entered through their initial state, deep history resumed). Guards are not evaluated: stored
 * events were accepted by the machine when written, so the transition an event takes is known from its type, and
 * a projection can follow it without the context a guard reads. A state or event added to the machine is
 * therefore followed here without a second table to keep in step; an event whose target a guard would choose is
 * refused when this module loads, because it could not be followed from the type alone.
 */
import type { SnapshotFrom } from 'xstate';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { createCaseMachine, type CaseMachine } from './case-machine.ts';

type Leaf<T> = T extends string ? T : T extends Record<string, infer U> ? Leaf<U> : never;

/** The machine's leaf state names, except the 'new' a case is in before its first event. */
export type CaseStatus = Exclude<Leaf<SnapshotFrom<CaseMachine>['value']>, 'new'>;

export interface StatusTrack {
  status: CaseStatus | null;
  /** Where a return through deep history goes: the state the case left when it last left the history's region. */
  resumeTo: CaseStatus | null;
}

type Node = CaseMachine['root'];

/**
 * Only guards and context depend on the service definition; the states and transitions do not. So a machine made
 * for an empty definition has the shape of every case's machine.
 */
const SHAPE_ONLY: ServiceDefinition = {
  id: 'shape-only',
  version: 0,
  name: { 'zh-CN': '', en: '' },
  legalBasis: '',
  department: '',
  coReviewers: [],
  applicantType: 'person',
  form: [],
  materials: [],
  limits: { calendar: 'CN', dayKind: 'working', statutoryDays: 0, promisedDays: 0, warningDays: 0, extensionDays: 0, certificateDays: 0, supplementDays: 0 },
  fee: { amount: 0, currency: 'CNY' },
  outcome: { certificateType: '', name: { 'zh-CN': '', en: '' }, validityMonths: null },
};
const machine = createCaseMachine(SHAPE_ONLY);

function nodesOf(node: Node): Node[] {
  return [node, ...Object.values(node.states).flatMap((child) => nodesOf(child as Node))];
}

const ALL = nodesOf(machine.root);
const LEAVES = new Map(ALL.filter((n) => n.type === 'atomic' || n.type === 'final').map((n) => [n.key, n]));
if (LEAVES.size !== ALL.filter((n) => n.type === 'atomic' || n.type === 'final').length) throw new Error('case machine leaf state names must be unique');

function isWithin(node: Node, ancestor: Node): boolean {
  for (let at: Node | undefined = node; at; at = at.parent as Node | undefined) if (at === ancestor) return true;
  return false;
}

/** The leaf a transition into `node` ends in, given where history would resume. */
function enter(node: Node, resumeTo: CaseStatus | null): Node {
  if (node.type === 'history') {
    const region = node.parent as Node;
    const recorded = resumeTo ? LEAVES.get(resumeTo) : undefined;
    return recorded && isWithin(recorded, region) ? recorded : enter(region, null);
  }
  if (node.type === 'compound') return enter(node.initial.target[0] as Node, resumeTo);
  return node;
}

/** One target per (state, event type): guarded alternatives with different targets could not be followed by type. */
function targetOf(node: Node, type: string): Node | null | undefined {
  const transitions = node.transitions.get(type);
  if (!transitions || transitions.length === 0) return undefined;
  const targets = new Set(transitions.map((t) => t.target?.[0] ?? null));
  if (targets.size > 1) throw new Error(`case machine: ${type} in ${node.id} has targets chosen by guards; the read side cannot follow it by type`);
  return transitions[0]?.target?.[0] as Node | undefined ?? null;
}
for (const node of ALL) for (const type of node.transitions.keys()) targetOf(node, type);

/** History regions: compound states with a history child, and the states from which a transition returns into it. */
const HISTORY_REGIONS = ALL.flatMap((region) => {
  const history = Object.values(region.states).find((child) => (child as Node).type === 'history') as Node | undefined;
  if (!history) return [];
  const returnsFrom = new Set(ALL.filter((n) => [...n.transitions.values()].some((ts) => ts.some((t) => t.target?.[0] === history))));
  return [{ region, returnsFrom }];
});

/** The status after an event of this type; an event with no transition from the current state keeps it. */
export function statusAfter(track: StatusTrack, type: string): StatusTrack {
  const from = track.status === null ? (machine.root.initial.target[0] as Node) : LEAVES.get(track.status);
  if (!from) return track;
  let target: Node | null | undefined;
  for (let at: Node | undefined = from; at && target === undefined; at = at.parent as Node | undefined) target = targetOf(at, type);
  if (!target) return track;
  const leaf = enter(target, track.resumeTo);
  let resumeTo = track.resumeTo;
  for (const { region, returnsFrom } of HISTORY_REGIONS) {
    if (target.type === 'history' && target.parent === region) resumeTo = null;
    else if (isWithin(from, region) && !isWithin(leaf, region) && [...returnsFrom].some((n) => isWithin(leaf, n))) resumeTo = from.key as CaseStatus;
  }
  return { status: leaf.key as CaseStatus, resumeTo };
}

/** Every status a case can be in, in the machine's document order. */
export const CASE_STATUSES: readonly CaseStatus[] = [...LEAVES.keys()].filter((key) => key !== 'new') as CaseStatus[];

/** Whether the state or one it is within takes events of this type (guards aside). */
function handles(node: Node, type: string): boolean {
  for (let at: Node | undefined = node; at; at = at.parent as Node | undefined) if (at.transitions.has(type)) return true;
  return false;
}

/**
 * The statuses in which the decision's time limits run: those that take their overdue card. Accepted and undecided,
 * not suspended; a case sent back after a veto (awaitingRevision) is among them, its clock not stopped by law. The
 * timers that raise the cards are armed in exactly these, so a state added where the machine takes the cards has
 * its timers too, rather than a card that is legal there and never raised.
 */
export const CLOCK_RUNNING: ReadonlySet<CaseStatus> = new Set(
  [...LEAVES.values()].filter((leaf) => handles(leaf, 'DeadlineOverdue')).map((leaf) => leaf.key as CaseStatus),
);
