// The one intake for uploads (publish, build report photos, import): parts stream into the blob store while hashed,
// within their size limit, each blob new to the account charged once to its quota and held (blob-holds.ts) until
// the request ends; a request that fails deletes what it stored before the answer (unless a row references it or
// another upload, in any process, holds it) and its bytes count against the refused-upload allowance.
import type { FastifyRequest } from 'fastify';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { Config } from '../config.js';
import { AppError, type Message } from '../errors.js';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../storage/blob-store.js';
import { blobsStoredBy, checkPublishRate, quotaExceeded, storageLeft, type StoredBlobsOf } from './quota.js';
import type { RefusedUploads } from './refused-uploads.js';
import { deleteUnreferencedBlob, holdBlob, releaseHolds } from './blob-holds.js';

export interface IntakeDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  /** every domain's share of what an account stores (the quota) */
  storedBlobs: readonly StoredBlobsOf[];
  refused: RefusedUploads;
}

/** Who sends the upload: the account (charged to its quota) and the client address. */
export interface Uploader {
  accountId: string;
  address: string;
}

export interface IntakeOptions {
  /** versions this upload will publish, checked against the hourly publish rate (0: none, e.g. build photos) */
  publishes?: number;
}

/** The parts of a multipart request, or 415 saying what the route expects. */
export function multipartParts(
  req: FastifyRequest,
  expected: Message,
  limits?: { fileSize?: number },
): AsyncIterableIterator<Multipart> {
  if (!req.isMultipart()) throw new AppError('unsupported-file', expected);
  return req.parts(limits ? { limits } : undefined);
}

export class UploadIntake {
  /** names this request's holds on the blobs it stores */
  private readonly id = randomUUID();
  /** blobs this request wrote */
  private readonly written = new Set<string>();
  /** held already: a blob sent twice is held once */
  private readonly held = new Set<string>();
  /** bytes the client sent: what a refusal counts against the allowance */
  private bytesIn = 0;
  private quotaLeft: number;
  private readonly charged = new Set<string>();

  private constructor(
    private readonly deps: IntakeDeps,
    private readonly uploader: Uploader,
    quotaLeft: number,
  ) {
    this.quotaLeft = quotaLeft;
  }

  /**
   * Checked before a byte is read: 429 past the refused-upload allowance or the hourly publish rate, 413 when the
   * storage quota is used up.
   */
  static async open(deps: IntakeDeps, uploader: Uploader, opts: IntakeOptions = {}): Promise<UploadIntake> {
    await deps.refused.check(refusalKeys(uploader));
    if (opts.publishes) await checkPublishRate(deps.db, uploader.accountId, deps.config, opts.publishes);
    const left = await storageLeft(deps.db, deps.storedBlobs, uploader.accountId, deps.config);
    return new UploadIntake(deps, uploader, left);
  }

  /**
   * Streams a multipart file part into the store: BlobTooLargeError past `maxBytes`, the moment it is crossed (busboy
   * would otherwise read and drop the rest of a part cut at its own limit).
   */
  async storePart(part: MultipartFile | { file: Readable & { truncated?: boolean } }, maxBytes: number) {
    part.file.once('limit', () => part.file.destroy(new BlobTooLargeError(maxBytes)));
    return this.storeStream(part.file, maxBytes);
  }

  /** Streams bytes into the store (BlobTooLargeError past `maxBytes`); not charged yet: `charge` decides. */
  async storeStream(stream: Readable & { truncated?: boolean }, maxBytes: number): Promise<StoredBlob> {
    let blob: StoredBlob;
    try {
      blob = await this.deps.blobs.put(stream, { maxBytes, beforeStore: this.hold });
      if (stream.truncated) throw new BlobTooLargeError(maxBytes);
    } catch (err) {
      if (err instanceof BlobTooLargeError || (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') {
        this.bytesIn += maxBytes;
        throw new BlobTooLargeError(maxBytes);
      }
      throw err;
    }
    this.bytesIn += blob.size;
    this.wrote(blob);
    return blob;
  }

  /**
   * Stores bytes already in memory. Their reading is counted with `received` (a part read whole), since what is
   * stored may differ from what the client sent (the files unpacked from a zip).
   */
  async storeBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    const blob = await this.deps.blobs.putBuffer(bytes, { beforeStore: this.hold });
    this.wrote(blob);
    return blob;
  }

  /** Counts bytes the caller read from the client itself (a part read into memory). */
  received(bytes: number): void {
    this.bytesIn += bytes;
  }

  /** Before a blob appears in the store: from now on no clean-up in any process deletes it under this request. */
  private readonly hold = async (blob: StoredBlob) => {
    if (this.held.has(blob.sha256)) return;
    await holdBlob(this.deps.db, this.id, blob.sha256);
    this.held.add(blob.sha256);
  };

  private wrote(blob: StoredBlob) {
    this.written.add(blob.sha256);
  }

  /**
   * Charges a blob to the account's quota: once per request, and not at all when the account already stores it
   * (a file sent again, a photo that is also a published file). 413 past the quota.
   */
  async charge(blob: StoredBlob): Promise<void> {
    if (this.charged.has(blob.sha256)) return;
    this.charged.add(blob.sha256);
    const stored = await blobsStoredBy(this.deps.db, this.deps.storedBlobs, this.uploader.accountId, [blob.sha256]);
    if (stored.has(blob.sha256)) return;
    this.quotaLeft -= blob.size;
    if (this.quotaLeft < 0) throw quotaExceeded(this.deps.config.quotaBytes);
  }

  /**
   * Runs the whole request (reading the parts and writing the rows). When it fails, what it stored and no row
   * references is deleted before the error is answered, and a refusal's bytes count against the allowance.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      await this.discard(err);
      throw err;
    } finally {
      // the rows committed (or the request gave up): the blobs are references' business now
      await releaseHolds(this.deps.db, this.id).catch(() => {
        // the database is down: gc clears holds older than its grace period
      });
      this.written.clear();
    }
  }

  private async discard(err: unknown): Promise<void> {
    // only a refusal (4xx) is held against the client; a server fault (5xx) is not its doing
    const status = err instanceof AppError ? err.status : ((err as { statusCode?: number })?.statusCode ?? 500);
    try {
      if (status < 500) await this.deps.refused.record(refusalKeys(this.uploader), this.bytesIn);
      // blobs a row references, or another upload holds (its commit needs them), stay
      for (const sha256 of this.written) await deleteUnreferencedBlob(this.deps.db, this.deps.blobs, sha256, this.id);
    } catch {
      // the database or the store is down: the error already being answered says so, and gc removes these later
    }
  }
}

const refusalKeys = (u: Uploader) => [`account:${u.accountId}`, `address:${u.address}`];
