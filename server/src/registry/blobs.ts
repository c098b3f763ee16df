// Reads of the blobs table (registry/tables.ts) that other places need: what is stored under a sha256.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { blobs } from './tables.js';

/** The size in bytes of a stored blob; 0 when no blob has that sha256. */
export async function blobSize(db: Executor, sha256: string): Promise<number> {
  const [row] = await db.select({ size: blobs.size }).from(blobs).where(eq(blobs.sha256, sha256)).limit(1);
  return row?.size ?? 0;
}
