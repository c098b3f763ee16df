// What search indexes of a design, read from the registry's tables: its own fields and its latest published
// version's (search keeps its rows through the designChanged hook and never reads these tables itself).
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';

export interface DesignSearchSource {
  title: string;
  slug: string;
  category: string | null;
  /** the tags, space-separated ('' without any) */
  tags: string;
  summary: string;
  hardwareLicense: string | null;
  documentationLicense: string | null;
  ownerId: string;
  ownerHandle: string;
  hidden: boolean;
  /** timestamps as PostgreSQL writes them, so they go back in unchanged whichever driver read them */
  createdAt: string;
  updatedAt: string;
  /** the latest published version (a stable one before any prerelease), or nulls when none is published */
  latestVersionId: string | null;
  /** its manifest's `function` and `readiness.technology` */
  versionFunction: string | null;
  readiness: string | null;
  publishedAt: string | null;
  /** that version's README and its translations, every language ('' without any), cut to what a tsvector holds */
  instructions: string;
}

export async function designSearchSource(db: Executor, designId: string): Promise<DesignSearchSource | undefined> {
  const r = await db.execute(sql`
    select d.title, d.slug, d.category,
      coalesce((select string_agg(t, ' ') from jsonb_array_elements_text(d.tags) t), '') as tags,
      d.summary, d.licenses->>'hardware' as "hardwareLicense", d.licenses->>'documentation' as "documentationLicense",
      d.owner_id as "ownerId", d.owner_handle as "ownerHandle", (d.hidden or d.origin_blocked) as hidden,
      d.created_at::text as "createdAt", d.updated_at::text as "updatedAt",
      lv.id as "latestVersionId", lv.manifest->>'function' as "versionFunction",
      lv.manifest #>> '{readiness,technology}' as readiness, lv.published_at::text as "publishedAt",
      coalesce((select left(string_agg(vt.text, ' '), 400000) from version_texts vt where vt.version_id = lv.id), '') as instructions
    from designs d
    left join lateral (select v.id, v.manifest, v.published_at from design_versions v where v.design_id = d.id and v.state = 'published'
      order by (v.prerelease is null) desc, v.major desc, v.minor desc, v.patch desc limit 1) lv on true
    where d.id = ${designId}`);
  return rowsOf<DesignSearchSource>(r)[0];
}
