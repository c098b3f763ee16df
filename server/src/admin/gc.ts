// gc: deletes blobs no row refers to, once older than a grace period (a publish stores blobs before its rows commit).
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { blobs as blobRows } from '../registry/tables.js';
import { referencedBlobs } from './blob-references.js';
import { sqlStateOf } from '../db/sql-state.js';

export interface GcOptions {
  graceHours: number;
  dryRun?: boolean;
  now?: Date;
}

export interface GcReport {
  /** deleted (or, in a dry run, would be) */
  deleted: { sha256: string; size: number }[];
  /** unreferenced but younger than the grace period */
  tooYoung: number;
  referenced: number;
  /** blobs rows with no reference and no object (a store emptied by hand): removed with the others */
  orphanRows: number;
}

export async function collectGarbage(db: Database, store: BlobStore, opts: GcOptions): Promise<GcReport> {
  const cutoff = (opts.now ?? new Date()).getTime() - opts.graceHours * 3600_000;
  const referenced = await referencedBlobs(db);
  const { rows } = await db.raw<{ sha256: string; created_at: string | Date }>('select sha256, created_at from blobs');
  const rowTime = new Map<string, number>(rows.map((r) => [String(r.sha256), new Date(r.created_at).getTime()]));
  const report: GcReport = { deleted: [], tooYoung: 0, referenced: 0, orphanRows: 0 };
  const seen = new Set<string>();
  for await (const sha256 of store.list()) {
    seen.add(sha256);
    if (referenced.has(sha256)) {
      report.referenced++;
      continue;
    }
    const stat = await store.stat(sha256);
    if (!stat) continue;
    // the newer of the row's and the object's time: a re-upload of old bytes refreshes the object
    const born = Math.max(stat.modifiedAt.getTime(), rowTime.get(sha256) ?? 0);
    if (born > cutoff) {
      report.tooYoung++;
      continue;
    }
    report.deleted.push({ sha256, size: stat.size });
  }
  const orphanRows = [...rowTime.entries()]
    .filter(([s, t]) => !seen.has(s) && !referenced.has(s) && t <= cutoff)
    .map(([s]) => s);
  report.orphanRows = orphanRows.length;
  if (opts.dryRun) return report;
  for (const { sha256 } of report.deleted) {
    // the row first: its foreign keys refuse (23503) if a publish referenced the blob meanwhile, and then the object stays
    try {
      await db.db.delete(blobRows).where(inArray(blobRows.sha256, [sha256]));
    } catch (err) {
      if (sqlStateOf(err) === '23503') continue;
      throw err;
    }
    await store.delete(sha256);
  }
  for (const sha256 of orphanRows) {
    await db.db
      .delete(blobRows)
      .where(inArray(blobRows.sha256, [sha256]))
      .catch(() => {});
  }
  return report;
}
