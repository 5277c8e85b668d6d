import { Redis } from 'ioredis';
import type { ChaosClient } from './client.ts';
import { driveCase, type DrivenCase } from './load.ts';
import type { ManagedProcess } from './processes.ts';
import type { Topology } from './topology.ts';

export type Fault =
  | { kind: 'kill'; process: string }
  | { kind: 'redis-flushall' }
  | { kind: 'redis-crash' }
  | { kind: 'pg-restart'; mode: 'fast' | 'immediate' }
  | { kind: 'pg-outage'; seconds: number };

export interface FaultRecord {
  fault: string;
  startedAt: string;
  /** How long the fault itself lasted (process back up, server restarted, outage over), ms. */
  downMs: number;
  /**
   * From the start of the fault until a fresh case went from draft to review again through the API processes, the
   * workers and the gateways (the whole pipeline serving), ms; null when that did not happen within the bound.
   */
  recoveryMs: number | null;
  note: string | null;
}

export const describeFault = (fault: Fault): string => {
  switch (fault.kind) {
    case 'kill':
      return `kill -9 ${fault.process}`;
    case 'redis-flushall':
      return 'Redis FLUSHALL';
    case 'redis-crash':
      return 'Redis crash (SIGKILL) and restart, empty';
    case 'pg-restart':
      return `PostgreSQL ${fault.mode} restart`;
    case 'pg-outage':
      return `PostgreSQL outage ${fault.seconds} s`;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reduced schedule (two workers): every process killed, Redis flushed and crashed, PostgreSQL restarted both ways and down. */
export function reducedSchedule(outageSeconds: number): Fault[] {
  return [
    { kind: 'kill', process: 'api-1' },
    { kind: 'kill', process: 'worker-1' },
    { kind: 'kill', process: 'gateway-PSB' },
    { kind: 'redis-flushall' },
    { kind: 'pg-restart', mode: 'fast' },
    { kind: 'kill', process: 'api-2' },
    { kind: 'kill', process: 'gateway-HRSS' },
    { kind: 'redis-crash' },
    { kind: 'pg-restart', mode: 'immediate' },
    { kind: 'kill', process: 'worker-2' },
    { kind: 'pg-outage', seconds: outageSeconds },
    { kind: 'kill', process: 'worker-1' },
  ];
}

/** The full schedule: `rounds` of killing every process, the Redis and PostgreSQL faults each round, then a long outage. */
export function fullSchedule(topology: Pick<Topology, 'all'>, rounds: number, outageSeconds: number): Fault[] {
  const faults: Fault[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const p of topology.all()) faults.push({ kind: 'kill', process: p.name });
    faults.push({ kind: 'redis-flushall' }, { kind: 'pg-restart', mode: 'fast' }, { kind: 'redis-crash' }, { kind: 'pg-restart', mode: 'immediate' });
  }
  faults.push({ kind: 'pg-outage', seconds: outageSeconds });
  for (const p of topology.all()) if (p.kind !== 'gateway') faults.push({ kind: 'kill', process: p.name });
  return faults;
}

async function inject(topology: Topology, fault: Fault): Promise<string | null> {
  switch (fault.kind) {
    case 'kill': {
      const target = topology.all().find((p: ManagedProcess) => p.name === fault.process);
      if (!target) throw new Error(`no process ${fault.process} in the topology`);
      if (!target.alive()) return `${fault.process} was already dead (exited on its own), so it was not killed or restarted`;
      await target.kill9();
      const readyMs = await target.restart();
      return `restarted, ready after ${readyMs} ms`;
    }
    case 'redis-flushall': {
      const client = new Redis(topology.redis.url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      return null;
    }
    case 'redis-crash':
      await topology.redis.restart({ crash: true });
      return null;
    case 'pg-restart':
      await topology.cluster.restart(fault.mode);
      return null;
    case 'pg-outage':
      await topology.cluster.stop('immediate');
      await sleep(fault.seconds * 1000);
      await topology.cluster.start();
      return null;
  }
}

/** Kinds of process the draft-to-review pipeline needs none of which is running (every gateway is needed). */
function unservedKinds(topology: Topology): string[] {
  const missing: string[] = [];
  if (!topology.apis.some((p) => p.alive())) missing.push('api');
  if (!topology.workers.some((p) => p.alive())) missing.push('worker');
  for (const gateway of topology.gateways) if (!gateway.alive()) missing.push(gateway.name);
  return missing;
}

export interface FaultRunOptions {
  /** Quiet time between the recovery of one fault and the next, so each starts from a serving system. */
  pauseMs: number;
  /** How long to wait for the probe case to get through after a fault. */
  recoveryBoundMs: number;
}

/**
 * Injects the faults one after another while the load runs. After each, a probe case (kind parked-review) measures
 * recovery; it stays in the run and is checked like every other case.
 */
export async function runFaults(topology: Topology, client: ChaosClient, faults: Fault[], options: FaultRunOptions): Promise<{ records: FaultRecord[]; probes: DrivenCase[] }> {
  const records: FaultRecord[] = [];
  const probes: DrivenCase[] = [];
  for (const fault of faults) {
    await sleep(options.pauseMs);
    const started = Date.now();
    // A process that cannot start again (it exits, or is not ready in time) is a finding, not the end of the run.
    const note = await inject(topology, fault).catch((error: unknown) => `injection failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    const downMs = Date.now() - started;
    const bound = () => started + downMs + options.recoveryBoundMs;
    const missing = unservedKinds(topology);
    if (missing.length > 0) {
      // The harness restarts only what it killed, so nothing can bring the pipeline back: waiting would only cost time.
      records.push({ fault: describeFault(fault), startedAt: new Date(started).toISOString(), downMs, recoveryMs: null, note: `${note ? `${note}; ` : ''}no ${missing.join(' or ')} process alive (exited on their own), so no recovery possible` });
      console.log(`    [chaos] ${describeFault(fault)}: no ${missing.join(' or ')} process alive, recovery not measured`);
      continue;
    }
    const probe = await driveCase(client, 'parked-review', bound);
    // The probe's script ends once its case view shows review.
    const reachedReview = probe.error === null;
    probes.push(probe);
    const record: FaultRecord = {
      fault: describeFault(fault),
      startedAt: new Date(started).toISOString(),
      downMs,
      recoveryMs: reachedReview ? Date.now() - started : null,
      note: note ?? (probe.error ? `probe: ${probe.error}` : null),
    };
    records.push(record);
    console.log(`    [chaos] ${record.fault}: down ${(downMs / 1000).toFixed(1)} s, recovered ${record.recoveryMs === null ? 'NOT within bound' : `after ${(record.recoveryMs / 1000).toFixed(1)} s`}${record.note ? ` (${record.note})` : ''}`);
  }
  return { records, probes };
}
