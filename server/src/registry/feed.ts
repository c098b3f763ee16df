// The caller's feed: upstream versions newer than their forks' bases, new forks of their designs, proposals
// to them and build reports on them (when the builds domain provides them), newest first.
import { and, desc, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { designs, designVersions, proposals } from './tables.js';
import { upstreamStatus } from './upstream.js';
import { recentBuildReports, type BuildActivitySource } from './build-activity.js';

export const feedLimit = 50;

export type FeedItem =
  | {
      type: 'upstream-update';
      at: string;
      design: string;
      upstream: string;
      base: string;
      latest: string;
      message: string;
      compare: string;
    }
  | { type: 'fork'; at: string; design: string; fork: string; from: string; by: string }
  | { type: 'proposal'; at: string; design: string; proposal: string; from: string; by: string; state: string }
  | { type: 'build-report'; at: string; design: string; version: string; report: string; outcome: string };

export async function feedFor(db: Executor, caller: Caller, builds: readonly BuildActivitySource[]) {
  const mine = await db.select().from(designs).where(eq(designs.ownerId, caller.id));
  const items: FeedItem[] = [];
  const name = (d: { ownerHandle: string; slug: string }) => `${d.ownerHandle}/${d.slug}`;

  for (const d of mine.filter((x) => x.forkedFromVersionId)) {
    const s = await upstreamStatus(db, d);
    if (s?.newer && s.latest && s.message && s.compare) {
      items.push({
        type: 'upstream-update',
        at: s.latestPublishedAt!,
        design: name(d),
        upstream: s.design,
        base: s.base,
        latest: s.latest,
        message: s.message,
        compare: s.compare,
      });
    }
  }
  const ids = mine.map((d) => d.id);
  if (ids.length) {
    const forks = await db
      .select({ fork: designs, upstreamId: designVersions.designId, version: designVersions.version, by: users.handle })
      .from(designs)
      .innerJoin(designVersions, eq(designVersions.id, designs.forkedFromVersionId))
      .innerJoin(users, eq(users.id, designs.ownerId))
      .where(
        and(
          isNotNull(designs.forkedFromVersionId),
          inArray(designVersions.designId, ids),
          ne(designs.ownerId, caller.id),
          eq(designs.hidden, false),
        ),
      )
      .orderBy(desc(designs.createdAt))
      .limit(feedLimit);
    for (const f of forks) {
      const up = mine.find((d) => d.id === f.upstreamId)!;
      items.push({
        type: 'fork',
        at: f.fork.createdAt.toISOString(),
        design: name(up),
        fork: name(f.fork),
        from: `${name(up)}@${f.version}`,
        by: f.by,
      });
    }
    const props = await db
      .select({
        p: proposals,
        by: users.handle,
        fromOwner: designs.ownerHandle,
        fromSlug: designs.slug,
        fromVersion: designVersions.version,
      })
      .from(proposals)
      .innerJoin(users, eq(users.id, proposals.authorId))
      .innerJoin(designVersions, eq(designVersions.id, proposals.fromVersionId))
      .innerJoin(designs, eq(designs.id, designVersions.designId))
      .where(inArray(proposals.designId, ids))
      .orderBy(desc(proposals.createdAt))
      .limit(feedLimit);
    for (const r of props) {
      const up = mine.find((d) => d.id === r.p.designId)!;
      items.push({
        type: 'proposal',
        at: r.p.createdAt.toISOString(),
        design: name(up),
        proposal: `/api/designs/${name(up)}/proposals/${r.p.id}`,
        from: `${r.fromOwner}/${r.fromSlug}@${r.fromVersion}`,
        by: r.by,
        state: r.p.state,
      });
    }
    for (const b of await recentBuildReports(db, builds, ids, feedLimit)) {
      const d = mine.find((x) => x.id === b.designId);
      if (d)
        items.push({
          type: 'build-report',
          at: b.at.toISOString(),
          design: name(d),
          version: b.version,
          report: `/api/builds/${b.id}`,
          outcome: b.outcome,
        });
    }
  }
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, feedLimit), nextCursor: null };
}
