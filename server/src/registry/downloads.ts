// Download counts of a version: one row per (version, kind, file path, day) whose count goes up by one per download.
// Nothing about who downloaded is kept — no address, no account, no user agent — only how many, and bots count too.
import type { FastifyReply, FastifyRequest, onSendAsyncHookHandler } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designVersions, versionDownloads } from './tables.js';

export type DownloadKind = 'file' | 'archive' | 'packet';

export interface VersionDownloads {
  files: number;
  archive: number;
  packet: number;
  total: number;
  /** downloads of each file, by path */
  byPath: Map<string, number>;
}

/** Downloads counted in memory and not written yet, by version, kind, path and (UTC) day. */
interface Pending {
  versionId: string;
  kind: DownloadKind;
  path: string;
  day: string;
  count: number;
}

const keyOf = (p: Omit<Pending, 'count'>) => `${p.versionId}\0${p.kind}\0${p.path}\0${p.day}`;

/** How often counted downloads are written: what a crash (not a clean stop) can lose. */
export const DOWNLOAD_FLUSH_MS = 1000;

/**
 * Download counts kept off the reply path: a download adds one in memory, and the counts are written in one
 * statement every `DOWNLOAD_FLUSH_MS` and when the process stops (`close`), so a clean shutdown loses none. A failed
 * write keeps its counts for the next; counts of a version deleted meanwhile are dropped with it.
 */
export class DownloadCounter {
  private pending = new Map<string, Pending>();
  /** the batch being written */
  private inFlight: Pending[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Executor,
    private readonly onError: (err: unknown) => void = () => {},
    everyMs = DOWNLOAD_FLUSH_MS,
  ) {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  /** One more download of a version's file (`path`), archive or packet, on today's (UTC) row. */
  count(versionId: string, kind: DownloadKind, path = ''): void {
    this.add({ versionId, kind, path, day: new Date().toISOString().slice(0, 10), count: 1 });
  }

  /** Whether this process holds counts of the version not written yet (counted, or being written). */
  holds(versionId: string): boolean {
    const of = (p: Pending) => p.versionId === versionId;
    return [...this.pending.values()].some(of) || this.inFlight.some(of);
  }

  /** Writes what was counted so far; resolves once it is written (or kept for the next write, if that failed). */
  flush(): Promise<void> {
    // one write at a time, in order: a flush waits for the one under way, then writes what came since
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Adds `p`'s count to the pending row of its version, kind, path and day. */
  private add(p: Pending): void {
    const key = keyOf(p);
    const held = this.pending.get(key);
    if (held) held.count += p.count;
    else this.pending.set(key, p);
  }

  private async write(): Promise<void> {
    if (!this.pending.size) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.inFlight = batch;
    try {
      const rows = sql.join(
        batch.map((p) => sql`(${p.versionId}::uuid, ${p.kind}, ${p.path}, ${p.day}::date, ${p.count}::int)`),
        sql`, `,
      );
      // counts of a version deleted since they were counted go with it (its rows were dropped by the cascade)
      await this.db.execute(sql`
        insert into ${versionDownloads} (version_id, kind, path, day, count)
        select c.version_id, c.kind, c.path, c.day, c.count
        from (values ${rows}) as c(version_id, kind, path, day, count)
        where exists (select 1 from ${designVersions} v where v.id = c.version_id)
        on conflict (version_id, kind, path, day) do update set count = ${versionDownloads}.count + excluded.count`);
    } catch (err) {
      // kept for the next write
      for (const p of batch) this.add(p);
      this.onError(err);
    } finally {
      this.inFlight = [];
    }
  }
}

/**
 * A version's downloads summed over every day: per kind, in all, and per file. Counts `counter` still holds of the
 * version are written first, so a document read right after a download shows it.
 */
export async function versionDownloadCounts(
  db: Executor,
  versionId: string,
  counter?: DownloadCounter,
): Promise<VersionDownloads> {
  if (counter?.holds(versionId)) await counter.flush();
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
 * A route's onSend hook counting its downloads of `kind` for the request's version (design-route.ts resolved it), in
 * memory: the reply does not wait for the count to be written.
 */
export function countDownloads(
  counter: DownloadCounter,
  kind: DownloadKind,
  pathOf: (req: FastifyRequest) => string = () => '',
): onSendAsyncHookHandler<unknown> {
  return async (req, reply, payload) => {
    if (req.version && isCountedDownload(req, reply)) {
      try {
        counter.count(req.version.id, kind, pathOf(req));
      } catch (err) {
        // a counting failure is logged, never the download's: the file still goes out
        req.log.warn({ err }, 'download not counted');
      }
    }
    return payload;
  };
}
