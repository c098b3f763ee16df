// The content-addressed blob store interface: fs and S3 backends implement it, chosen by config.
import { Transform, type Readable } from 'node:stream';
import { createHash } from 'node:crypto';

export interface StoredBlob {
  sha256: string;
  size: number;
}

export interface BlobStat {
  size: number;
  /** when the object was written: gc's grace period counts from here for blobs no row knows */
  modifiedAt: Date;
}

export interface AbandonedUploads {
  count: number;
  bytes: number;
}

export interface PutOptions {
  /** refuse (BlobTooLargeError) once more than this many bytes arrived */
  maxBytes?: number;
  /**
   * Called once the bytes are hashed, before they appear under their sha256 (a throw leaves nothing): an upload
   * holds the blob here, so a deletion in another process either comes before the blob is written or spares it.
   */
  beforeStore?: (blob: StoredBlob) => Promise<void>;
  /** keep the bytes only if they hash to this (BlobMismatchError, nothing stored): a mirror's verified copy */
  expectSha256?: string;
}

export interface BlobStore {
  /** Streams bytes in while hashing; the blob appears under its sha256 only when complete. */
  put(source: Readable, opts?: PutOptions): Promise<StoredBlob>;
  putBuffer(bytes: Uint8Array, opts?: PutOptions): Promise<StoredBlob>;
  /** Range is inclusive, like HTTP. */
  get(sha256: string, range?: { start: number; end: number }): Promise<Readable>;
  getBuffer(sha256: string): Promise<Buffer>;
  /**
   * A path on this machine where the blob's bytes can be read, for stores that keep blobs as files (fs): a worker
   * thread reads them itself instead of the main thread reading and handing them over. Undefined for S3.
   */
  localPath?(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  /** size and write time, or undefined when the blob is absent */
  stat(sha256: string): Promise<BlobStat | undefined>;
  delete(sha256: string): Promise<void>;
  list(): AsyncIterable<string>;
  /**
   * Temporary uploads (tmp/) last written before `before`: left by a process killed mid-upload, since a live upload
   * writes continuously. Deleted unless `dryRun`; gc calls this with its grace period.
   */
  clearAbandonedUploads(before: Date, dryRun?: boolean): Promise<AbandonedUploads>;
  ping(): Promise<void>;
  /** releases connections (S3 sockets), after writes in flight have finished or cleaned up; the fs store has none */
  close?(): void | Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than the limit of ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export class BlobMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`the bytes hash to ${actual}, not the announced ${expected}`);
    this.name = 'BlobMismatchError';
  }
}

/** Throws BlobMismatchError when the bytes' hash is not the one the caller expected. */
export function checkExpectedSha256(opts: PutOptions, actual: string): void {
  if (opts.expectSha256 !== undefined && opts.expectSha256 !== actual)
    throw new BlobMismatchError(opts.expectSha256, actual);
}

export class BlobMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is missing from the store`);
    this.name = 'BlobMissingError';
  }
}

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

/**
 * What every store's `put` streams through: hashes the bytes and counts them, failing with BlobTooLargeError
 * the moment they pass `maxBytes`. `digest()` and `size()` once the stream has ended.
 */
export function blobMeter(maxBytes = Infinity): { meter: Transform; digest: () => string; size: () => number } {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { meter, digest: () => hash.digest('hex'), size: () => size };
}
