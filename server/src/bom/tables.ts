// Tables owned by the BOM: one parsed BOM per version (frozen with it) and its lines as rows.
import { pgTable, uuid, text, integer, jsonb, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { designVersions } from '../registry/tables.js';

export const versionBoms = pgTable('version_boms', {
  versionId: uuid('version_id')
    .primaryKey()
    .references(() => designVersions.id, { onDelete: 'cascade' }),
  checksum: text('checksum').notNull(),
  format: text('format').notNull(),
  encoding: text('encoding').notNull(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  warnings: jsonb('warnings').$type<Record<string, unknown>[]>().notNull(),
  lineCount: integer('line_count').notNull(),
});

export const bomLines = pgTable(
  'bom_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    /** order of the line in document order (depth-first), so the tree rebuilds exactly */
    ord: integer('ord').notNull(),
    depth: integer('depth').notNull(),
    position: text('position').notNull(),
    partNumber: text('part_number'),
    mpn: text('mpn'),
    name: text('name').notNull(),
    material: text('material'),
    process: text('process'),
    quantity: text('quantity').notNull(),
    unit: text('unit').notNull(),
    /** the whole normalised line without children (schemas/bom-line.schema.json) */
    line: jsonb('line').$type<Record<string, unknown>>().notNull(),
    /** one part across designs: its part number, else its name, in lower case (parts search groups by it) */
    partKey: text('part_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(coalesce(nullif(part_number, ''), name))`),
  },
  (t) => [
    index('bom_lines_version_idx').on(t.versionId, t.ord),
    index('bom_lines_part_idx').on(t.partNumber),
    // migration 0008 creates it INCLUDE (version_id, ord, position, quantity, unit): parts search reads uses from it
    index('bom_lines_part_key_idx').on(t.partKey),
  ],
);
