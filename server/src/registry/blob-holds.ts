// Blobs uploads in flight hold, in the database so every process sees them, and the one way to delete a blob nobody
// references: both take the same per-blob lock. A hold is taken before the blob appears under its sha256, so a
// deletion in another process either finishes first (and the upload then writes the bytes again) or sees the hold
// and spares the blob a publish is about to reference.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { referencedAmong } from '../db/blob-references.js';
import { sqlStateOf } from '../db/sql-state.js';
import type { BlobStore } from '../storage/blob-store.js';
import { blobs, uploadHolds } from './tables.js';

const lockBlob = (tx: Executor, sha256: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(7401, hashtext(${sha256}))`);

/** Holds `sha256` for the upload: one statement that waits for a deletion of the same blob in progress. */
export async function holdBlob(db: Executor, uploadId: string, sha256: string): Promise<void> {
  await db.execute(
    sql`insert into upload_holds (upload_id, sha256)
        select ${uploadId}::uuid, ${sha256} from (select pg_advisory_xact_lock(7401, hashtext(${sha256}))) as locked`,
  );
}

/** Lets go of everything the upload holds (its rows committed, or it gave up). */
export async function releaseHolds(db: Executor, uploadId: string): Promise<void> {
  await db.delete(uploadHolds).where(eq(uploadHolds.uploadId, uploadId));
}

/** Holds a crashed process left: older than gc's grace period, no live upload takes that long. */
export async function clearStaleHolds(db: Executor, before: Date, dryRun = false): Promise<number> {
  if (dryRun) return 0;
  const gone = await db.delete(uploadHolds).where(lt(uploadHolds.createdAt, before)).returning({ id: uploadHolds.id });
  return gone.length;
}

/**
 * Deletes the blob (object and row) unless a row references it or another upload holds it, under the blob's lock;
 * `releasing` is the deleting upload's own hold, let go in the same step. True when it was deleted.
 */
export async function deleteUnreferencedBlob(
  db: Db,
  store: BlobStore,
  sha256: string,
  releasing?: string,
): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      await lockBlob(tx, sha256);
      if (releasing)
        await tx.delete(uploadHolds).where(and(eq(uploadHolds.uploadId, releasing), eq(uploadHolds.sha256, sha256)));
      // holds count as references: their column is a sha256
      if ((await referencedAmong(tx, [sha256])).has(sha256)) return false;
      await tx.delete(blobs).where(eq(blobs.sha256, sha256));
      await store.delete(sha256);
      return true;
    });
  } catch (err) {
    // a row referencing the blob appeared meanwhile (a writer that does not hold, such as a derivative): it stays
    if (sqlStateOf(err) === '23503') return false;
    throw err;
  }
}
