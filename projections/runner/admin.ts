import type { ReadStore } from '../../domain/ports/read-store.ts';
import { fencedTransaction } from './fence.ts';
import { message } from './live-lane.ts';
import { readProjectionMeta } from './meta.ts';
import type { ProjectionRunner, ProjectionStatus, RunnerLogger } from './types.ts';

/**
 * Projection admin through the shared read store, so an API process that runs no projection can still show status
 * and ask for a rebuild: the worker holding a projection's lease reports its status under `projection-status:<name>`
 * and carries out the request it finds under `projection-rebuild:<name>`.
 */
export const statusKey = (name: string) => `projection-status:${name}`;
export const rebuildKey = (name: string) => `projection-rebuild:${name}`;
/** A rebuild owed after whatever runs or waits now (requestRebuild's `afresh`); its id is settled once one starts after it. */
export const nextRebuildKey = (name: string) => `projection-rebuild-next:${name}`;

export interface RebuildRequest {
  /** The command id of the request (Idempotency-Key), so a retried POST asks once. */
  id: string;
  state: 'requested' | 'running' | 'done' | 'failed';
  requestedAt: string;
  /** The worker carrying it out, once one took it. */
  worker: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The version built, once done. */
  version: number | null;
  error: string | null;
  /** The owed rebuild (nextRebuildKey) on record when this one started, which it therefore covers. */
  covers?: string | null;
}

export type SharedStatus = Omit<ProjectionStatus, 'active'> & {
  /** The worker process that runs it (host:pid), null when none has reported. */
  worker: string | null;
  reportedAt: string | null;
  rebuildRequest: RebuildRequest | null;
};

const asRequest = (doc: Record<string, unknown> | null): RebuildRequest | null => (doc && typeof doc.id === 'string' ? (doc as unknown as RebuildRequest) : null);

/**
 * Records a rebuild request unless one is already waiting or running (that one is returned instead).
 *
 * `afresh`: the caller changed what the log reads as (a shredding: the values it erased read "erased" now) and needs
 * a rebuild that reads the log after that. A rebuild already running may have read those values before the change,
 * and would switch them in: so the request is recorded as owed after whatever runs now, under a key of its own that
 * the rebuild's worker never writes, and the worker carries it out once no other rebuild runs, unless one started
 * after it (which covers it).
 */
export async function requestRebuild(readStore: ReadStore, name: string, id: string, now: Date, options: { afresh?: boolean } = {}): Promise<RebuildRequest> {
  const request: RebuildRequest = { id, state: 'requested', requestedAt: now.toISOString(), worker: null, startedAt: null, finishedAt: null, version: null, error: null };
  if (options.afresh) {
    await readStore.setMeta(nextRebuildKey(name), { ...request });
    return request;
  }
  // Read, then write: two admins asking at the same instant both get "requested", and one rebuild runs.
  const existing = asRequest(await readStore.getMeta(rebuildKey(name)));
  if (existing && (existing.id === id || existing.state === 'requested' || existing.state === 'running')) return existing;
  await readStore.setMeta(rebuildKey(name), { ...request });
  return request;
}

/** What a request id (an administrator's Idempotency-Key) was answered, so a retry asks for nothing more. */
export const rebuildIdKey = (id: string) => `projection-rebuild-id:${id}`;

/**
 * requestRebuild for a request id a client chose, once the id is claimed for this projection (the caller claims it
 * in the event log, which refuses it for anything else, atomically). Sent again it starts nothing: it is answered
 * with the projection's request on record now, which is the id's own or one made after it (so never a state frozen
 * at the first answer), or with the first answer when none is on record.
 */
export async function requestRebuildOnce(readStore: ReadStore, name: string, id: string, now: Date): Promise<RebuildRequest> {
  const answered = asRequest(await readStore.getMeta(rebuildIdKey(id)));
  if (answered) return asRequest(await readStore.getMeta(rebuildKey(name))) ?? answered;
  const request = await requestRebuild(readStore, name, id, now);
  await readStore.setMeta(rebuildIdKey(id), { ...request });
  return request;
}

/** Every projection's status as the workers last reported it, with its active version read fresh. */
export async function readSharedStatus(readStore: ReadStore, names: string[]): Promise<SharedStatus[]> {
  return Promise.all(
    names.map(async (name): Promise<SharedStatus> => {
      const [meta, reported, request] = await Promise.all([readProjectionMeta(readStore, name), readStore.getMeta(statusKey(name)), readStore.getMeta(rebuildKey(name))]);
      const status = reported as (ProjectionStatus & { worker: string; reportedAt: string }) | null;
      return {
        name,
        version: status?.version ?? meta?.codeVersion ?? 0,
        activeVersion: meta?.activeVersion ?? null,
        checkpoint: status?.checkpoint ?? '0/0',
        eventsProcessed: status?.eventsProcessed ?? 0,
        lastEventAt: status?.lastEventAt ?? null,
        lagMs: status?.lagMs ?? null,
        state: status?.state ?? 'stopped',
        lastError: status?.lastError ?? null,
        rebuild: status?.rebuild ?? null,
        worker: status?.worker ?? null,
        reportedAt: status?.reportedAt ?? null,
        rebuildRequest: asRequest(request),
      };
    }),
  );
}

