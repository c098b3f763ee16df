// Upstream updates: a fork's base (the newest upstream version it derives from) against upstream's latest.
import { and, eq, sql } from 'drizzle-orm';
import semver from 'semver';
import type { Executor } from '../db/client.js';
import { designVersions } from './tables.js';
import type { DesignRow } from './tables.js';
import { parentOf } from './lineage.js';
import { parseVersionRef, formatVersionRef } from './version-ref.js';

export interface UpstreamStatus {
  design: string;
  base: string;
  latest: string | null;
  newer: boolean;
  /** "upstream 1.3.0 is newer than your base 1.1.0" when it is */
  message: string | null;
  /** the API compare of base → latest, seen from the fork */
  compare: string | null;
  latestPublishedAt: string | null;
}

async function latestPublished(db: Executor, designId: string) {
  const rows = await db
    .select({ version: designVersions.version, publishedAt: designVersions.publishedAt })
    .from(designVersions)
    .where(
      and(
        eq(designVersions.designId, designId),
        eq(designVersions.state, 'published'),
        sql`${designVersions.prerelease} is null`,
      ),
    );
  return rows.sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

/**
 * The fork's base is the version it was forked from, or a newer upstream version one of its own versions
 * names in `fork-of` (a fork that merged upstream changes moves its base forward).
 */
export async function upstreamStatus(db: Executor, fork: DesignRow): Promise<UpstreamStatus | null> {
  const parent = await parentOf(db, fork);
  if (!parent || parent.design.hidden) return null;
  const up = parent.design;
  let base = parent.version.version;
  const own = await db
    .select({ manifest: designVersions.manifest })
    .from(designVersions)
    .where(eq(designVersions.designId, fork.id));
  for (const v of own) {
    const ref = typeof v.manifest['fork-of'] === 'string' ? parseVersionRef(v.manifest['fork-of']) : undefined;
    if (
      ref &&
      ref.owner === up.ownerHandle &&
      ref.slug === up.slug &&
      semver.valid(ref.version) &&
      semver.gt(ref.version, base)
    )
      base = ref.version;
  }
  const latest = await latestPublished(db, up.id);
  const newer = !!latest && semver.gt(latest.version, base);
  const from = formatVersionRef({ owner: up.ownerHandle, slug: up.slug, version: base });
  return {
    design: `${up.ownerHandle}/${up.slug}`,
    base: from,
    latest: latest ? formatVersionRef({ owner: up.ownerHandle, slug: up.slug, version: latest.version }) : null,
    newer,
    message: newer ? `upstream ${latest.version} is newer than your base ${base}` : null,
    compare: newer
      ? `/api/designs/${fork.ownerHandle}/${fork.slug}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(`${up.ownerHandle}/${up.slug}@${latest.version}`)}`
      : null,
    latestPublishedAt: latest ? latest.publishedAt.toISOString() : null,
  };
}
