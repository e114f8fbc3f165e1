import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Blob, BlobStore } from "../../app/blob-store.ts";

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * BlobStore on the letters bucket. The bucket's default encryption (SSE-KMS, set by the stack)
 * applies to every object; nothing here names a key, so a put needs only s3:PutObject and the
 * key's kms:GenerateDataKey.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Blob | undefined> {
    try {
      const output = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (output.Body === undefined) return undefined;
      return {
        body: await output.Body.transformToByteArray(),
        contentType: output.ContentType ?? "application/octet-stream",
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof Error && error.name === "NoSuchKey"))
        return undefined;
      throw error;
    }
  }
}
