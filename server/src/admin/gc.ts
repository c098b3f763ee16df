// gc: deletes blobs no row refers to, once older than a grace period (a publish stores blobs before its rows commit),
// and temporary uploads a killed process left behind.
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { blobs as blobRows } from '../registry/tables.js';
import { referencedBlobs } from '../db/blob-references.js';
import { expirePackets } from '../pipeline/jobs/packet-pdf.js';
import { clearStaleHolds, deleteUnreferencedBlob } from '../registry/blob-holds.js';

export interface GcOptions {
  graceHours: number;
  /** build packets not asked for in this many days are forgotten first, so their blobs go too */
  packetKeepDays?: number;
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
  /** temporary uploads (tmp/) older than the grace period: a process killed mid-upload left them */
  abandonedUploads: { count: number; bytes: number };
  /** build packets forgotten (not asked for within packetKeepDays) */
  expiredPackets: number;
}

export async function collectGarbage(db: Database, store: BlobStore, opts: GcOptions): Promise<GcReport> {
  const now = (opts.now ?? new Date()).getTime();
  const cutoff = now - opts.graceHours * 3600_000;
  const expiredPackets =
    opts.packetKeepDays === undefined
      ? 0
      : await expirePackets(db.db, new Date(now - opts.packetKeepDays * 86_400_000), opts.dryRun);
  // holds a killed process left keep nothing alive past the grace period (a live upload holds for seconds)
  await clearStaleHolds(db.db, new Date(cutoff), opts.dryRun);
  const referenced = await referencedBlobs(db);
  const { rows } = await db.raw<{ sha256: string; created_at: string | Date }>('select sha256, created_at from blobs');
  const rowTime = new Map<string, number>(rows.map((r) => [String(r.sha256), new Date(r.created_at).getTime()]));
  const report: GcReport = {
    deleted: [],
    tooYoung: 0,
    referenced: 0,
    orphanRows: 0,
    expiredPackets,
    abandonedUploads: await store.clearAbandonedUploads(new Date(cutoff), opts.dryRun),
  };
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
  // each under its lock, references and holds looked at again: an upload in another process may have taken it since
  const deleted = [];
  for (const blob of report.deleted) if (await deleteUnreferencedBlob(db.db, store, blob.sha256)) deleted.push(blob);
  report.deleted = deleted;
  for (const sha256 of orphanRows) {
    await db.db
      .delete(blobRows)
      .where(inArray(blobRows.sha256, [sha256]))
      .catch(() => {});
  }
  return report;
}
