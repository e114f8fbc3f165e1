/**
 * Where letters (apology drafts as HTML and DOCX) are kept: the encrypted S3 letters bucket in AWS
 * (shared/adapters/s3/s3-blob-store.ts), a folder locally (file-blob-store.ts). Keys are paths
 * like "apology/<dossier code>/<draft id>.docx"; the contents are personal data.
 */
export interface Blob {
  readonly body: Uint8Array;
  readonly contentType: string;
}

export interface BlobStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** Undefined when nothing is stored under `key`. */
  get(key: string): Promise<Blob | undefined>;
}
