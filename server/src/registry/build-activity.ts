// What the registry asks of the builds domain (approved build counts, recent reports) without reading its tables:
// the builds domain registers a source into hooks.buildActivity; with none registered every count is 0.
import type { Executor } from '../db/client.js';

export interface BuildReportNotice {
  id: string;
  designId: string;
  version: string;
  outcome: string;
  at: Date;
}

export interface BuildActivitySource {
  /** approved build reports per design version id */
  approvedBuildCounts(db: Executor, versionIds: string[]): Promise<Map<string, number>>;
  /** the latest build reports on these designs, newest first */
  recentBuildReports(db: Executor, designIds: string[], limit: number): Promise<BuildReportNotice[]>;
}

export async function approvedBuildCounts(
  db: Executor,
  sources: readonly BuildActivitySource[],
  versionIds: string[],
): Promise<Map<string, number>> {
  const total = new Map<string, number>();
  if (!versionIds.length) return total;
  for (const s of sources) {
    for (const [id, n] of await s.approvedBuildCounts(db, versionIds)) total.set(id, (total.get(id) ?? 0) + n);
  }
  return total;
}

export async function recentBuildReports(
  db: Executor,
  sources: readonly BuildActivitySource[],
  designIds: string[],
  limit: number,
): Promise<BuildReportNotice[]> {
  if (!designIds.length) return [];
  const all = (await Promise.all(sources.map((s) => s.recentBuildReports(db, designIds, limit)))).flat();
  return all.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
