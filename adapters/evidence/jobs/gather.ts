/**
 * From a provider's answer to what the case records: only the requested fields, cleansed, checked against the
 * catalogue's quality rules, hashed, and cross-checked against a second source when one is configured. A
 * disagreement is flagged for the clerk, never resolved here.
 */
import type { DataItem } from '../../../domain/catalogue/index.ts';
import { cleanseFields } from '../../../domain/evidence/index.ts';
import { detectConflicts, type FieldConflict } from '../../../domain/evidence/index.ts';
import { checkQuality } from '../../../domain/evidence/index.ts';
import { onlyRequested } from '../../../domain/evidence/index.ts';
import { contentHash } from '../content-hash.ts';
import type { EvidenceProvider, EvidenceResult } from '../../../domain/ports/evidence.ts';
import { callWithTimeout } from './call-with-timeout.ts';
import { evidenceRequestKey, requestOf, type EvidenceJob } from './evidence-job.ts';
import type { FoundEvidence } from './outcome-commands.ts';

export interface SecondarySource {
  provider: EvidenceProvider;
  /** Data items to cross-check; every item when absent (items the source does not hold are skipped). */
  items?: string[];
}

export interface GatherContext {
  item: DataItem;
  /** The local date expiry checks compare with ('YYYY-MM-DD'). */
  today: string;
  timeoutMs: number;
  secondary?: SecondarySource;
}

export type GatherOutcome =
  | { kind: 'found'; found: FoundEvidence }
  | { kind: 'unavailable'; reason: 'no_match' | 'not_yet_available'; detail: string };

async function crossCheck(job: EvidenceJob, primary: Record<string, unknown>, ctx: GatherContext): Promise<{ conflicts: FieldConflict[]; note: string | null }> {
  const secondary = ctx.secondary;
  if (!secondary || (secondary.items && !secondary.items.includes(job.dataItem))) return { conflicts: [], note: null };
  let answer: EvidenceResult;
  try {
    answer = await callWithTimeout(secondary.provider, { ...requestOf(job), requestKey: evidenceRequestKey(job, 'cross-check') }, ctx.timeoutMs, secondary.provider.name);
  } catch (error) {
    // Without a list, a source that does not hold the item simply has nothing to compare.
    if (!secondary.items && (error as { code?: string }).code === 'EVIDENCE_REFUSED') return { conflicts: [], note: null };
    return { conflicts: [], note: `cross-check with ${secondary.provider.name} not possible: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (answer.status !== 'found') return { conflicts: [], note: null };
  const other = cleanseFields(ctx.item, onlyRequested(answer.fields, job.fields)).fields;
  return { conflicts: detectConflicts({ source: job.provider, fields: primary }, { source: secondary.provider.name, fields: other }), note: null };
}

export async function gather(job: EvidenceJob, router: EvidenceProvider, ctx: GatherContext): Promise<GatherOutcome> {
  const result = await callWithTimeout(router, requestOf(job), ctx.timeoutMs, job.provider);
  if (result.status === 'no_match') return { kind: 'unavailable', reason: 'no_match', detail: `${job.provider} holds no ${job.dataItem} record for this subject` };
  if (result.status === 'not_yet_available') {
    const after = result.availableAfter ? ` after ${result.availableAfter}` : ' later';
    return { kind: 'unavailable', reason: 'not_yet_available', detail: `${job.provider} will have the ${job.dataItem} record${after}` };
  }
  const cleansed = cleanseFields(ctx.item, onlyRequested(result.fields, job.fields));
  const qualityIssues = [...checkQuality(ctx.item, cleansed.fields, ctx.today).map((issue) => issue.message), ...cleansed.problems];
  const { conflicts, note } = await crossCheck(job, cleansed.fields, ctx);
  if (note) qualityIssues.push(note);
  return {
    kind: 'found',
    found: {
      fields: cleansed.fields,
      contentHash: contentHash(cleansed.fields),
      retrievedAt: result.retrievedAt,
      trustLevel: ctx.item.trustLevel,
      qualityIssues,
      conflicts,
      ...(result.provisional ? { provisional: true } : {}),
    },
  };
}
