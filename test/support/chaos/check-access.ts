import pg from 'pg';
import { ACCESS_LOG_TABLE } from '../../../adapters/gateway/access-log/index.ts';
import type { Engine } from '../../../adapters/runtime/engine.ts';
import { physicalCollection, readProjectionMeta } from '../../../projections/index.ts';
import { DATA_USE, DATA_USE_PROJECTION } from '../../../projections/views/index.ts';
import type { Problems } from './check-cases.ts';
import { GATEWAY_DEPARTMENTS } from './topology.ts';

export interface AccessFigures {
  /** Verified requests the gateways answered with data. */
  delivered: number;
  /** Of those, repeats of a (case, item) already delivered: a fetch redone after a worker crash, not a second use. */
  refetched: number;
  /** Evidence uses in the citizens' data-use log for the gateway departments. */
  logged: number;
}

/**
 * The departments' own access logs and the citizens' "who used my data" log tell the same story: every data item a
 * gateway delivered for a case appears once in the applicant's log, and every evidence use there was delivered by
 * the department named. A gateway may have answered the same fetch more than once (a worker killed after the answer
 * and before recording it asks again), which is no second use of the data, so the logs are compared by
 * (case, department, item).
 */
export async function checkAccessLogs(checker: Engine, databaseUrl: string): Promise<{ problems: Problems; figures: AccessFigures }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const delivered = await pool.query<{ case_id: string; department: string; data_item: string; n: string }>(
      `SELECT case_id, department, data_item, count(*) AS n FROM ${ACCESS_LOG_TABLE}
        WHERE result = 'found' AND verified AND department = ANY($1) GROUP BY case_id, department, data_item`,
      [[...GATEWAY_DEPARTMENTS]],
    );
    const meta = await readProjectionMeta(checker.stores.readStore, DATA_USE_PROJECTION);
    if (!meta) return { problems: ['the data-use projection has never run'], figures: { delivered: 0, refetched: 0, logged: 0 } };
    const uses = await pool.query<{ key: string; n: string }>(
      `SELECT concat_ws('|', doc->>'caseId', doc->>'holder', doc->>'dataItem') AS key, count(*) AS n FROM read_docs
        WHERE collection = $1 AND doc->>'channel' = 'evidence' AND doc->>'result' = 'granted' AND doc->>'holder' = ANY($2) GROUP BY 1`,
      [physicalCollection(DATA_USE, meta.activeVersion), [...GATEWAY_DEPARTMENTS]],
    );
    const gateway = new Map(delivered.rows.map((r) => [`${r.case_id}|${r.department}|${r.data_item}`, Number(r.n)]));
    const citizen = new Map(uses.rows.map((r) => [r.key, Number(r.n)]));
    const notLogged = [...gateway.keys()].filter((k) => !citizen.has(k));
    const notDelivered = [...citizen.keys()].filter((k) => !gateway.has(k));
    const twice = [...citizen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
    const problems: Problems = [];
    if (notLogged.length > 0) problems.push(`${notLogged.length} deliveries in the gateways' access logs are missing from the citizen's data-use log: ${notLogged.slice(0, 5).join('; ')}`);
    if (notDelivered.length > 0) problems.push(`${notDelivered.length} evidence uses in the data-use log have no delivery in the department's access log: ${notDelivered.slice(0, 5).join('; ')}`);
    if (twice.length > 0) problems.push(`${twice.length} evidence uses logged more than once for one case and item: ${twice.slice(0, 5).join('; ')}`);
    if (gateway.size === 0) problems.push('the gateways delivered nothing: the comparison would be vacuous');
    const total = [...gateway.values()].reduce((a, b) => a + b, 0);
    return { problems, figures: { delivered: total, refetched: total - gateway.size, logged: [...citizen.values()].reduce((a, b) => a + b, 0) } };
  } finally {
    await pool.end();
  }
}
