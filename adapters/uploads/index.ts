export type { StoredUpload, UploadStore } from '../../domain/ports/uploads.ts';
export { createFilesystemUploadStore } from './filesystem-upload-store.ts';
