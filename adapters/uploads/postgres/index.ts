/** The PostgreSQL upload store (pg): loaded by the composition root only when DATABASE_URL is set. */
export { createPostgresUploadStore, type PostgresUploadStoreOptions } from './postgres-upload-store.ts';
export { uploadsComponent } from './postgres-upload-store.ts';
