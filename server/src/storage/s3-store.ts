// S3-compatible blob store (MinIO, Garage, AWS…): streamed multipart upload to tmp/<uuid>, hashed on the way,
// then copied to blobs/ab/cd/<sha256> — a reader never sees a half-written blob under its final key.
import { randomUUID } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import {
  S3Client,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  blobMeter,
  BlobMissingError,
  BlobTooLargeError,
  isSha256,
  type AbandonedUploads,
  type BlobStat,
  type BlobStore,
  type PutOptions,
  type StoredBlob,
  checkExpectedSha256,
} from './blob-store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** multipart part size; memory held per upload is about partSize × queueSize */
  partSize?: number;
  queueSize?: number;
}

const notFoundNames = new Set(['NotFound', 'NoSuchKey']);
const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return notFoundNames.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 404;
};

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly writesInFlight = new Set<Promise<void>>();

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    this.partSize = opts.partSize ?? 8 * 1024 * 1024;
    this.queueSize = opts.queueSize ?? 4;
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      // virtual-host addressing needs DNS per bucket, which MinIO/Garage set-ups rarely have
      forcePathStyle: true,
      // the SDK's default CRC checksums are refused or mangled by many S3-compatible servers; we verify sha256 ourselves
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(opts.accessKeyId && opts.secretAccessKey
        ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
        : {}),
    });
  }

  private keyOf(sha256: string): string {
    if (!isSha256(sha256)) throw new BlobMissingError(sha256);
    return `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  put(source: Readable, opts: PutOptions = {}): Promise<StoredBlob> {
    const write = this.write(source, opts);
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    this.writesInFlight.add(settled);
    void settled.then(() => this.writesInFlight.delete(settled));
    return write;
  }

  private async write(source: Readable, opts: PutOptions): Promise<StoredBlob> {
    const tmpKey = `tmp/${randomUUID()}`;
    const max = opts.maxBytes ?? Infinity;
    const { meter, digest, size: sizeOf } = blobMeter(max);
    let failure: unknown;
    // pipeline destroys the source on a meter error (too large), as the fs store does, so the request ends
    const body = pipeline(source, meter, (err) => {
      if (err) failure ??= err;
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tmpKey, Body: body },
      partSize: this.partSize,
      queueSize: this.queueSize,
      // a failed multipart upload is aborted, so no parts linger in the bucket
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      if (failure) throw failure;
      // a truncated multipart file stream ends quietly; the caller's limit check sees `truncated`
      if ((source as { truncated?: boolean }).truncated) throw new BlobTooLargeError(max);
    } catch (err) {
      await this.deleteKey(tmpKey);
      throw failure ?? err;
    }
    const sha256 = digest();
    const size = sizeOf();
    try {
      checkExpectedSha256(opts, sha256);
    } catch (err) {
      await this.deleteKey(tmpKey);
      throw err;
    }
    const key = this.keyOf(sha256);
    try {
      await opts.beforeStore?.({ sha256, size });
      // copied even when the key exists: the same bytes stay one object, and its fresh write time keeps gc's grace
      // period from deleting a blob a publish in flight is about to reference again (as the fs store's rename does)
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: `${this.bucket}/${tmpKey}` }),
      );
    } finally {
      await this.deleteKey(tmpKey);
    }
    return { sha256, size };
  }

  putBuffer(bytes: Uint8Array, opts?: PutOptions): Promise<StoredBlob> {
    return this.put(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), opts);
  }

  async get(sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const r = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(sha256),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return r.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new BlobMissingError(sha256);
      throw err;
    }
  }

  async getBuffer(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.get(sha256)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  has(sha256: string): Promise<boolean> {
    return isSha256(sha256) ? this.exists(this.keyOf(sha256)) : Promise.resolve(false);
  }

  async stat(sha256: string): Promise<BlobStat | undefined> {
    if (!isSha256(sha256)) return undefined;
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return { size: h.ContentLength ?? 0, modifiedAt: h.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => {});
  }

  async delete(sha256: string): Promise<void> {
    if (isSha256(sha256)) await this.deleteKey(this.keyOf(sha256));
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: 'blobs/', ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const name = o.Key?.split('/').pop() ?? '';
        if (isSha256(name)) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async clearAbandonedUploads(before: Date, dryRun = false): Promise<AbandonedUploads> {
    const found: AbandonedUploads = { count: 0, bytes: 0 };
    // tmp/ objects: complete uploads never copied to their address (killed between the two steps)
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: 'tmp/', ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || !o.LastModified || o.LastModified >= before) continue;
        if (!dryRun) await this.deleteKey(o.Key);
        found.count++;
        found.bytes += o.Size ?? 0;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // multipart uploads to tmp/ never completed (killed mid-upload): no object, but their parts take space until aborted
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: 'tmp/',
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
      } catch (err) {
        // a server that cannot list them (s3rver) has none we could find: its tmp/ objects are cleared all the same
        if ((err as { name?: string } | null)?.name === 'NotImplemented') break;
        throw err;
      }
      for (const u of page.Uploads ?? []) {
        if (!u.Key || !u.UploadId || !u.Initiated || u.Initiated >= before) continue;
        found.count++;
        found.bytes += await this.uploadedPartBytes(u.Key, u.UploadId);
        if (!dryRun)
          await this.client
            .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }))
            .catch(() => {});
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return found;
  }

  private async uploadedPartBytes(key: string, uploadId: string): Promise<number> {
    let bytes = 0;
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
      );
      for (const p of page.Parts ?? []) bytes += p.Size ?? 0;
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return bytes;
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /**
   * A process stopping mid-request (its connections dropped) fails the upload a moment later; its multipart upload
   * and tmp/ object are only cleaned up if the client still works then, so the writes get a few seconds to settle.
   */
  async close(settleMs = 3_000): Promise<void> {
    if (this.writesInFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(this.writesInFlight),
        new Promise((resolve) => (timer = setTimeout(resolve, settleMs))),
      ]);
      clearTimeout(timer);
    }
    this.client.destroy();
  }
}
