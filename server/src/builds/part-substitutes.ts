// The substitutes approved build reports used for a BOM line: what parts search shows beside each part it finds.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import type { PartSubstitutesOf } from '../search/parts.js';

/**
 * For each asked place (a version and a BOM position, tagged with the part it stands for), what approved, visible
 * reports of that version substituted there, counted per part under one name however it is spelt (case and spaces),
 * most used first.
 */
export const partSubstitutes: PartSubstitutesOf = async (db: Executor, uses) => {
  const r = await db.execute(sql`
    select l.part, min(x->'substitute'->>'name') as name, count(*)::int as reports
    from jsonb_to_recordset(${JSON.stringify(uses)}::jsonb) as l(part int, "versionId" uuid, position text)
    join build_reports b on b.version_id = l."versionId" and b.state = 'approved' and b.hidden = false
    cross join lateral jsonb_array_elements(b.lines) x
    where x->>'position' = l.position and x->>'status' = 'substituted' and coalesce(x->'substitute'->>'name', '') <> ''
    group by l.part, lower(regexp_replace(trim(x->'substitute'->>'name'), '[[:space:]]+', ' ', 'g'))
    order by l.part, reports desc, name`);
  return rowsOf<{ part: number; name: string; reports: number }>(r);
};
