export type { StoredUpload, UploadStore } from './port.ts';
export { createFilesystemUploadStore } from './filesystem-upload-store.ts';
export { createPostgresUploadStore, type PostgresUploadStoreOptions } from './postgres-upload-store.ts';
