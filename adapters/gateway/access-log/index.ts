export { createMemoryAccessLog } from './memory-access-log.ts';
export type { MemoryAccessLogOptions } from './memory-access-log.ts';
export { createFileAccessLog, DamagedAccessLogError } from './file-access-log.ts';
export type { FileAccessLog, FileAccessLogOptions } from './file-access-log.ts';
export { ACCESS_LOG_TABLE } from './statements/migrate-access-log.ts';
export type { AccessLog, AccessLogEntry, AccessLogQuery, AccessResult, AnswerToKeep, NewAccessLogEntry } from './types.ts';
