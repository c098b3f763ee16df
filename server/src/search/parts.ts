// Parts search (where-used): one part across designs — by part number, manufacturer part number or name — with its
// quantity in each published version and the substitutes approved build reports used for it.
// Matching runs on part_names (one row per distinct part), not on every BOM line, so a word found in a third of
// 500,000 lines is still one pass over a few thousand names; the uses then come from bom_lines.part_key.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';

/** Uses listed per part; `usedInCount` says how many there are in all. */
export const maxUsesPerPart = 50;

export interface PartUse {
  owner: string;
  slug: string;
  version: string;
  position: string;
  quantity: string;
  unit: string;
}

export interface PartSubstitute {
  name: string;
  /** approved build reports that used it in place of this part */
  reports: number;
}

export interface PartHit {
  partNumber: string | null;
  mpn: string | null;
  name: string;
  usedIn: PartUse[];
  usedInCount: number;
  substitutes: PartSubstitute[];
}

/** After a BOM is saved: its distinct parts join the searchable part names (kept if already known). */
export async function recordPartNames(tx: Executor, versionId: string): Promise<void> {
  await tx.execute(sql`insert into part_names (key, part_number, mpn, name, material, process)
    select distinct on (part_key) part_key, part_number, mpn, name, material, process
    from bom_lines where version_id = ${versionId} order by part_key, ord
    on conflict (key) do nothing`);
}

/**
 * Parts whose text holds every word of the query at the start of one of its words (part number, manufacturer part
 * number, name, material, process; "2 inch" read as "2in" on both sides, "hydraulic" finding "hydraulics"); when
 * none holds them all, those holding the most. An exact part number comes first, then parts holding more of the words
 * outside their material (a square tube of 2in stock is less a "2 inch" part than a 2in cylinder). Parts known only
 * from yanked versions or hidden designs are left out (when every best match is such a part, nothing is found).
 */
export async function findParts(db: Executor, q: string, limit = 20): Promise<{ items: PartHit[] }> {
  const needle = q.trim().toLowerCase();
  const res: any = await db.execute(sql`
    with words as (select distinct
          -- the cheap substring test first; the regular expression (the word starts a word) only where it holds
          '%' || replace(replace(replace(w, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' as inside,
          '(^|[[:space:]])' || regexp_replace(w, '([^a-z0-9[:space:]])', '\\\\\\1', 'g') as pattern
        from regexp_split_to_table(part_search_text(${needle}), '[[:space:]]+') w where w <> ''),
      scored as materialized (
        select p.key, p.part_number, p.mpn, p.name, p.process, (p.key = ${needle} or lower(p.mpn) = ${needle}) as exact, c.matched
        from part_names p, lateral (select count(*) as matched from words where p.search_text like words.inside and p.search_text ~ words.pattern) c
        where c.matched > 0),
      best as materialized (
        select s.*, (select count(*) from words, part_search_text(concat_ws(' ', s.part_number, s.mpn, s.name, s.process)) own
            where own ~ words.pattern) as in_own
        from scored s where s.matched = (select max(matched) from scored)),
      -- visibility is checked in rank order, only until the page is full
      cand as (
        select b.* from (select * from best order by exact desc, in_own desc, key) b
        where exists (select 1 from bom_lines l
          join design_versions v on v.id = l.version_id and v.state = 'published'
          join designs d on d.id = v.design_id and d.hidden = false
          where l.part_key = b.key)
        limit ${limit})
    , uses as (
      select c.key, d.owner_handle as owner, d.slug, v.version, v.id as version_id, l.position, l.quantity, l.unit,
        row_number() over (partition by c.key order by d.owner_handle, d.slug, v.major desc, v.minor desc, v.patch desc, l.ord) as rn,
        count(*) over (partition by c.key) as total
      from cand c
      join bom_lines l on l.part_key = c.key
      join design_versions v on v.id = l.version_id and v.state = 'published'
      join designs d on d.id = v.design_id and d.hidden = false
    )
    select c.key, c.part_number, c.mpn, c.name, c.exact, u.owner, u.slug, u.version, u.version_id, u.position, u.quantity, u.unit, u.total
    from cand c join uses u on u.key = c.key and u.rn <= ${maxUsesPerPart}
    order by c.exact desc, c.key, u.rn`);
  const groups = new Map<string, PartHit & { versions: Map<string, string[]> }>();
  for (const r of res.rows ?? res) {
    let g = groups.get(r.key);
    if (!g) {
      g = { partNumber: r.part_number, mpn: r.mpn, name: r.name, usedIn: [], usedInCount: Number(r.total), substitutes: [], versions: new Map() };
      groups.set(r.key, g);
    }
    g.usedIn.push({ owner: r.owner, slug: r.slug, version: r.version, position: r.position, quantity: r.quantity, unit: r.unit });
    g.versions.set(r.version_id, [...(g.versions.get(r.version_id) ?? []), r.position]);
  }
  await attachSubstitutes(db, [...groups.values()]);
  return { items: [...groups.values()].map(({ versions: _v, ...hit }) => hit) };
}

/** Typical substitutes: what approved, visible build reports of those versions put at those positions (one name however spelt). */
async function attachSubstitutes(db: Executor, hits: (PartHit & { versions: Map<string, string[]> })[]): Promise<void> {
  const pairs = hits.flatMap((h, i) => [...h.versions].flatMap(([version, positions]) => positions.map((p) => ({ i, version, p }))));
  if (!pairs.length) return;
  // one JSON parameter, not three per use: a page of parts has up to a thousand uses
  const res: any = await db.execute(sql`
    with wanted as (select * from jsonb_to_recordset(${JSON.stringify(pairs.map((x) => ({ i: x.i, version_id: x.version, position: x.p })))}::jsonb)
        as w(i int, version_id uuid, position text))
    select w.i, min(l->'substitute'->>'name') as name, count(*)::int as reports
    from wanted w
    join build_reports r on r.version_id = w.version_id and r.state = 'approved' and r.hidden = false
    cross join lateral jsonb_array_elements(r.lines) l
    where l->>'position' = w.position and l->>'status' = 'substituted' and coalesce(l->'substitute'->>'name', '') <> ''
    group by w.i, lower(regexp_replace(trim(l->'substitute'->>'name'), '[[:space:]]+', ' ', 'g'))
    order by w.i, reports desc, name`);
  for (const r of res.rows ?? res) hits[r.i].substitutes.push({ name: r.name, reports: r.reports });
}
