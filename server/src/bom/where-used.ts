// Where-used: find parts by part number, manufacturer part number or name across published versions.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';

export interface PartUse {
  owner: string;
  slug: string;
  version: string;
  position: string;
  quantity: string;
  unit: string;
}

export interface PartHit {
  partNumber: string | null;
  name: string;
  usedIn: PartUse[];
}

export async function findParts(db: Executor, q: string, limit = 20): Promise<{ items: PartHit[] }> {
  const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const res: any = await db.execute(sql`
    select l.part_number, l.name, l.position, l.quantity, l.unit, d.owner_handle as owner, d.slug, v.version
    from bom_lines l
    join design_versions v on v.id = l.version_id
    join designs d on d.id = v.design_id
    where d.hidden = false and v.state = 'published'
      and (l.part_number ilike ${like} or l.mpn ilike ${like} or l.name ilike ${like})
    order by (lower(l.part_number) = lower(${q}) or lower(l.mpn) = lower(${q})) desc, l.part_number nulls last, l.name, d.owner_handle, d.slug, v.major desc, v.minor desc, v.patch desc
    limit 2000`);
  const groups = new Map<string, PartHit>();
  for (const r of res.rows ?? res) {
    // one part across designs: the same part number, else the same name
    const key = r.part_number ? `pn:${String(r.part_number).toLowerCase()}` : `name:${String(r.name).toLowerCase()}`;
    let g = groups.get(key);
    if (!g) {
      if (groups.size >= limit) continue;
      g = { partNumber: r.part_number ?? null, name: r.name, usedIn: [] };
      groups.set(key, g);
    }
    g.usedIn.push({ owner: r.owner, slug: r.slug, version: r.version, position: r.position, quantity: r.quantity, unit: r.unit });
  }
  return { items: [...groups.values()] };
}
