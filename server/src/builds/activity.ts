// What other domains learn from the field without reading build tables: approved counts per version,
// recent reports per design (lineage, feed), a design's approved builds and their countries (search), and the
// photos of a version's approved builds (documentation completeness).
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { BuildActivitySource, BuildReportNotice } from '../registry/build-activity.js';
import { designVersions } from '../registry/tables.js';
import { buildPhotos, buildReports } from './tables.js';

export const buildActivitySource: BuildActivitySource = {
  async approvedBuildCounts(db, versionIds) {
    const rows = await db
      .select({ versionId: buildReports.versionId, n: sql<number>`count(*)::int` })
      .from(buildReports)
      .where(and(inArray(buildReports.versionId, versionIds), eq(buildReports.state, 'approved')))
      .groupBy(buildReports.versionId);
    return new Map(rows.map((r) => [r.versionId, Number(r.n)]));
  },
  async recentBuildReports(db, designIds, limit): Promise<BuildReportNotice[]> {
    const rows = await db
      .select({
        id: buildReports.id,
        designId: buildReports.designId,
        version: designVersions.version,
        outcome: buildReports.outcome,
        at: buildReports.createdAt,
      })
      .from(buildReports)
      .innerJoin(designVersions, eq(designVersions.id, buildReports.versionId))
      .where(inArray(buildReports.designId, designIds))
      .orderBy(desc(buildReports.createdAt))
      .limit(limit);
    return rows;
  },
};

/** Approved builds of a design (all versions) and the countries they were built in. */
export async function approvedBuildStats(
  db: Executor,
  designId: string,
): Promise<{ approved: number; countries: string[] }> {
  const rows = await db
    .select({ country: buildReports.country, n: sql<number>`count(*)::int` })
    .from(buildReports)
    .where(and(eq(buildReports.designId, designId), eq(buildReports.state, 'approved'), eq(buildReports.hidden, false)))
    .groupBy(buildReports.country);
  return { approved: rows.reduce((s, r) => s + Number(r.n), 0), countries: rows.map((r) => r.country).sort() };
}

/** Photos of a version's approved build reports, failed ones left out: the field's pictures of a design. */
export async function approvedBuildPhotoCount(db: Executor, versionId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(buildPhotos)
    .innerJoin(buildReports, eq(buildReports.id, buildPhotos.reportId))
    .where(
      and(eq(buildReports.versionId, versionId), eq(buildReports.state, 'approved'), ne(buildPhotos.state, 'failed')),
    );
  return Number(row?.n ?? 0);
}
