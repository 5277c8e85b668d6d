export { ERASURE_REQUESTS, ERASURE_REQUESTS_PROJECTION, ERASURE_REQUESTS_VERSION, createErasureRequestsProjector, type ErasureRequestView } from './projector.ts';
