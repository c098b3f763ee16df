// What an account stores and may still store: the storage quota and the hourly publish rate. Each domain that keeps
// blobs for an account names them itself (a `StoredBlobsOf` query over its own tables, registered in runtime.ts);
// this file only adds them up, so no domain reads another's tables.
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import type { Config } from '../config.js';
import { AppError, msg } from '../errors.js';
import { blobs, designVersions, files } from './tables.js';

/**
 * A domain's share of an account's storage: a query selecting one column, `sha256`, of the blobs it keeps for the
 * account. Blobs named by several shares (a photo that is also a published file) count once.
 */
export type StoredBlobsOf = (userId: string) => SQL;

/** The registry's share: the files and BOMs of every version the account published. */
export const publishedBlobsOf: StoredBlobsOf = (userId) =>
  sql`select f.sha256 from ${files} f join ${designVersions} v on v.id = f.version_id where v.created_by = ${userId}
      union select v.bom_blob from ${designVersions} v where v.created_by = ${userId} and v.bom_blob is not null`;

const storedBlobsQuery = (shares: readonly StoredBlobsOf[], userId: string) =>
  sql.join(
    shares.map((share) => share(userId)),
    sql` union `,
  );

/** Bytes an account stores: the distinct blobs every domain keeps for it. */
export async function storedBytesOf(db: Executor, shares: readonly StoredBlobsOf[], userId: string): Promise<number> {
  const res = await db.execute(sql`select coalesce(sum(b.size), 0)::bigint as n from ${blobs} b
    where b.sha256 in (${storedBlobsQuery(shares, userId)})`);
  return Number(rowsOf<{ n: string | number }>(res)[0].n);
}

/** Which of these blobs the account already stores (sending them again costs no quota). */
export async function blobsStoredBy(
  db: Executor,
  shares: readonly StoredBlobsOf[],
  userId: string,
  sha256s: readonly string[],
): Promise<Set<string>> {
  if (!sha256s.length) return new Set();
  const res = await db.execute(sql`select s.sha256 from (${storedBlobsQuery(shares, userId)}) s
    where s.sha256 in (${sql.join(
      sha256s.map((s) => sql`${s}`),
      sql`, `,
    )})`);
  return new Set(rowsOf<{ sha256: string }>(res).map((r) => r.sha256));
}

export function quotaExceeded(quota: number): AppError {
  return new AppError('too-large', msg('quota.exceeded', { quota: formatQuota(quota) }), {
    extra: { limit: quota, quota: true },
  });
}

const formatQuota = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** Bytes the account may still store (413 problem+json when none are left). */
export async function storageLeft(
  db: Executor,
  shares: readonly StoredBlobsOf[],
  userId: string,
  config: Config,
): Promise<number> {
  const left = config.quotaBytes - (await storedBytesOf(db, shares, userId));
  if (left <= 0) throw quotaExceeded(config.quotaBytes);
  return left;
}

/**
 * 429 with Retry-After when publishing `count` more versions would pass the hourly publish rate (an import counts
 * each design it creates).
 */
export async function checkPublishRate(db: Executor, userId: string, config: Config, count = 1): Promise<void> {
  if (config.uploadsPerHour <= 0) return;
  const res = await db.execute(sql`select count(*)::int as n, min(published_at) as oldest from ${designVersions}
    where created_by = ${userId} and published_at > now() - interval '1 hour'`);
  const { n, oldest } = rowsOf<{ n: number; oldest: string | Date | null }>(res)[0];
  if (n + count <= config.uploadsPerHour) return;
  // with nothing published this hour the request alone is too large: waiting does not help
  const wait = oldest ? Math.max(1, Math.ceil((new Date(oldest).getTime() + 3600_000 - Date.now()) / 1000)) : 3600;
  const detail =
    count > 1
      ? msg('quota.importRate', { count, n, limit: config.uploadsPerHour })
      : msg('quota.publishRate', { n, limit: config.uploadsPerHour, minutes: Math.ceil(wait / 60) });
  throw new AppError('too-many-requests', detail, {
    headers: { 'retry-after': String(wait) },
    extra: { limit: config.uploadsPerHour },
  });
}
