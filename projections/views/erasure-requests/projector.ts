import { ERASURE_DECIDED, ERASURE_REQUESTED, ERASURE_STREAM_PREFIX, type ErasureDecidedData, type ErasureRequestedData } from '../../../domain/privacy/events.ts';
import type { Projector, ViewDoc } from '../../projector.ts';

export const ERASURE_REQUESTS_PROJECTION = 'erasure-requests';
/** The projector's version: the collection a first build fills, read before the projection ever switched. */
export const ERASURE_REQUESTS_VERSION = 1;
export const ERASURE_REQUESTS = 'erasureRequests';

/** A citizen's erasure request and what was decided, as the citizen and the administrator see it. */
export interface ErasureRequestView {
  requestId: string;
  /** The requester's keyed hash: how a citizen finds their own requests (never the ID number). */
  subjectRef: string;
  caseIds: string[];
  /** The citizen's words; reads "erased" once the request's own key is shredded. */
  reason: string;
  requestedOn: string;
  requestedAt: string;
  status: 'requested' | 'accepted' | 'refused';
  decision: Omit<ErasureDecidedData, 'requestId' | 'decision'> | null;
  revision: string;
}

/** One document per request, from its own stream. */
export function createErasureRequestsProjector(): Projector {
  return {
    name: ERASURE_REQUESTS_PROJECTION,
    version: ERASURE_REQUESTS_VERSION,
    collections: [ERASURE_REQUESTS],
    streamScoped: { prefix: ERASURE_STREAM_PREFIX },
    keys(event) {
      if (!event.streamId.startsWith(ERASURE_STREAM_PREFIX)) return [];
      return event.type === ERASURE_REQUESTED || event.type === ERASURE_DECIDED ? [{ collection: ERASURE_REQUESTS, id: String(event.data.requestId) }] : [];
    },
    apply(event, context) {
      if (!event.streamId.startsWith(ERASURE_STREAM_PREFIX) || (event.type !== ERASURE_REQUESTED && event.type !== ERASURE_DECIDED)) return;
      const id = String(event.data.requestId);
      const stored = context.get(ERASURE_REQUESTS, id) as ErasureRequestView | undefined;
      if (stored && BigInt(stored.revision) >= event.revision) return;
      if (event.type === ERASURE_REQUESTED) {
        const d = event.data as unknown as ErasureRequestedData;
        const view: ErasureRequestView = {
          requestId: d.requestId, subjectRef: d.subjectRef, caseIds: d.caseIds, reason: d.reason, requestedOn: d.requestedOn,
          requestedAt: event.metadata.occurredAt, status: 'requested', decision: null, revision: event.revision.toString(),
        };
        context.put(ERASURE_REQUESTS, id, view as unknown as ViewDoc);
      } else if (event.type === ERASURE_DECIDED && stored) {
        const { requestId: _id, decision, ...rest } = event.data as unknown as ErasureDecidedData;
        context.put(ERASURE_REQUESTS, id, { ...stored, status: decision, decision: rest, revision: event.revision.toString() } as unknown as ViewDoc);
      }
    },
  };
}
