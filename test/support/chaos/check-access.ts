import { testPool } from '../postgres.ts';
import { ACCESS_LOG_TABLE } from '../../../adapters/gateway/access-log/index.ts';
import type { Engine } from '../../../runtime/engine.ts';
import type { Problems } from './check-cases.ts';
import type { DrivenCase } from './load.ts';
import { GATEWAY_DEPARTMENTS } from './topology.ts';

export interface AccessFigures {
  /** Verified requests the gateways answered with data. */
  delivered: number;
  /**
   * Of those, repeats of a (case, item) already delivered. A worker killed after the answer arrived asks again under
   * the same request key and gets the gateway's kept answer, which is no delivery; a repeat means the first answer
   * never reached a worker (see checkAccessLogs).
   */
  refetched: number;
  /** Evidence uses in the citizens' data-use log for the gateway departments. */
  logged: number;
}

/**
 * The departments' own access logs and the citizens' "who used my data" log tell the same story: every data item a
 * gateway delivered for a case is one evidence use of the applicant's data, and every evidence use was delivered by
 * the department named. The data-use log's evidence entries are projected one to one from the EvidenceReceived
 * events (the projection check holds the live log to a rebuild), so they are read from the cases' streams here: a
 * projection merely lagging is not a disagreement. The logs are compared by (case, department, item), and a
 * department that delivered one (case, item) twice is counted (`refetched`): a retry of a request already answered is
 * served from the answer the gateway kept, so a repeat is only an answer that never reached a worker.
 */
export async function checkAccessLogs(checker: Engine, databaseUrl: string, cases: DrivenCase[]): Promise<{ problems: Problems; figures: AccessFigures }> {
  const pool = testPool(databaseUrl, { max: 2 });
  try {
    const delivered = await pool.query<{ case_id: string; department: string; data_item: string; n: string }>(
      `SELECT case_id, department, data_item, count(*) AS n FROM ${ACCESS_LOG_TABLE}
        WHERE result = 'found' AND verified AND department = ANY($1) GROUP BY case_id, department, data_item`,
      [[...GATEWAY_DEPARTMENTS]],
    );
    const citizen = new Map<string, number>();
    for (const driven of cases) {
      if (driven.caseId === null) continue;
      for (const event of await checker.stores.eventStore.readStream(`case-${driven.caseId}`)) {
        if (event.type !== 'EvidenceReceived') continue;
        const { provider, dataItem } = event.data as { provider: string; dataItem: string };
        if (!(GATEWAY_DEPARTMENTS as readonly string[]).includes(provider)) continue;
        const key = `${driven.caseId}|${provider}|${dataItem}`;
        citizen.set(key, (citizen.get(key) ?? 0) + 1);
      }
    }
    const gateway = new Map(delivered.rows.map((r) => [`${r.case_id}|${r.department}|${r.data_item}`, Number(r.n)]));
    const notLogged = [...gateway.keys()].filter((k) => !citizen.has(k));
    const notDelivered = [...citizen.keys()].filter((k) => !gateway.has(k));
    const twice = [...citizen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
    const problems: Problems = [];
    if (notLogged.length > 0) problems.push(`${notLogged.length} deliveries in the gateways' access logs are missing from the citizen's data-use log: ${notLogged.slice(0, 5).join('; ')}`);
    if (notDelivered.length > 0) problems.push(`${notDelivered.length} evidence uses in the data-use log have no delivery in the department's access log: ${notDelivered.slice(0, 5).join('; ')}`);
    if (twice.length > 0) problems.push(`${twice.length} evidence uses logged more than once for one case and item: ${twice.slice(0, 5).join('; ')}`);
    if (gateway.size === 0) problems.push('the gateways delivered nothing: the comparison would be vacuous');
    const total = [...gateway.values()].reduce((a, b) => a + b, 0);
    const repeated = [...gateway].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
    // A repeat is reported in the figures, not failed: the request key covers an answer the worker received and did
    // not record (test/int/evidence-worker-kill.int.spec.ts fails without it), but two windows remain where no
    // answer was received: a gateway killed after its access-log entry and before keeping the answer, and a job run
    // by a second worker while the first (its Redis lock lost in an outage) is still waiting for the same answer.
    if (repeated.length > 0) console.log(`    [chaos] ${total - gateway.size} deliveries repeated a case and item (an answer not yet received when asked again): ${repeated.slice(0, 5).join('; ')}`);
    return { problems, figures: { delivered: total, refetched: total - gateway.size, logged: [...citizen.values()].reduce((a, b) => a + b, 0) } };
  } finally {
    await pool.end();
  }
}
