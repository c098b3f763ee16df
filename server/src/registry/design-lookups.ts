// Reads of the designs table that other domains call or compose into their own queries (search's filters by tag and
// licence text, its hits turned into designs), so the SQL that knows this table stays in the registry.
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { containing } from '../db/like-pattern.js';
import { designs, designVersions, files } from './tables.js';

/** The designs with these ids, in no particular order. */
export async function designsByIds(db: Executor, ids: readonly string[]) {
  return ids.length
    ? db
        .select()
        .from(designs)
        .where(inArray(designs.id, [...ids]))
    : [];
}

/** A condition: the design whose id is `designId` (a column of the caller's query) has this tag. */
export function designHasTag(designId: SQL, tag: string): SQL {
  return sql`exists (select 1 from designs d where d.id = ${designId} and d.tags @> ${JSON.stringify([tag])}::jsonb)`;
}

/** A condition: one of the licences of the design whose id is `designId` contains this text (any case). */
export function designLicenseMentions(designId: SQL, text: string): SQL {
  return sql`exists (select 1 from designs d, jsonb_each_text(d.licenses) l where d.id = ${designId} and l.value ilike ${containing(text)})`;
}

/** A value: "title — summary" of the design whose id is `designId`, the text search highlights its matches in. */
export function designTitleAndSummary(designId: SQL): SQL {
  return sql`(select d.title || ' — ' || d.summary from designs d where d.id = ${designId})`;
}

/**
 * `owner/slug` of the design a design id, a version id or a file id belongs to (what a pipeline job's outcome
 * changed, for the response caches); undefined when there is none.
 */
export async function designNameOf(
  db: Executor,
  of: { designId: string } | { versionId: string } | { fileId: string },
): Promise<string | undefined> {
  const designId =
    'designId' in of
      ? sql`${of.designId}::uuid`
      : 'versionId' in of
        ? sql`(select v.design_id from ${designVersions} v where v.id = ${of.versionId}::uuid)`
        : sql`(select v.design_id from ${files} f join ${designVersions} v on v.id = f.version_id where f.id = ${of.fileId}::uuid)`;
  const rows = await db
    .select({ owner: designs.ownerHandle, slug: designs.slug })
    .from(designs)
    .where(sql`${designs.id} = ${designId}`)
    .limit(1);
  return rows[0] ? `${rows[0].owner}/${rows[0].slug}` : undefined;
}
