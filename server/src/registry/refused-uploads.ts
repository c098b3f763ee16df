// The byte allowance of refused uploads: what requests that were refused (bad manifest, quota, not a member…)
// streamed in counts per account and per address over the last hour; past the allowance uploads answer 429, so a
// client cannot make the server hash and write gigabytes that are then thrown away. Kept in the database, so every
// API process sharing it counts against the same allowance.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import { rowsOf } from '../db/rows.js';
import { refusedUploadBytes } from './tables.js';

const hourMs = 3600_000;

export class RefusedUploads {
  /** `bytesPerHour` 0 turns the allowance off. */
  constructor(
    private readonly db: Db,
    private readonly bytesPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a refused request's bytes against each of its keys (`account:<id>`, `address:<ip>`). */
  async record(keys: readonly string[], bytes: number): Promise<void> {
    if (this.bytesPerHour <= 0 || bytes <= 0) return;
    const at = new Date(this.now());
    await this.db.transaction(async (tx) => {
      // what left the hour counts no more: the table stays an hour long
      await tx.delete(refusedUploadBytes).where(lt(refusedUploadBytes.at, new Date(at.getTime() - hourMs)));
      await tx.insert(refusedUploadBytes).values(keys.map((key) => ({ key, bytes, at })));
    });
  }

  /** 429 with Retry-After while any key's refused bytes of the last hour reach the allowance. */
  async check(keys: readonly string[]): Promise<void> {
    if (this.bytesPerHour <= 0) return;
    const since = new Date(this.now() - hourMs);
    for (const key of keys) {
      const recent = and(eq(refusedUploadBytes.key, key), gt(refusedUploadBytes.at, since));
      const [row] = await this.db
        .select({ sent: sql<string | number | null>`sum(${refusedUploadBytes.bytes})` })
        .from(refusedUploadBytes)
        .where(recent);
      const sent = Number(row?.sent ?? 0);
      if (sent < this.bytesPerHour) continue;
      // the allowance comes back as the oldest refusals leave the hour: at the oldest one after which less is left
      const rows = rowsOf<{ at: string | Date }>(
        await this.db.execute(sql`
        select at from (
          select at, id, coalesce(sum(bytes) over (order by at desc, id desc
            rows between unbounded preceding and 1 preceding), 0) as newer
          from refused_upload_bytes where key = ${key} and at > ${since}) as window_sums
        where newer < ${this.bytesPerHour} order by at, id limit 1`),
      );
      const freeAt = rows[0] ? new Date(rows[0].at).getTime() + hourMs : this.now() + hourMs;
      const wait = Math.max(1, Math.ceil((freeAt - this.now()) / 1000));
      throw new AppError(
        'too-many-requests',
        msg('registry.refusedUploads', {
          sent: formatMB(sent),
          allowance: formatMB(this.bytesPerHour),
          minutes: Math.ceil(wait / 60),
        }),
        { headers: { 'retry-after': String(wait) }, extra: { limit: this.bytesPerHour } },
      );
    }
  }
}

const formatMB = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
