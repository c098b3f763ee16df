// reprocess --all: every version through the pipeline again (after a renderer or reader upgrade).
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { designVersions } from '../registry/tables.js';

export async function reprocessAll(db: Db, pipeline: Pipeline): Promise<{ versions: number; jobs: string[] }> {
  const rows = await db.select({ id: designVersions.id }).from(designVersions).orderBy(asc(designVersions.publishedAt));
  const jobs: string[] = [];
  for (const r of rows) jobs.push(await pipeline.reprocessVersion(r.id));
  return { versions: rows.length, jobs };
}