export interface AdminAgentOptions {
  runner: ProjectionRunner;
  readStore: ReadStore;
  /** The lease token of each projection this process holds now. */
  tokens(): ReadonlyMap<string, number>;
  /** Names this process in reports (host:pid). */
  worker: string;
  intervalMs?: number;
  /**
   * How long after an owed rebuild (requestRebuild's `afresh`) failed it is tried again; default 60 s. Owed after a
   * shredding, the views it would rebuild may still show what was erased: it is retried until it is done.
   */
  owedRetryMs?: number;
  logger: RunnerLogger;
}

/**
 * In each worker: every interval, reports the status of the projections it holds and starts any rebuild requested
 * for them. Writes are fenced with the lease token, so a worker that lost a lease cannot overwrite the report of the
 * one that took it. A request left "running" without a rebuild behind it (its worker lost the lease) is taken up again
 * by whichever process holds the lease now, itself included.
 */
export function startAdminAgent(options: AdminAgentOptions): { stop(): Promise<void> } {
  const { runner, readStore, worker, logger } = options;
  const rebuilding = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const update = (name: string, token: number, request: RebuildRequest) =>
    fencedTransaction(readStore, { projection: name, token }, (tx) => tx.setMeta(rebuildKey(name), { ...request }));

  const carryOut = (name: string, token: number, request: RebuildRequest) => {
    rebuilding.add(name);
    void (async () => {
      // Read before the rebuild reads any event: an owed rebuild recorded later is not covered by this one.
      const owed = asRequest(await readStore.getMeta(nextRebuildKey(name)).catch(() => null));
      const running: RebuildRequest = { ...request, state: 'running', worker, startedAt: new Date().toISOString(), covers: owed?.id ?? request.covers ?? null };
      try {
        await update(name, token, running);
        logger.info({ projection: name, request: request.id }, 'rebuild requested through the API started');
        const result = await runner.rebuild(name);
        await update(name, token, { ...running, state: 'done', finishedAt: new Date().toISOString(), version: result.version });
      } catch (error) {
        // Stopped because the lease moved: the new holder takes the request up; anything else is reported.
        if (options.tokens().get(name) === token) {
          logger.error({ projection: name, request: request.id, error: message(error) }, 'rebuild requested through the API failed');
          await update(name, token, { ...running, state: 'failed', finishedAt: new Date().toISOString(), error: message(error) }).catch(() => undefined);
        }
      } finally {
        rebuilding.delete(name);
      }
    })();
  };

  const once = async () => {
    const tokens = options.tokens();
    if (tokens.size === 0) return;
    const reportedAt = new Date().toISOString();
    for (const status of await runner.status()) {
      const token = tokens.get(status.name);
      if (token === undefined || !status.active) continue;
      try {
        const { active: _active, ...report } = status;
        await fencedTransaction(readStore, { projection: status.name, token }, (tx) => tx.setMeta(statusKey(status.name), { ...report, worker, reportedAt }));
        const request = asRequest(await readStore.getMeta(rebuildKey(status.name)));
        // Running, but not here, while this process holds the lease: nobody is carrying it out (a holder that lost the
        // lease is fenced off). Which worker it names does not matter: a process that lost the lease mid-rebuild and
        // took it back, or one restarted under the same host:pid, names itself, and waiting for it would be for ever.
        const orphaned = request?.state === 'running';
        const idle = !rebuilding.has(status.name) && !status.rebuild;
        if (request && (request.state === 'requested' || orphaned)) {
          if (idle) carryOut(status.name, token, request);
        } else if (idle) {
          const owed = asRequest(await readStore.getMeta(nextRebuildKey(status.name)));
          // Answered by the last rebuild if it was this one or started after it; only a done one settles it.
          const answered = owed !== null && request !== null && (request.id === owed.id || request.covers === owed.id);
          if (owed && !answered) carryOut(status.name, token, owed);
          else if (owed && request?.state === 'failed' && Date.now() - Date.parse(request.finishedAt ?? '') >= (options.owedRetryMs ?? 60_000)) {
            logger.warn({ projection: status.name, request: owed.id }, 'owed rebuild failed before: trying again');
            carryOut(status.name, token, owed);
          }
        }
      } catch (error) {
        logger.warn({ projection: status.name, error: message(error) }, 'projection status report failed');
      }
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = once().catch(() => undefined).finally(schedule);
    }, options.intervalMs ?? 1000);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
