// A design looked up by owner/slug for a read in one statement, prepared: its row and what its document shows
// beyond it (design-extras.ts), as one JSON text — on PGlite each column of a result costs parsing in JavaScript,
// and each statement a round trip through the engine, so one text column of one statement is the cheap shape.
import { getTableColumns } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { notFound } from '../errors.js';
import { designs, type DesignRow } from './tables.js';
import { designExtrasColumns, keepExtras, type DesignExtras } from './design-extras.js';

const statement = `select row_to_json(x)::text as doc from (
  select d.*, ${designExtrasColumns}
  from designs d where d.owner_handle = $1 and d.slug = $2 limit 1) x`;

const columns = Object.entries(getTableColumns(designs));

/** The row as drizzle would map it: camelCase keys, timestamps as Dates (row_to_json gives their ISO text). */
function designRowOf(json: Record<string, unknown>): DesignRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name] ?? null;
    row[key] = value !== null && column.dataType === 'date' ? new Date(value as string) : value;
  }
  return row as DesignRow;
}

/** A design's row_to_json with its extras (designExtrasColumns) as the row describeDesign takes, extras kept. */
export function designRowWithExtras(json: Record<string, unknown>): DesignRow {
  const row = designRowOf(json);
  keepExtras(row, {
    id: row.id,
    latest: json.latest as string | null,
    maintainers: json.maintainers as DesignExtras['maintainers'],
    forked_from: json.forked_from as string | null,
    forked_home: json.forked_home as DesignExtras['forked_home'],
    stars: json.stars as number,
  });
  return row;
}

/** The design owner/slug (404 if none), with its document's extras kept for describeDesign: one statement. */
export async function readDesign(database: Database, owner: string, slug: string): Promise<DesignRow> {
  const { rows } = await database.prepared<{ doc: string }>('andecha_read_design', statement, [owner, slug]);
  if (!rows[0]) throw notFound.design(owner, slug);
  return designRowWithExtras(JSON.parse(rows[0].doc) as Record<string, unknown>);
}
