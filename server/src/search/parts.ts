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
      -- rank order; a part counts when a published version of a visible design uses it (part_uses holds only those)
      cand as (
        select b.*, row_number() over (order by b.exact desc, b.in_own desc, b.key) as r from best b
        where exists (select 1 from part_uses u where u.part_key = b.key)
        order by r limit ${limit})
    select c.key, c.part_number, c.mpn, c.name, n.total, u.uses
    from cand c
    cross join lateral (select count(*) as total from part_uses n where n.part_key = c.key) n
    -- the first uses in the index's order (owner, design, newest version first, BOM order), as one JSON array a part
    cross join lateral (select json_agg(json_build_array(u.owner_handle, u.slug, u.version, u.version_id, u.position, u.quantity, u.unit)) as uses
      from (select * from part_uses u where u.part_key = c.key
        order by u.owner_handle, u.slug, u.major desc nulls last, u.minor desc nulls last, u.patch desc nulls last, u.ord
        limit ${maxUsesPerPart}) u) u
    order by c.r`);
  const hits = (res.rows ?? res).map((r: any) => {
    const versions = new Map<string, string[]>();
    const usedIn = (r.uses as string[][]).map(([owner, slug, version, versionId, position, quantity, unit]) => {
      versions.set(versionId, [...(versions.get(versionId) ?? []), position]);
      return { owner, slug, version, position, quantity, unit };
    });
    return { partNumber: r.part_number, mpn: r.mpn, name: r.name, usedIn, usedInCount: Number(r.total), substitutes: [], versions };
  });
  await attachSubstitutes(db, hits);
  return { items: hits.map(({ versions: _v, ...hit }: PartHit & { versions: unknown }) => hit) };
}

/** Typical substitutes: what approved, visible build reports of those versions put at those positions (one name however spelt). */
async function attachSubstitutes(db: Executor, hits: (PartHit & { versions: Map<string, string[]> })[]): Promise<void> {
  const versionIds = [...new Set(hits.flatMap((h) => [...h.versions.keys()]))];
  if (!versionIds.length) return;
  // the substituted lines of those versions' approved reports, by version, position and name as spelt the same;
  // most versions have no report, so this is one index probe per version and usually no rows
  const res: any = await db.execute(sql`
    select r.version_id, l->>'position' as position, lower(regexp_replace(trim(l->'substitute'->>'name'), '[[:space:]]+', ' ', 'g')) as same,
      min(l->'substitute'->>'name') as name, count(*)::int as reports
    from build_reports r cross join lateral jsonb_array_elements(r.lines) l
    where r.version_id = any(${`{${versionIds.join(',')}}`}::uuid[]) and r.state = 'approved' and r.hidden = false
      and l->>'status' = 'substituted' and coalesce(l->'substitute'->>'name', '') <> ''
    group by 1, 2, 3`);
  const at = new Map<string, { same: string; name: string; reports: number }[]>();
  for (const r of res.rows ?? res) {
    const k = `${r.version_id} ${r.position}`;
    at.set(k, [...(at.get(k) ?? []), { same: r.same, name: r.name, reports: r.reports }]);
  }
  if (!at.size) return;
  for (const h of hits) {
    const tally = new Map<string, PartSubstitute>();
    for (const [version, positions] of h.versions) for (const p of positions) for (const s of at.get(`${version} ${p}`) ?? []) {
      const t = tally.get(s.same);
      tally.set(s.same, { name: t && t.name < s.name ? t.name : s.name, reports: (t?.reports ?? 0) + s.reports });
    }
    h.substitutes = [...tally.values()].sort((a, b) => b.reports - a.reports || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
