// Parts search (where-used): one part across designs — by part number, manufacturer part number or name — with its
// quantity in each published version and the substitutes approved build reports used for it.
// Matching runs on part_names (one row per distinct part), not on every BOM line, so a word found in a third of
// 500,000 lines is still one pass over a few thousand names; the uses then come from bom_lines.part_key.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import type { BomPart } from '../bom/store.js';

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

interface PartRow {
  part_number: string | null;
  mpn: string | null;
  name: string;
  total: number | string;
  /** owner, slug, version, position, quantity, unit, version id */
  uses: string[][];
}

/** One place a listed part is used: the `part`-th part of the reply, at `position` of version `versionId`'s BOM. */
export interface PartUseAt {
  part: number;
  versionId: string;
  position: string;
}

/**
 * The substitutes approved, visible build reports used at those places, per part and one name however it is spelt,
 * most used first (registered by the builds domain, which sits above search).
 */
export type PartSubstitutesOf = (
  db: Executor,
  uses: readonly PartUseAt[],
) => Promise<{ part: number; name: string; reports: number }[]>;

/** After a BOM is saved: its distinct parts (from the BOM domain) join the searchable part names (kept if known). */
export async function recordPartNames(tx: Executor, parts: readonly BomPart[]): Promise<void> {
  if (parts.length === 0) return;
  await tx.execute(sql`insert into part_names (key, part_number, mpn, name, material, process)
    select key, "partNumber", mpn, name, material, process
    from jsonb_to_recordset(${JSON.stringify(parts)}::jsonb)
      as p(key text, "partNumber" text, mpn text, name text, material text, process text)
    on conflict (key) do nothing`);
}

/**
 * Parts whose text holds every word of the query at the start of one of its words (part number, manufacturer part
 * number, name, material, process; "2 inch" read as "2in" on both sides, "hydraulic" finding "hydraulics"); when
 * none holds them all, those holding the most. An exact part number comes first, then parts holding more of the words
 * outside their material (a square tube of 2in stock is less a "2 inch" part than a 2in cylinder). Parts known only
 * from yanked versions or hidden designs are left out (when every best match is such a part, nothing is found).
 */
export async function findParts(
  db: Executor,
  q: string,
  limit = 20,
  substitutesOf: readonly PartSubstitutesOf[] = [],
): Promise<{ items: PartHit[] }> {
  const needle = q.trim().toLowerCase();
  const useOrder = sql`u.owner_handle, u.slug, u.major desc nulls last, u.minor desc nulls last, u.patch desc nulls last, u.ord`;
  const res = await db.execute(sql`
    with words as (select distinct
          -- the cheap substring test first; the regular expression (the word starts a word) only where it holds
          '%' || replace(replace(replace(w, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' as inside,
          '(^|[[:space:]])' || regexp_replace(w, '([^a-z0-9[:space:]])', '\\\\\\1', 'g') as pattern
        from regexp_split_to_table(part_search_text(${needle}), '[[:space:]]+') w where w <> ''),
      scored as materialized (
        select p.key, p.part_number, p.mpn, p.name, p.own_text, (p.key = ${needle} or lower(p.mpn) = ${needle}) as exact, c.matched
        from part_names p, lateral (select count(*) as matched from words where p.search_text like words.inside and p.search_text ~ words.pattern) c
        where c.matched > 0),
      best as materialized (
        select s.*, (select count(*) from words where s.own_text ~ words.pattern) as in_own
        from scored s where s.matched = (select max(matched) from scored)),
      -- in rank order, as long as the page is not full: a part counts when a published version of a visible design
      -- uses it (part_uses holds only those)
      cand as materialized (
        select b.* from (select best.*, row_number() over (order by exact desc, in_own desc, key) as r from best) b
        where exists (select 1 from part_uses u where u.part_key = b.key)
        order by b.r limit ${limit}),
      -- each part's first uses, in the index's order (owner, design, newest version first, BOM order)
      listed as materialized (
        select c.r, u.* from cand c cross join lateral (
          select u.owner_handle, u.slug, u.version, u.version_id, u.position, u.quantity, u.unit, row_number() over (order by ${useOrder}) as n
          from part_uses u where u.part_key = c.key order by ${useOrder} limit ${maxUsesPerPart}) u),
      uses as (select r, json_agg(json_build_array(owner_handle, slug, version, position, quantity, unit, version_id) order by n) as uses from listed group by r)
    select c.part_number, c.mpn, c.name, (select count(*) from part_uses n where n.part_key = c.key) as total, u.uses
    from cand c join uses u on u.r = c.r
    order by c.r`);
  const rows = rowsOf<PartRow>(res);
  // typical substitutes: what approved build reports of the listed versions put at the listed positions (the builds
  // domain reads its reports; search only says where to look)
  const asked = rows.flatMap((r, part) =>
    r.uses.map(([, , , position, , , versionId]) => ({ part, versionId, position })),
  );
  const substitutes = new Map<number, PartSubstitute[]>();
  for (const source of substitutesOf)
    for (const s of asked.length ? await source(db, asked) : [])
      substitutes.set(s.part, [...(substitutes.get(s.part) ?? []), { name: s.name, reports: s.reports }]);
  return {
    items: rows.map((r, part) => ({
      partNumber: r.part_number,
      mpn: r.mpn,
      name: r.name,
      usedIn: r.uses.map(([owner, slug, version, position, quantity, unit]) => ({
        owner,
        slug,
        version,
        position,
        quantity,
        unit,
      })),
      usedInCount: Number(r.total),
      substitutes: substitutes.get(part) ?? [],
    })),
  };
}
