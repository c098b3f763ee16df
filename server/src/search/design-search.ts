// Design search: full text (websearch syntax, weighted), trigram similarity for typos and partial words,
// ranking that also weighs approved builds and recency, highlighted snippets, facet counts, keyset cursors.
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { AppError } from '../errors.js';

export interface DesignSearchQuery {
  q?: string;
  category?: string;
  license?: string;
  tag?: string;
  owner?: string;
  process?: string;
  readiness?: string;
  country?: string;
  hasBuilds?: boolean;
  minCompleteness?: number;
  /** only designs whose needed processes a workshop covers */
  processesWithin?: string[];
  sort?: 'relevance' | 'recent' | 'title' | 'completeness';
  limit: number;
  cursor?: string;
  viewerId?: string;
  viewerIsAdmin?: boolean;
}

export interface DesignHit {
  id: string;
  score: number;
  snippet: string | null;
  approvedBuilds: number;
  completeness: number | null;
  processes: string[];
  licenseFamily: string | null;
  readiness: string | null;
}

export interface Facets {
  category: Record<string, number>;
  license: Record<string, number>;
  process: Record<string, number>;
  readiness: Record<string, number>;
  country: Record<string, number>;
  hasBuilds: { yes: number; no: number };
  completeness: Record<string, number>;
}

function encodeCursor(key: string, id: string) {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/.test(v[1])) return [v[0], v[1]];
  } catch { /* fall through */ }
  throw new AppError('validation', 'The cursor is not one this API gave out', { errors: [{ field: '/cursor', message: 'is invalid' }] });
}

/** The filters shared by the hits and the facet counts. */
function whereClause(q: DesignSearchQuery): SQL {
  const parts: SQL[] = [];
  if (!q.viewerIsAdmin) parts.push(q.viewerId ? sql`(d.hidden = false or d.owner_id = ${q.viewerId})` : sql`d.hidden = false`);
  if (q.q) parts.push(sql`(s.document @@ qq.tsq_any or word_similarity(qq.raw, s.name_text) >= 0.45)`);
  if (q.category) parts.push(sql`d.category = ${q.category}`);
  if (q.owner) parts.push(sql`d.owner_handle = ${q.owner}`);
  if (q.tag) parts.push(sql`d.tags @> ${JSON.stringify([q.tag])}::jsonb`);
  if (q.license) parts.push(sql`(s.license_family = ${q.license} or exists (select 1 from jsonb_each_text(d.licenses) l where l.value ilike ${'%' + q.license.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}))`);
  if (q.process) parts.push(sql`${q.process} = any(s.processes)`);
  if (q.readiness) parts.push(sql`s.readiness = ${q.readiness}`);
  if (q.country) parts.push(sql`${q.country} = any(s.countries)`);
  if (q.hasBuilds !== undefined) parts.push(q.hasBuilds ? sql`s.approved_builds > 0` : sql`s.approved_builds = 0`);
  if (q.minCompleteness !== undefined) parts.push(sql`coalesce(s.completeness, 0) >= ${q.minCompleteness}`);
  if (q.processesWithin) parts.push(sql`s.latest_version_id is not null and s.processes <@ ${sql`array[${sql.join(q.processesWithin.map((p) => sql`${p}`), sql`, `)}]::text[]`}`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** websearch syntax, AND-matched for the strongest rank; any-word matching keeps partial hits in the list. */
function queryCte(q: string | undefined): SQL {
  const raw = (q ?? '').toLowerCase();
  return sql`qq as (select websearch_to_tsquery('english', ${raw}) as tsq_all,
      case when websearch_to_tsquery('english', ${raw})::text ~ '(!|<->)' then websearch_to_tsquery('english', ${raw})
        else coalesce(nullif(replace(websearch_to_tsquery('english', ${raw})::text, ' & ', ' | '), ''), '')::tsquery end as tsq_any,
      ${raw}::text as raw)`;
}

const escapeHtml = (col: SQL) => sql`replace(replace(replace(${col}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

export async function searchDesigns(db: Executor, q: DesignSearchQuery): Promise<{ hits: DesignHit[]; nextCursor: string | null }> {
  const sort = q.sort ?? (q.q ? 'relevance' : 'recent');
  const score = q.q
    ? sql`round((ts_rank_cd(s.document, qq.tsq_any, 32) + case when s.document @@ qq.tsq_all then 1 else 0 end
        + 0.8 * word_similarity(qq.raw, s.name_text) + 0.1 * ln(1 + s.approved_builds)
        + 0.05 / (1 + extract(epoch from (now() - coalesce(s.published_at, d.created_at))) / 31536000))::numeric, 6)`
    : sql`round((0.1 * ln(1 + s.approved_builds) + 0.05 / (1 + extract(epoch from (now() - coalesce(s.published_at, d.created_at))) / 31536000))::numeric, 6)`;
  const key = sort === 'title' ? sql`d.title` : sort === 'recent' ? sql`(extract(epoch from d.updated_at) * 1000)::numeric`
    : sort === 'completeness' ? sql`coalesce(s.completeness, -1)::numeric` : score;
  let after = sql`true`;
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor);
    after = sort === 'title' ? sql`(x.k > ${k} or (x.k = ${k} and x.id > ${id}))`
      : sql`(x.k < ${k}::numeric or (x.k = ${k}::numeric and x.id < ${id}))`;
  }
  const order = sort === 'title' ? sql`x.k asc, x.id asc` : sql`x.k desc, x.id desc`;
  const snippet = q.q ? sql`ts_headline('english', ${escapeHtml(sql`d.title || ' — ' || d.summary`)}, qq.tsq_any, 'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=2')` : sql`null`;
  const res: any = await db.execute(sql`with ${queryCte(q.q)}
    select * from (
      select d.id, ${key} as k, ${score} as score, ${snippet} as snippet, s.approved_builds, s.completeness, s.processes, s.license_family, s.readiness
      from design_search s join designs d on d.id = s.design_id, qq
      where ${whereClause(q)}
    ) x where ${after} order by ${order} limit ${q.limit + 1}`);
  const rows: any[] = res.rows ?? res;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    hits: page.map((r) => ({
      id: r.id, score: Number(r.score), snippet: r.snippet, approvedBuilds: Number(r.approved_builds), completeness: r.completeness,
      processes: r.processes ?? [], licenseFamily: r.license_family, readiness: r.readiness,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(String(last.k), last.id) : null,
  };
}

export async function designFacets(db: Executor, q: DesignSearchQuery): Promise<Facets> {
  const base = sql`from design_search s join designs d on d.id = s.design_id, qq where ${whereClause(q)}`;
  const count = async (expr: SQL): Promise<Record<string, number>> => {
    const r: any = await db.execute(sql`with ${queryCte(q.q)} select v, count(*)::int as n from (select ${expr} as v ${base}) t where v is not null group by v order by n desc, v`);
    return Object.fromEntries((r.rows ?? r).map((x: any) => [x.v, x.n]));
  };
  const builds = await count(sql`case when s.approved_builds > 0 then 'yes' else 'no' end`);
  return {
    category: await count(sql`d.category`),
    license: await count(sql`s.license_family`),
    process: await count(sql`unnest(s.processes)`),
    readiness: await count(sql`s.readiness`),
    country: await count(sql`unnest(s.countries)`),
    hasBuilds: { yes: builds.yes ?? 0, no: builds.no ?? 0 },
    completeness: await count(sql`case when s.completeness is null then null when s.completeness >= 80 then '80-100' when s.completeness >= 50 then '50-79' else '0-49' end`),
  };
}
