/**
 * Department gateway: the app, its access log, auditor tokens and the in-process gateways of the embedded default.
 * The PostgreSQL access log and replay cache are their own folders (access-log/postgres/, replay-cache/postgres/),
 * so the embedded default does not load pg.
 */
export { createGatewayApp } from './create-gateway-app.ts';
export type { GatewayOptions } from './create-gateway-app.ts';
export { createFileAccessLog, createMemoryAccessLog, DamagedAccessLogError, ACCESS_LOG_TABLE } from './access-log/index.ts';
export type { AccessLog, AccessLogEntry, AccessLogQuery, AccessResult, AnswerToKeep, NewAccessLogEntry } from './access-log/index.ts';
export { createFileReplayCache, createMemoryReplayCache } from './replay-cache/index.ts';
export type { ReplayCache } from './replay-cache/index.ts';
export { createAuditorToken } from './auditor-token.ts';
export { startEmbeddedGateways } from './embedded-gateways.ts';
export type { EmbeddedGateway, EmbeddedGateways, EmbeddedGatewaysOptions } from './embedded-gateways.ts';
export { listen } from './listen.ts';
export type { Listening } from './listen.ts';
export { silentLogger } from '../evidence/index.ts';
export type { EvidenceLogger } from '../evidence/index.ts';
export { ANSWER_TABLE, gatewayComponent, migrateGateway } from './migrations.ts';
export { createResponseSigner } from './response-signer.ts';
