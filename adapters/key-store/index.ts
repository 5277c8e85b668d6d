export type { KeyStore, KeyWrapper, ScopeKey } from './port.ts';
export { loadMasterKeyFile, newMasterKeyFile, parseMasterKeys, type MasterKeyFile, type MasterKeys } from './master-keys.ts';
export { createPGliteKeyStore, createPostgresKeyStore, subjectKeysComponent } from './sql-key-store.ts';
