export { ERASURE_REQUESTS, ERASURE_REQUESTS_PROJECTION, createErasureRequestsProjector, type ErasureRequestView } from './projector.ts';
