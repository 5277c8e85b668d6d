export { AUDIT_CASES, AUDIT_HEAD, AUDIT_TRAIL, HEAD_ID } from './document.ts';
export type { AccessRecord, AuditCase, AuditEntry, AuditHead } from './document.ts';
export { AUDIT_TRAIL_PROJECTION, AUDIT_TRAIL_VERSION, createAuditTrailProjector } from './projector.ts';
