// Download counts of a version: one row per (version, kind, file path, day) whose count goes up by one per download.
// Nothing about who downloaded is kept — no address, no account, no user agent — only how many, and bots count too.
import type { FastifyReply, FastifyRequest, onSendAsyncHookHandler } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { versionDownloads } from './tables.js';

export type DownloadKind = 'file' | 'archive' | 'packet';

export interface VersionDownloads {
  files: number;
  archive: number;
  packet: number;
  total: number;
  /** downloads of each file, by path */
  byPath: Map<string, number>;
}

/** One more download of a version's file (`path`), archive or packet, on today's (UTC) row. */
export async function countDownload(db: Executor, versionId: string, kind: DownloadKind, path = ''): Promise<void> {
  await db
    .insert(versionDownloads)
    .values({ versionId, kind, path, day: sql`(now() at time zone 'utc')::date`, count: 1 })
    .onConflictDoUpdate({
      target: [versionDownloads.versionId, versionDownloads.kind, versionDownloads.path, versionDownloads.day],
      set: { count: sql`${versionDownloads.count} + 1` },
    });
}

/** A version's downloads summed over every day: per kind, in all, and per file. */
export async function versionDownloadCounts(db: Executor, versionId: string): Promise<VersionDownloads> {
  const rows = await db
    .select({
      kind: versionDownloads.kind,
      path: versionDownloads.path,
      n: sql<number>`sum(${versionDownloads.count})::int`,
    })
    .from(versionDownloads)
    .where(eq(versionDownloads.versionId, versionId))
    .groupBy(versionDownloads.kind, versionDownloads.path);
  const counts: VersionDownloads = { files: 0, archive: 0, packet: 0, total: 0, byPath: new Map() };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === 'file') {
      counts.files += n;
      counts.byPath.set(r.path, n);
    } else if (r.kind === 'archive' || r.kind === 'packet') counts[r.kind] += n;
    counts.total += n;
  }
  return counts;
}

/**
 * Whether this answer is a download to count: a GET answered with the whole body, or with a range from byte 0 (a
 * download manager's first request), that a person or a tool asked for rather than a page showing it. HEAD, 304, errors, 202 (a packet still being made) and the later ranges a
 * resumed or parallel download asks for do not count, so one download counts once.
 */
export function isCountedDownload(req: FastifyRequest, reply: FastifyReply): boolean {
  if (req.method !== 'GET') return false;
  // a web page's own reads (the README it shows, a model in the viewer, an image in a README) are views, not
  // downloads: browsers send them in a fetch mode other than `navigate`, which a followed link (a download too) has.
  // Tools (curl, wget) send no mode at all.
  const mode = req.headers['sec-fetch-mode'];
  if (mode && mode !== 'navigate') return false;
  if (reply.statusCode === 200) return true;
  if (reply.statusCode !== 206) return false;
  return /^bytes 0-/.test(String(reply.getHeader('content-range') ?? ''));
}

/**
 * A route's onSend hook counting its downloads of `kind` for the request's version (design-route.ts resolved it).
 * A counting failure is logged, never the download's: the file still goes out.
 */
export function countDownloads(
  db: Executor,
  kind: DownloadKind,
  pathOf: (req: FastifyRequest) => string = () => '',
): onSendAsyncHookHandler<unknown> {
  return async (req, reply, payload) => {
    if (req.version && isCountedDownload(req, reply)) {
      try {
        await countDownload(db, req.version.id, kind, pathOf(req));
      } catch (err) {
        req.log.warn({ err }, 'download not counted');
      }
    }
    return payload;
  };
}
