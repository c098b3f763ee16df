// Keeps a design's search row current: its weighted document, trigram text and facet values, computed in SQL
// from what the registry says of the design and its latest published version, and the BOM of that version's lines.
// Its instructions (README and translations) are in the document too, stemmed as English like every query: a
// Spanish word is then the same lexeme in the document and in a Spanish query, so a Spanish README is found.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designSearchSource } from '../registry/search-source.js';
import { bomSearchText } from '../bom/store.js';
import { copperLayersOfVersion } from '../electronics/boards.js';

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
  const d = await designSearchSource(db, designId);
  if (!d) return;
  const bom = d.latestVersionId ? await bomSearchText(db, d.latestVersionId) : { words: '', processes: [] };
  const family = licenseFamily(d.hardwareLicense ?? d.documentationLicense ?? undefined);
  const title = sql`${d.title}::text`;
  const category = sql`${d.category}::text`;
  const tags = sql`${d.tags}::text`;
  await db.execute(sql`
    insert into design_search (design_id, latest_version_id, document, name_text, processes, license_family, readiness, published_at,
      title, category, owner_id, owner_handle, hidden, created_at, updated_at)
    values (${designId}::uuid, ${d.latestVersionId}::uuid,
      setweight(to_tsvector('english', ${title}), 'A') ||
      setweight(to_tsvector('english', coalesce(${category}, '') || ' ' || ${tags}), 'B') ||
      setweight(to_tsvector('english', ${d.summary}::text || ' ' || coalesce(${d.versionFunction}::text, '')), 'C') ||
      setweight(to_tsvector('english', ${bom.words}::text || ' ' || ${d.instructions}::text), 'D'),
      lower(${title} || ' ' || ${d.slug}::text || ' ' || coalesce(${category}, '') || ' ' || ${tags}),
      array(select jsonb_array_elements_text(${JSON.stringify(bom.processes)}::jsonb)),
      ${family}::text, ${d.readiness}::text, ${d.publishedAt}::timestamptz,
      ${title}, ${category}, ${d.ownerId}::uuid, ${d.ownerHandle}::text, ${d.hidden}::boolean,
      ${d.createdAt}::timestamptz, ${d.updatedAt}::timestamptz)
    on conflict (design_id) do update set latest_version_id = excluded.latest_version_id, document = excluded.document,
      name_text = excluded.name_text, processes = excluded.processes, license_family = excluded.license_family,
      readiness = excluded.readiness, published_at = excluded.published_at, title = excluded.title, category = excluded.category,
      owner_id = excluded.owner_id, owner_handle = excluded.owner_handle, hidden = excluded.hidden, created_at = excluded.created_at,
      updated_at = excluded.updated_at`);
  if (d.latestVersionId) await setVersionBoardLayers(db, d.latestVersionId);
}

/** The board-layers facet of the design whose latest version this is (a board of it has just been drawn). */
export async function setVersionBoardLayers(db: Executor, versionId: string): Promise<void> {
  const layers = await copperLayersOfVersion(db, versionId);
  await db.execute(sql`update design_search set board_layers = ${layers} where latest_version_id = ${versionId}::uuid`);
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

/** A design gained (1) or lost (-1) a star: explore sorts by the count (kept by the community's star writes). */
export async function addDesignStars(db: Executor, designId: string, delta: number): Promise<void> {
  await db.execute(sql`update design_search set stars = greatest(stars + ${delta}, 0) where design_id = ${designId}`);
}
