import type { Engine } from '../../../runtime/engine.ts';
import type { HttpTally } from './client.ts';
import { EXPECTED, type DrivenCase } from './load.ts';
import type { ManagedProcess } from './processes.ts';

/** Each check answers with the problems it found, as evidence for the report; none means it passed. */
export type Problems = string[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const list = (items: string[], max = 8) => `${items.slice(0, max).join('; ')}${items.length > max ? `; ... ${items.length - max} more` : ''}`;

/** Every case the load started was created and driven through its script without an unexpected answer. */
export function checkScripts(cases: DrivenCase[]): Problems {
  const failed = cases.filter((c) => c.error !== null);
  return failed.length === 0 ? [] : [`${failed.length} of ${cases.length} case scripts failed: ${list(failed.map((c) => `${c.kind} ${c.caseId ?? '(no case)'}: ${c.error}`), 5)}`];
}

/**
 * Waits until every case's state, folded from its events, is the one its kind ends in, or the bound passes.
 * Returns how long that took and the cases that never got there.
 */
export async function settle(checker: Engine, cases: DrivenCase[], boundMs: number): Promise<{ settleMs: number | null; problems: Problems }> {
  const started = Date.now();
  const pending = new Map(cases.filter((c) => c.caseId !== null).map((c) => [c.caseId!, c]));
  const last = new Map<string, string>();
  for (;;) {
    for (const [caseId, driven] of pending) {
      try {
        const status = (await checker.commands.load(caseId)).status;
        last.set(caseId, status);
        if (status === EXPECTED[driven.kind].status) pending.delete(caseId);
      } catch (error) {
        last.set(caseId, `unreadable: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (pending.size === 0) return { settleMs: Date.now() - started, problems: [] };
    if (Date.now() - started > boundMs) break;
    await sleep(500);
  }
  const stuck = [...pending.values()].map((c) => `${c.kind} ${c.caseId} is ${last.get(c.caseId!) ?? '?'} (expected ${EXPECTED[c.kind].status})`);
  const byStatus: Record<string, number> = {};
  for (const c of pending.values()) byStatus[last.get(c.caseId!) ?? '?'] = (byStatus[last.get(c.caseId!) ?? '?'] ?? 0) + 1;
  return { settleMs: null, problems: [`${pending.size} of ${cases.length} cases not in their expected state ${boundMs / 1000} s after the load ended (${JSON.stringify(byStatus)}): ${list(stuck)}`] };
}

/** Exactly the events each kind records, so nothing was recorded twice (a retried command, a redelivered fetch). */
export async function checkEvents(checker: Engine, cases: DrivenCase[]): Promise<{ problems: Problems; uploadedInstead: number }> {
  const problems: Problems = [];
  let uploadedInstead = 0;
  for (const driven of cases) {
    if (driven.caseId === null) continue;
    const events = await checker.stores.eventStore.readStream(`case-${driven.caseId}`);
    const counts: Record<string, number> = {};
    for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1;
    // An item its department's gateway could not deliver within the worker's retries was uploaded by the citizen
    // instead: one outcome either way. Any other reason is unexpected for this applicant and stays a difference.
    // A non-key item is not asked for at once: it is owed as a 容缺 follow-up like the other non-key materials.
    const expected = { ...EXPECTED[driven.kind].events };
    const materials = checker.catalogue.latest('residence-permit')?.materials ?? [];
    for (const event of events) {
      if (event.type !== 'EvidenceUnavailable' || (event.data as { reason?: string }).reason !== 'provider_down') continue;
      expected.EvidenceReceived = (expected.EvidenceReceived ?? 0) - 1;
      expected.EvidenceUnavailable = (expected.EvidenceUnavailable ?? 0) + 1;
      const key = materials.find((m) => m.id === (event.data as { materialId?: string }).materialId)?.key ?? true;
      if (key) {
        expected.MaterialUploaded = (expected.MaterialUploaded ?? 0) + 1;
        uploadedInstead += 1;
      } else {
        expected.FollowUpRequired = (expected.FollowUpRequired ?? 0) + 1;
      }
    }
    const differences = [...new Set([...Object.keys(expected), ...Object.keys(counts)])]
      .filter((type) => (counts[type] ?? 0) !== (expected[type] ?? 0))
      .map((type) => `${type} ${counts[type] ?? 0} (expected ${expected[type] ?? 0})`);
    if (differences.length > 0) problems.push(`${driven.kind} ${driven.caseId}: ${differences.join(', ')}`);
  }
  return { problems: problems.length === 0 ? [] : [`${problems.length} cases with other events than expected: ${list(problems)}`], uploadedInstead };
}

/** Only the harness ends processes: one that exits on its own (a crash on a database restart) is a defect. */
export function checkExits(processes: ManagedProcess[]): Problems {
  return processes.flatMap((p) =>
    p.unexpectedExits.map((exit) => `${p.name} exited on its own at ${new Date(exit.at).toISOString()} (code ${exit.code}, signal ${exit.signal}); last output: ${lastError(exit.tail)}`),
  );
}

function lastError(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim() !== '');
  const interesting = lines.filter((l) => /Unhandled|^\s*(\w*Error|error)\b.*:|"level":[56]0/.test(l)).slice(0, 3);
  return (interesting.length > 0 ? interesting : lines.slice(-2)).map((l) => l.slice(0, 400)).join(' | ');
}

/** During outages the API says 503 (retry later), never 500 (a bug). */
export function checkNo500(tally: HttpTally): Problems {
  const count = tally.byStatus['500'] ?? 0;
  return count === 0 ? [] : [`${count} responses were 500 Internal Server Error, e.g. ${list(tally.serverErrors.map((e) => `${e.at} ${e.method} ${e.path}: ${e.body}`), 3)}`];
}
