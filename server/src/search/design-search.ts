// Design search: full text (websearch syntax, weighted), trigram similarity for typos and partial words,
// ranking that also weighs approved builds and recency, highlighted snippets, facet counts, keyset cursors.
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { decodeCursor, encodeCursor } from '../registry/cursor.js';
import { designHasTag, designLicenseMentions, designTitleAndSummary } from '../registry/design-lookups.js';

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
  /** copper layers of the latest version's boards */
  boardLayers?: number;
  /** only designs whose needed processes a workshop covers */
  processesWithin?: string[];
  sort?: 'relevance' | 'recent' | 'title' | 'completeness' | 'stars';
  limit: number;
  cursor?: string;
  viewerId?: string;
  viewerIsAdmin?: boolean;
  /** designs whose home is this instance (see instanceOf) */
  instance?: string;
  /** this instance's name: the home of local designs in the instance facet and filter */
  localInstance?: string;
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
  boardLayers: Record<string, number>;
  instance: Record<string, number>;
}

/** A design's home instance from its owner's handle: `ana@a.example` lives at a.example, a local handle here. */
const instanceOf = (handle: SQL, local: string) =>
  sql`case when position('@' in ${handle}) > 0 then split_part(${handle}, '@', 2) else ${local}::text end`;

/** The filters shared by the hits and the facet counts. */
function whereClause(q: DesignSearchQuery): SQL {
  const parts: SQL[] = [];
  if (!q.viewerIsAdmin)
    parts.push(q.viewerId ? sql`(s.hidden = false or s.owner_id = ${q.viewerId})` : sql`s.hidden = false`);
  if (q.category) parts.push(sql`s.category = ${q.category}`);
  if (q.owner) parts.push(sql`s.owner_handle = ${q.owner}`);
  if (q.instance) parts.push(sql`${instanceOf(sql`s.owner_handle`, q.localInstance ?? '')} = ${q.instance}`);
  // tags and licence texts are not copied into design_search: these rarer filters ask the registry of the design
  if (q.tag) parts.push(designHasTag(sql`s.design_id`, q.tag));
  if (q.license)
    parts.push(sql`(s.license_family = ${q.license} or ${designLicenseMentions(sql`s.design_id`, q.license)})`);
  if (q.process) parts.push(sql`${q.process} = any(s.processes)`);
  if (q.readiness) parts.push(sql`s.readiness = ${q.readiness}`);
  if (q.country) parts.push(sql`${q.country} = any(s.countries)`);
  if (q.boardLayers !== undefined) parts.push(sql`s.board_layers = ${q.boardLayers}`);
  if (q.hasBuilds !== undefined) parts.push(q.hasBuilds ? sql`s.approved_builds > 0` : sql`s.approved_builds = 0`);
  if (q.minCompleteness !== undefined) parts.push(sql`coalesce(s.completeness, 0) >= ${q.minCompleteness}`);
  if (q.processesWithin)
    parts.push(
      sql`s.latest_version_id is not null and s.processes <@ ${sql`array[${sql.join(
        q.processesWithin.map((p) => sql`${p}`),
        sql`, `,
      )}]::text[]`}`,
    );
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** websearch syntax: all words (tsq_all), and any of them (tsq_any) when no design has them all. */
function queryCte(q: string | undefined): SQL {
  const raw = (q ?? '').toLowerCase();
  // not materialized: inlined, its values fold into constants the indexes can use
  return sql`qq as not materialized (select websearch_to_tsquery('english', ${raw}) as tsq_all,
      case when websearch_to_tsquery('english', ${raw})::text ~ '(!|<->)' then websearch_to_tsquery('english', ${raw})
        else coalesce(nullif(replace(websearch_to_tsquery('english', ${raw})::text, ' & ', ' | '), ''), '')::tsquery end as tsq_any,
      ${raw}::text as raw)`;
}

const escapeHtml = (col: SQL) => sql`replace(replace(replace(${col}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * The facet counts of the matching designs (m) as (facet, value, count) rows: the single-valued facets in one pass
 * (grouping sets); the array facets grouped by whole array first — designs of a kind share their process list —
 * and only the distinct arrays unnested.
 */
const facetRows = (localInstance: string) => sql`
      select case when grouping(category) = 0 then 'category' when grouping(license_family) = 0 then 'license'
          when grouping(readiness) = 0 then 'readiness' when grouping(has_builds) = 0 then 'hasBuilds'
          when grouping(board_layers) = 0 then 'boardLayers' else 'completeness' end as f,
        coalesce(category, license_family, readiness, has_builds, board_layers, completeness_band) as v, count(*)::int as n
      from (select category, license_family, readiness, case when approved_builds > 0 then 'yes' else 'no' end as has_builds,
          board_layers::text as board_layers,
          case when completeness is null then null when completeness >= 80 then '80-100' when completeness >= 50 then '50-79' else '0-49' end as completeness_band
        from m) x
      group by grouping sets ((category), (license_family), (readiness), (has_builds), (board_layers), (completeness_band))
      union all select 'process', p, sum(n)::int from (select processes, count(*) as n from m group by processes) g, unnest(g.processes) p group by p
      union all select 'country', c, sum(n)::int from (select countries, count(*) as n from m group by countries) g, unnest(g.countries) c group by c
      union all select 'instance', ${instanceOf(sql`owner_handle`, localInstance)}, count(*)::int from m group by 2`;

/** The search row's columns a match carries into scoring, sorting and facets (the filters are applied where it is found). */
const matchColumns = sql`design_id, processes, license_family, readiness, countries, approved_builds, completeness, board_layers, published_at,
  title, category, owner_handle, created_at, updated_at, stars`;

/**
 * One statement: the matching designs are found and scored once (m), the page is cut from them, and the facet
 * counts — when asked — come from the same set. A row with a null id carries the facets when the page is empty.
 */
export async function searchDesigns(
  db: Executor,
  q: DesignSearchQuery,
  opts: { facets?: boolean } = {},
): Promise<{ hits: DesignHit[]; nextCursor: string | null; facets?: Facets }> {
  const sort = q.sort ?? (q.q ? 'relevance' : 'recent');
  // float8 all the way, rounded to 6 decimals so that the recency term's drift with now() between one page's request
  // and the next does not reorder designs; a cursor carries the score as the shortest text that reads back as the
  // same float8, so it compares exactly (rounding every match's score to a numeric cost more than ranking it)
  const prior = sql`0.1 * ln(1 + s.approved_builds::float8) + 0.05 / (1 + date_part('epoch', now() - coalesce(s.published_at, s.created_at)) / 31536000)`;
  const score = q.q
    ? sql`round((s.rank + case when s.all_words then 1 else 0 end + 0.8 * coalesce(tw.ws, 0) + ${prior}) * 1e6) / 1e6`
    : sql`round((${prior}) * 1e6) / 1e6`;
  // the sort key from m's columns: the score is computed once per design, not again as the key
  const key =
    sort === 'title'
      ? sql`y.title`
      : sort === 'recent'
        ? sql`(extract(epoch from y.updated_at) * 1000)::numeric`
        : sort === 'completeness'
          ? sql`coalesce(y.completeness, -1)::numeric`
          : sort === 'stars'
            ? sql`y.stars::numeric`
            : sql`y.score`;
  let after = sql`true`;
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor, sort === 'title' ? 'text' : 'number');
    after =
      sort === 'title'
        ? sql`(x.k > ${k} or (x.k = ${k} and x.id > ${id}))`
        : sort === 'relevance'
          ? sql`(x.k < ${k}::float8 or (x.k = ${k}::float8 and x.id < ${id}))`
          : sql`(x.k < ${k}::numeric or (x.k = ${k}::numeric and x.id < ${id}))`;
  }
  const order = sort === 'title' ? sql`x.k asc, x.id asc` : sql`x.k desc, x.id desc`;
  // highlighting is the costliest step per row: only for the page's rows, after the limit
  const snippet = q.q
    ? sql`ts_headline('english', ${escapeHtml(designTitleAndSummary(sql`x.id`))}, qq.tsq_any, 'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=2')`
    : sql`null`;
  const facets = opts.facets
    ? sql`(select jsonb_agg(jsonb_build_array(f, v, n) order by f, n desc, v) from (${facetRows(q.localInstance ?? '')}) t where v is not null)`
    : sql`null`;
  // The matches (found), each design's search row read once, through the index that found it:
  // - text: every word, as websearch_to_tsquery means it; only when no design has them all, any of them (so
  //   "brick grinder" still finds brick machines, while "steel plate" is not every design made of steel);
  // - names within typo distance (tw): `%>` is word_similarity ≥ pg_trgm.word_similarity_threshold (0.45, set per
  //   session in db/client.ts), which the trigram index answers without computing every design name's similarity;
  //   the rows of those not already found by their words are fetched by key.
  // ts_rank weighs title A, tags and category B, summary and function C, BOM words D; /32 maps it into [0, 1).
  // A design with every word has each of its BOM words once, about the same rank for all: those matches, and the
  // typo matches ranked beside them, are ranked on the head (A–C) alone, a tenth of the document. When only some
  // words match, how many of them its BOM has is what tells designs apart: the whole document.
  // The filters apply where a design is found: "every word" means every word among the designs a filter leaves (no
  // energy design has them all: the energy designs with any of them), and only the rows kept travel on.
  const where = whereClause(q);
  const matches = q.q
    ? sql`ta as materialized (select ${matchColumns}, true as all_words, ts_rank(s.head, qq.tsq_any, 32)::float8 as rank
          from design_search s, qq where s.document @@ qq.tsq_all and ${where}),
      tw as materialized (select design_id, word_similarity(qq.raw, name_text)::float8 as ws from design_search s, qq where name_text %> qq.raw and ${where}),
      found as (select * from ta
        union all select ${matchColumns}, false, ts_rank(s.document, qq.tsq_any, 32)::float8 from design_search s, qq
          where not exists (select 1 from ta) and s.document @@ qq.tsq_any and ${where}
        union all select ${matchColumns}, false, ts_rank(s.head, qq.tsq_any, 32)::float8 from design_search s, qq
          where s.design_id in (select design_id from tw) and not exists (select 1 from ta where ta.design_id = s.design_id)
            and (exists (select 1 from ta) or not s.document @@ qq.tsq_any)),`
    : sql``;
  const from = q.q ? sql`found s left join tw on tw.design_id = s.design_id, qq` : sql`design_search s, qq`;
  const res = await db.execute(sql`with ${queryCte(q.q)}, ${matches}
    m as materialized (select y.*, ${key} as k from (
      select s.design_id as id, s.title, s.updated_at, ${score} as score, s.category, s.approved_builds, s.completeness, s.processes,
        s.license_family, s.readiness, s.countries, s.owner_handle, s.board_layers, s.stars
      from ${from}
      where ${q.q ? sql`true` : where}) y),
    page as (select * from m x where ${after} order by ${order} limit ${q.limit + 1})
    select p.*, ${facets} as facets
    from (select 1) one left join lateral (
      select x.id, x.k, x.score, x.approved_builds, x.completeness, x.processes, x.license_family, x.readiness, ${snippet} as snippet
      from page x, qq order by ${order}) p on true`);
  const all = rowsOf<SearchRow>(res);
  const rows = all.filter((r): r is SearchHitRow => r.id !== null);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const first = all[0];
  return {
    hits: page.map((r) => ({
      id: r.id,
      score: Number(r.score),
      snippet: r.snippet,
      approvedBuilds: Number(r.approved_builds),
      completeness: r.completeness,
      processes: r.processes ?? [],
      licenseFamily: r.license_family,
      readiness: r.readiness,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(String(last.k), last.id) : null,
    ...(opts.facets ? { facets: facetCounts(first?.facets ?? []) } : {}),
  };
}

/** One row of the search query: a hit, or (on an empty page) only the facets, with every hit column null. */
interface SearchHitRow {
  id: string;
  k: unknown;
  score: number | string;
  snippet: string;
  approved_builds: number | string;
  completeness: number;
  processes: string[] | null;
  license_family: string;
  readiness: string;
  facets: [string, string, number][] | null;
}
type SearchRow = SearchHitRow | (Partial<Record<keyof SearchHitRow, null>> & Pick<SearchHitRow, 'facets'>);

function facetCounts(rows: [string, string, number][]): Facets {
  const out: Record<string, Record<string, number>> = {
    category: {},
    license: {},
    process: {},
    readiness: {},
    country: {},
    hasBuilds: {},
    completeness: {},
    boardLayers: {},
    instance: {},
  };
  for (const [f, v, n] of rows) out[f][v] = n;
  return { ...out, hasBuilds: { yes: out.hasBuilds.yes ?? 0, no: out.hasBuilds.no ?? 0 } } as Facets;
}
