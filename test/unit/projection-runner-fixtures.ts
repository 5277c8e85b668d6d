import { randomUUID } from 'node:crypto';
import type { RunnerLogger } from '../../projections/runner/index.ts';
import type { NewEvent, RecordedEvent } from '../../domain/events/index.ts';
import type { Projector, ViewDoc } from '../../projections/index.ts';

export const T0 = '2026-03-02T09:00:00.000Z';

export function caseEvent(type: 'CaseSubmitted' | 'CaseApproved' | 'CaseWithdrawn', caseId: string, dept: string, occurredAt = T0): NewEvent {
  const eventId = randomUUID();
  return {
    type,
    data: { caseId, dept },
    metadata: {
      eventId,
      schemaVersion: 1,
      occurredAt,
      correlationId: `corr-${caseId}`,
      causationId: null,
      actor: { kind: 'system', id: 'spec' },
      commandId: `cmd-${eventId}`,
    },
  };
}

export interface CaseProjectorOptions {
  version?: number;
  /** Throw from apply() on the events this picks, to stand for a projector bug or a bad event. */
  failWhen?: (event: RecordedEvent) => boolean;
  /** Every apply() call, by event id, to tell reapplication from single delivery. */
  applied?: string[];
}

/**
 * A small case view: one document per case plus one per department listing its cases. Idempotent as the Projector
 * contract asks: department documents hold a map, not counters. Version 2 adds a label, to tell versions apart.
 */
export function caseProjector(options: CaseProjectorOptions = {}): Projector {
  const version = options.version ?? 1;
  return {
    name: 'case-summary',
    version,
    collections: ['cases', 'dept_stats'],
    keys(event) {
      const { caseId, dept } = event.data as { caseId: string; dept: string };
      return [
        { collection: 'cases', id: caseId },
        { collection: 'dept_stats', id: dept },
      ];
    },
    apply(event, context) {
      options.applied?.push(event.metadata.eventId);
      if (options.failWhen?.(event)) throw new Error(`projector bug on ${event.type}`);
      const { caseId, dept } = event.data as { caseId: string; dept: string };
      const stats: ViewDoc = context.get('dept_stats', dept) ?? { id: dept, cases: {} };
      const cases = { ...(stats.cases as Record<string, string>) };
      if (event.type === 'CaseSubmitted') {
        const doc: ViewDoc = { id: caseId, dept, status: 'submitted', submittedAt: event.metadata.occurredAt };
        if (version >= 2) doc.label = `${dept}:${caseId}`;
        context.put('cases', caseId, doc);
        cases[caseId] = 'submitted';
      } else if (event.type === 'CaseApproved') {
        const current = context.get('cases', caseId);
        if (current) context.put('cases', caseId, { ...current, status: 'approved', approvedAt: event.metadata.occurredAt });
        cases[caseId] = 'approved';
      } else if (event.type === 'CaseWithdrawn') {
        context.delete('cases', caseId);
        delete cases[caseId];
      }
      context.put('dept_stats', dept, { id: dept, cases, open: Object.values(cases).filter((s) => s === 'submitted').length });
    },
  };
}

/**
 * One document per case from its own stream alone (no department totals), so it declares itself stream-scoped and a
 * rebuild may replay it stream by stream. Tracks the stream revision it has applied, for redelivery.
 */
export function caseDocsProjector(options: { version?: number } = {}): Projector {
  return {
    name: 'case-docs',
    version: options.version ?? 1,
    collections: ['cases'],
    streamScoped: { prefix: 'case-' },
    keys(event) {
      return event.streamId.startsWith('case-') ? [{ collection: 'cases', id: event.streamId.slice('case-'.length) }] : [];
    },
    apply(event, context) {
      if (!event.streamId.startsWith('case-')) return;
      const id = event.streamId.slice('case-'.length);
      const current = context.get('cases', id);
      if (current && BigInt(current.revision as string) >= event.revision) return;
      const history = [...((current?.history as string[] | undefined) ?? []), event.type];
      if (event.type === 'CaseWithdrawn') context.delete('cases', id);
      else context.put('cases', id, { id, history, revision: event.revision.toString(), at: event.metadata.occurredAt });
    },
  };
}

export function collectingLogger(): RunnerLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, message, fields });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

/** Polls until `check` passes (returns without throwing) or the deadline passes; waits for effects, asserts no speed. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The documents a projector yields over a log, folded the plain way, to compare a runner's output against. */
export function foldView(projector: Projector, events: RecordedEvent[]): Map<string, Map<string, ViewDoc>> {
  const view = new Map<string, Map<string, ViewDoc>>(projector.collections.map((c) => [c, new Map()]));
  const context = {
    get: (collection: string, id: string) => view.get(collection)?.get(id),
    put: (collection: string, id: string, doc: ViewDoc) => void view.get(collection)!.set(id, JSON.parse(JSON.stringify(doc)) as ViewDoc),
    delete: (collection: string, id: string) => void view.get(collection)!.delete(id),
  };
  for (const event of events) projector.apply(event, context);
  return view;
}

/** A case log with submissions, approvals and withdrawals spread over departments. */
export function caseStreams(count: number, prefix = 'case'): Array<{ stream: string; events: NewEvent[] }> {
  const depts = ['卫健委', 'transport', 'market', 'tax'];
  return Array.from({ length: count }, (_, i) => {
    const caseId = `${prefix}-${i}`;
    const dept = depts[i % depts.length]!;
    const events = [caseEvent('CaseSubmitted', caseId, dept)];
    if (i % 2 === 0) events.push(caseEvent('CaseApproved', caseId, dept));
    if (i % 7 === 0) events.push(caseEvent('CaseWithdrawn', caseId, dept));
    return { stream: `case-${caseId}`, events };
  });
}
