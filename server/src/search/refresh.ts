// Keeps a design's search row current: its weighted document, trigram text and facet values, computed in SQL
// from the design, its latest published version and that version's BOM lines.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';

/** "CERN-OHL-S-2.0" → "CERN-OHL-S", "CC-BY-SA-4.0" → "CC-BY-SA", "GPL-3.0-or-later" → "GPL". */
export function licenseFamily(expression: string | undefined): string | null {
  if (!expression) return null;
  const first = expression.replace(/[()]/g, ' ').trim().split(/\s+/)[0];
  return (
    first
      .replace(/-\d.*$/, '')
      .replace(/-(only|or-later)$/, '')
      .replace(/\+$/, '') || null
  );
}

export async function refreshDesignSearch(db: Executor, designId: string): Promise<void> {
  const r = await db.execute(
    sql`select licenses->>'hardware' as hw, licenses->>'documentation' as doc from designs where id = ${designId}`,
  );
  const row = rowsOf<{ hw: string | null; doc: string | null }>(r)[0];
  if (!row) return;
  const family = licenseFamily(row.hw ?? row.doc ?? undefined);
  await db.execute(sql`
    insert into design_search (design_id, latest_version_id, document, name_text, processes, license_family, readiness, published_at,
      title, category, owner_id, owner_handle, hidden, created_at, updated_at)
    select d.id, lv.id,
      setweight(to_tsvector('english', d.title), 'A') ||
      setweight(to_tsvector('english', coalesce(d.category, '') || ' ' || coalesce((select string_agg(t, ' ') from jsonb_array_elements_text(d.tags) t), '')), 'B') ||
      setweight(to_tsvector('english', d.summary || ' ' || coalesce(lv.manifest->>'function', '')), 'C') ||
      -- each BOM word once: positions of words repeated over hundreds of lines would only make the document
      -- big enough to leave the row (TOAST), and every search would then fetch and inflate it
      setweight(to_tsvector('english', left(coalesce((select string_agg(distinct w, ' ')
        from bom_lines l, regexp_split_to_table(lower(l.name || ' ' || coalesce(l.material, '') || ' ' || coalesce(l.part_number, '')), '[[:space:]]+') w
        where l.version_id = lv.id and w <> ''), ''), 400000)), 'D'),
      lower(d.title || ' ' || d.slug || ' ' || coalesce(d.category, '') || ' ' || coalesce((select string_agg(t, ' ') from jsonb_array_elements_text(d.tags) t), '')),
      coalesce(array(select distinct l.process from bom_lines l where l.version_id = lv.id and l.process is not null order by 1), '{}'::text[]),
      ${family},
      lv.manifest #>> '{readiness,technology}',
      lv.published_at,
      d.title, d.category, d.owner_id, d.owner_handle, d.hidden or d.origin_blocked, d.created_at, d.updated_at
    from designs d
    left join lateral (select v.id, v.manifest, v.published_at from design_versions v where v.design_id = d.id and v.state = 'published'
      order by (v.prerelease is null) desc, v.major desc, v.minor desc, v.patch desc limit 1) lv on true
    where d.id = ${designId}
    on conflict (design_id) do update set latest_version_id = excluded.latest_version_id, document = excluded.document,
      name_text = excluded.name_text, processes = excluded.processes, license_family = excluded.license_family,
      readiness = excluded.readiness, published_at = excluded.published_at, title = excluded.title, category = excluded.category,
      owner_id = excluded.owner_id, owner_handle = excluded.owner_handle, hidden = excluded.hidden, created_at = excluded.created_at,
      updated_at = excluded.updated_at`);
}

/** Field data changes (approved builds and their countries) come from the builds domain. */
export async function setDesignFieldStats(
  db: Executor,
  designId: string,
  approvedBuilds: number,
  countries: string[],
): Promise<void> {
  await db.execute(
    sql`update design_search set approved_builds = ${approvedBuilds}, countries = ${sql`array[${sql.join(
      countries.map((c) => sql`${c}`),
      sql`, `,
    )}]::text[]`} where design_id = ${designId}`,
  );
}

export async function setDesignCompleteness(db: Executor, designId: string, score: number | null): Promise<void> {
  await db.execute(sql`update design_search set completeness = ${score} where design_id = ${designId}`);
}
