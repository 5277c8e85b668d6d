/**
 * The subject key store's master-key file and schema. PostgreSQL and PGlite are each their own folder with its own
 * index.ts, reached through runtime/lazy-adapters.ts, so their client libraries load only when configured.
 */
export type { KeyStore, KeyWrapper, NewSubjectKey, ScopeKey } from '../../domain/ports/key-store.ts';
export { SubjectKeyTakenError } from '../../domain/ports/key-store.ts';
export { loadMasterKeyFile, newMasterKeyFile, parseMasterKeys, type MasterKeyFile, type MasterKeys } from './master-keys.ts';
export { subjectKeysComponent } from './migrations.ts';
export { insertNewKeys, newKeysJson, SCOPE_TAKEN_CONSTRAINT } from './sql/insert-keys.ts';
