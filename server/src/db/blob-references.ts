// Which columns point at blobs: the one list gc, verify and the upload intake's clean-up rely on, read from the drizzle schema so a new table's
// blob column is counted the day it is added.
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { is, sql, Table } from 'drizzle-orm';
import * as schema from './schema.js';
import type { Executor } from './client.js';
import { rowsOf } from './rows.js';
import { blobs } from '../registry/tables.js';

export interface BlobColumn {
  table: string;
  column: string;
  /** a jsonb object whose values are sha256s (variant name → blob), not a sha256 itself */
  map?: boolean;
}

/** jsonb columns holding variant name → sha256: a photo's copies, an avatar's. */
const blobMaps: BlobColumn[] = [
  { table: 'build_photos', column: 'variants', map: true },
  { table: 'users', column: 'avatar', map: true },
];

/** The sha256s a column holds, as one `select … as sha256`. */
const selectOf = (c: BlobColumn) =>
  c.map
    ? `select m.value as sha256 from "${c.table}", jsonb_each_text("${c.table}"."${c.column}") m where jsonb_typeof("${c.table}"."${c.column}") = 'object'`
    : `select "${c.column}" as sha256 from "${c.table}" where "${c.column}" is not null`;

// A column named like a blob reference counts even without a foreign key (photos, derivatives of other domains).
const blobNamed = /(^|_)(sha256|blob)$/;

/** Every column (table.column) whose values are blob sha256s, except blobs.sha256 itself. */
export function blobReferenceColumns(tables: Record<string, unknown> = schema): BlobColumn[] {
  const out = new Map<string, BlobColumn>();
  for (const t of Object.values(tables)) {
    if (!is(t, Table)) continue;
    const cfg = getTableConfig(t as PgTable);
    if (cfg.name === getTableConfig(blobs).name) continue;
    const add = (c: PgColumn) => out.set(`${cfg.name}.${c.name}`, { table: cfg.name, column: c.name });
    for (const fk of cfg.foreignKeys) {
      const ref = fk.reference();
      if (getTableConfig(ref.foreignTable).name === 'blobs') ref.columns.forEach(add);
    }
    for (const c of cfg.columns) if (blobNamed.test(c.name) && c.dataType === 'string') add(c);
    for (const m of blobMaps) if (m.table === cfg.name) out.set(`${m.table}.${m.column}`, m);
  }
  return [...out.values()].sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

/** The set of sha256s some row refers to; `columns` narrows which (verify leaves out uploads' holds). */
export async function referencedBlobs(
  db: { raw: (text: string) => Promise<{ rows: { sha256: unknown }[] }> },
  columns: BlobColumn[] = blobReferenceColumns(),
): Promise<Set<string>> {
  const cols = columns;
  const union = cols.map(selectOf).join(' union ');
  const { rows } = await db.raw(union);
  return new Set(rows.map((r) => String(r.sha256)));
}

/** Which of these sha256s some row refers to (a refused upload deletes only the others). */
export async function referencedAmong(db: Executor, sha256s: readonly string[]): Promise<Set<string>> {
  if (!sha256s.length) return new Set();
  const wanted = sql.join(
    sha256s.map((s) => sql`${s}`),
    sql`, `,
  );
  const union = sql.join(
    blobReferenceColumns().map((c) => sql`select sha256 from (${sql.raw(selectOf(c))}) r where sha256 in (${wanted})`),
    sql` union `,
  );
  return new Set(rowsOf<{ sha256: string }>(await db.execute(union)).map((r) => String(r.sha256)));
}
