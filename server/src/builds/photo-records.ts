// Build photos as records: rows per uploaded photo, their process-photo jobs, the stored copies and their URLs.
// The raw upload (with its EXIF and GPS) lives only until the job has stored the metadata-free copies.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { BlobStore, StoredBlob } from '../storage/blob-store.js';
import { blobs } from '../registry/tables.js';
import { enqueue } from '../pipeline/queue.js';
import { priority } from '../pipeline/job-kinds.js';
import { buildPhotos, buildReports } from './tables.js';
import type { StoredBlobsOf } from '../registry/quota.js';
import type { PhotoFormat, PhotoOutputFormat, PhotoSize, RenderedPhoto } from './photos.js';
import { sqlStateOf } from '../db/sql-state.js';

export type PhotoRow = typeof buildPhotos.$inferSelect;

export interface UploadedPhoto extends StoredBlob {
  format: PhotoFormat;
}

/**
 * The blob ledger (registry's `blobs`) gets a row for every blob a photo points at: its foreign keys are what tell a
 * clean-up that a blob is still in use.
 */
async function recordBlob(tx: Executor, blob: StoredBlob): Promise<void> {
  await tx.insert(blobs).values({ sha256: blob.sha256, size: blob.size }).onConflictDoNothing();
}

/** The builds domain's share of an account's storage: its reports' photos, as uploaded and as kept. */
export const photoBlobsOf: StoredBlobsOf = (userId) =>
  sql`select p.upload_sha256 as sha256 from ${buildPhotos} p join ${buildReports} r on r.id = p.report_id
      where r.author_id = ${userId} and p.upload_sha256 is not null
      union select p.original_sha256 from ${buildPhotos} p join ${buildReports} r on r.id = p.report_id
      where r.author_id = ${userId} and p.original_sha256 is not null`;

/** Inside the report's transaction: one row and one process-photo job per photo, numbered after existing ones. */
export async function addPhotos(
  tx: Executor,
  reportId: string,
  photos: readonly UploadedPhoto[],
  firstN = 1,
  requestId?: string,
): Promise<void> {
  for (const [i, p] of photos.entries()) {
    await recordBlob(tx, p);
    const [row] = await tx
      .insert(buildPhotos)
      .values({ reportId, n: firstN + i, format: p.format, uploadSha256: p.sha256 })
      .returning({ id: buildPhotos.id });
    await enqueue(tx, 'process-photo', { photoId: row.id }, { subject: row.id, priority: priority.user, requestId });
  }
}

export async function photosOf(db: Executor, reportId: string): Promise<PhotoRow[]> {
  return db.select().from(buildPhotos).where(eq(buildPhotos.reportId, reportId)).orderBy(asc(buildPhotos.n));
}

export async function findPhoto(db: Executor, id: string): Promise<PhotoRow | undefined> {
  const [row] = await db.select().from(buildPhotos).where(eq(buildPhotos.id, id)).limit(1);
  return row;
}

export async function findPhotoByNumber(db: Executor, reportId: string, n: number): Promise<PhotoRow | undefined> {
  const [row] = await db
    .select()
    .from(buildPhotos)
    .where(and(eq(buildPhotos.reportId, reportId), eq(buildPhotos.n, n)))
    .limit(1);
  return row;
}

export async function markPhotoRunning(db: Executor, id: string): Promise<void> {
  await db.update(buildPhotos).set({ state: 'running', error: null }).where(eq(buildPhotos.id, id));
}

/** A photo that will never be processed: its reason is kept, its raw upload (EXIF and all) is not. */
export async function failPhoto(db: Executor, store: BlobStore, id: string, error: string): Promise<void> {
  const photo = await findPhoto(db, id);
  if (!photo) return;
  await db.update(buildPhotos).set({ state: 'failed', error, uploadSha256: null }).where(eq(buildPhotos.id, id));
  if (photo.uploadSha256) await dropUpload(db, store, photo.uploadSha256);
}

export const variantKey = (size: PhotoSize, format: PhotoOutputFormat) => `${size}.${format}`;

/** Stores the copies, marks the photo done and lets go of the raw upload. */
export async function savePhotoCopies(
  db: Executor,
  store: BlobStore,
  photo: PhotoRow,
  rendered: RenderedPhoto,
): Promise<void> {
  const original = await store.putBuffer(rendered.original.bytes);
  await recordBlob(db, original);
  const variants: Record<string, string> = { [`original.${rendered.original.ext}`]: original.sha256 };
  for (const v of rendered.variants) {
    const blob = await store.putBuffer(v.bytes);
    await recordBlob(db, blob);
    variants[variantKey(v.size, v.format)] = blob.sha256;
  }
  await db
    .update(buildPhotos)
    .set({
      state: 'done',
      error: null,
      originalSha256: original.sha256,
      width: rendered.width,
      height: rendered.height,
      variants,
      uploadSha256: null,
    })
    .where(eq(buildPhotos.id, photo.id));
  if (photo.uploadSha256 && photo.uploadSha256 !== original.sha256) await dropUpload(db, store, photo.uploadSha256);
}

/**
 * Deletes the raw upload unless something else still points at the same bytes (another photo not yet processed, a
 * design file): the ledger row's foreign keys refuse the delete then (23503), and the bytes stay.
 */
async function dropUpload(db: Executor, store: BlobStore, sha256: string): Promise<void> {
  try {
    const gone = await db.delete(blobs).where(eq(blobs.sha256, sha256)).returning({ sha256: blobs.sha256 });
    if (gone.length) await store.delete(sha256);
  } catch (err) {
    if (sqlStateOf(err) !== '23503') throw err;
  }
}

export async function blobSize(db: Executor, sha256: string): Promise<number> {
  const [row] = await db.select({ size: blobs.size }).from(blobs).where(eq(blobs.sha256, sha256)).limit(1);
  return row?.size ?? 0;
}

export function photoUrl(reportId: string, n: number, size: PhotoSize | 'original') {
  return `/api/builds/${reportId}/photos/${n}/${size}`;
}

/** `photos:[{n, state, variants:{large, thumb}}]` of DESIGN.md, with the reason when a photo failed. */
export function describePhoto(reportId: string, p: PhotoRow) {
  return {
    n: p.n,
    state: p.state,
    ...(p.state === 'failed' ? { error: p.error ?? 'the photo could not be processed' } : {}),
    variants: { large: photoUrl(reportId, p.n, 'large'), thumb: photoUrl(reportId, p.n, 'thumb') },
    ...(p.state === 'done' ? { original: photoUrl(reportId, p.n, 'original'), width: p.width, height: p.height } : {}),
  };
}
