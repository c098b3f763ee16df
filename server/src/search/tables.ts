// Tables owned by search: one row per design with its weighted search document and facet values,
// refreshed whenever the design, its latest version or its field data changes.
import { pgTable, uuid, text, integer, timestamp, boolean, index, customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { designs, designVersions } from '../registry/tables.js';
import { bomLines } from '../bom/tables.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const designSearch = pgTable(
  'design_search',
  {
    designId: uuid('design_id')
      .primaryKey()
      .references(() => designs.id, { onDelete: 'cascade' }),
    latestVersionId: uuid('latest_version_id').references(() => designVersions.id, { onDelete: 'set null' }),
    /** title A, tags and category B, summary and function C, BOM part names and materials D */
    document: tsvector('document').notNull(),
    /**
     * The document without its BOM words (title, tags, category, summary, function): what a match is ranked on. A
     * design that has every word searched for has each BOM word once, so they add about the same to every such
     * design's rank; ranking this tenth of the document costs a tenth.
     */
    head: tsvector('head').generatedAlwaysAs(sql`ts_filter(document, '{a,b,c}')`),
    /** title, tags and category in lower case, for trigram similarity (typos, partial words) */
    nameText: text('name_text').notNull(),
    processes: text('processes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    licenseFamily: text('license_family'),
    readiness: text('readiness'),
    countries: text('countries')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    approvedBuilds: integer('approved_builds').notNull().default(0),
    completeness: integer('completeness'),
    /** copper layers of the latest version's boards (the most of any), null without a drawn board */
    boardLayers: integer('board_layers'),
    /** how many people starred the design (explore sorts by it) */
    stars: integer('stars').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    // The design's own columns a search filters, scores and sorts every match by, copied here (and kept equal to
    // designs by a trigger, migration 0011) so a broad search reads one row per match instead of joining every
    // design: the page's few rows are joined for their title and summary.
    title: text('title'),
    category: text('category'),
    ownerId: uuid('owner_id'),
    ownerHandle: text('owner_handle'),
    hidden: boolean('hidden').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('design_search_document_idx').using('gin', t.document),
    index('design_search_name_trgm_idx').using('gin', sql`${t.nameText} gin_trgm_ops`),
    index('design_search_processes_idx').using('gin', t.processes),
  ],
);

/** Every distinct part ever published (key = bom_lines.part_key): what parts search matches words against. */
export const partNames = pgTable('part_names', {
  key: text('key').primaryKey(),
  partNumber: text('part_number'),
  mpn: text('mpn'),
  name: text('name').notNull(),
  material: text('material'),
  process: text('process'),
  /** part number, manufacturer part number, name, material and process as part_search_text() writes them */
  searchText: text('search_text')
    .notNull()
    .generatedAlwaysAs(
      sql`part_search_text(coalesce(part_number, '') || ' ' || coalesce(mpn, '') || ' ' || name || ' ' || coalesce(material, '') || ' ' || coalesce(process, ''))`,
    ),
  /** the same without the material: words found here make a part more the one searched for (a 2in cylinder over 2in stock) */
  ownText: text('own_text')
    .notNull()
    .generatedAlwaysAs(
      sql`part_search_text(coalesce(part_number, '') || ' ' || coalesce(mpn, '') || ' ' || name || ' ' || coalesce(process, ''))`,
    ),
});

/**
 * Where-used, kept by triggers (migration 0010): one row per BOM line of a published version of a visible design,
 * with what a parts search lists of it. Parts search reads a part's first uses and its use count from one index
 * instead of checking every line of a much-used part against its version and design.
 */
export const partUses = pgTable(
  'part_uses',
  {
    lineId: uuid('line_id')
      .primaryKey()
      .references(() => bomLines.id, { onDelete: 'cascade' }),
    partKey: text('part_key').notNull(),
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    ownerHandle: text('owner_handle').notNull(),
    slug: text('slug').notNull(),
    version: text('version').notNull(),
    major: integer('major').notNull(),
    minor: integer('minor').notNull(),
    patch: integer('patch').notNull(),
    ord: integer('ord').notNull(),
    position: text('position').notNull(),
    quantity: text('quantity').notNull(),
    unit: text('unit').notNull(),
  },
  (t) => [
    // in the order a part's uses are listed: the first page of uses is the index's first entries
    index('part_uses_part_idx').on(
      t.partKey,
      t.ownerHandle,
      t.slug,
      t.major.desc(),
      t.minor.desc(),
      t.patch.desc(),
      t.ord,
    ),
    index('part_uses_design_idx').on(t.designId),
    index('part_uses_version_idx').on(t.versionId),
  ],
);
