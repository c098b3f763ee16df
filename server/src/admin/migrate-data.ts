// Copies an instance's rows and blobs to another database and blob store (PGlite/fs → PostgreSQL/S3): tables in
// foreign-key order, rows and blobs already present skipped (so a second run resumes), checked by counts and sha256.
import { createHash } from 'node:crypto';
import type { Database } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';

export interface TableCopy {
  table: string;
  source: number;
  copied: number;
  target: number;
}

export interface MigrateReport {
  tables: TableCopy[];
  blobs: { source: number; copied: number; present: number };
  /** anything that does not match after the copy: a table's counts, a blob that is missing or hashes wrong */
  problems: string[];
}

export interface MigrateOptions {
  batchRows?: number;
  blobConcurrency?: number;
  log?: (line: string) => void;
}

type Raw = Pick<Database, 'raw'>;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The public tables of a database, parents before children (by its foreign keys). */
export async function tablesInDependencyOrder(db: Raw): Promise<string[]> {
  const { rows: tables } = await db.raw(
    `select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const { rows: edges } = await db.raw<{ child: string; parent: string }>(`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and c.relname <> p.relname`);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.tablename as string, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < parents.size) {
    const ready = [...parents.keys()].filter(
      (t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)),
    );
    if (!ready.length)
      throw new Error(
        `foreign keys form a cycle among: ${[...parents.keys()].filter((t) => !placed.has(t)).join(', ')}`,
      );
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return order;
}

/** Columns the target accepts values for (generated columns are computed there). */
async function writableColumns(db: Raw, table: string): Promise<string[]> {
  const { rows } = await db.raw(
    `select column_name from information_schema.columns
    where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name as string);
}

async function primaryKey(db: Raw, table: string): Promise<string[]> {
  const { rows } = await db.raw(
    `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
    [`public.${q(table)}`],
  );
  return rows.map((r) => r.attname as string);
}

const count = async (db: Raw, table: string) =>
  Number((await db.raw(`select count(*) as n from ${q(table)}`)).rows[0].n);

/**
 * One table, in pages ordered by primary key. Values travel as text (`::text`) so timestamps keep their microseconds
 * and JSON its exact form; the target casts them back by column type. `on conflict do nothing` skips rows already copied.
 */
async function copyTable(source: Raw, target: Raw, table: string, batchRows: number): Promise<number> {
  const targetCols = new Set(await writableColumns(target, table));
  const cols = (await writableColumns(source, table)).filter((c) => targetCols.has(c));
  if (!cols.length) return 0;
  const pk = await primaryKey(source, table);
  const orderBy = (pk.length ? pk : cols).map(q).join(', ');
  const rowsPerInsert = Math.max(1, Math.min(batchRows, Math.floor(60_000 / cols.length)));
  let copied = 0;
  for (let offset = 0; ; offset += rowsPerInsert) {
    const { rows } = await source.raw(
      `select ${cols.map((c) => `${q(c)}::text as ${q(c)}`).join(', ')} from ${q(table)} order by ${orderBy} limit ${rowsPerInsert} offset ${offset}`,
    );
    if (!rows.length) break;
    const values: unknown[] = [];
    const tuples = rows.map(
      (r) =>
        `(${cols
          .map((c) => {
            values.push(r[c]);
            return `$${values.length}`;
          })
          .join(', ')})`,
    );
    const res = await target.raw(
      `insert into ${q(table)} (${cols.map(q).join(', ')}) values ${tuples.join(', ')} on conflict do nothing`,
      values,
    );
    copied +=
      (res as { rowCount?: number; affectedRows?: number }).rowCount ??
      (res as { affectedRows?: number }).affectedRows ??
      0;
    if (rows.length < rowsPerInsert) break;
  }
  return copied;
}

async function copyBlob(from: BlobStore, to: BlobStore, sha256: string): Promise<'copied' | 'present'> {
  if (await to.has(sha256)) return 'present';
  // the target hashes while it stores: what arrives must be what the name says
  const stored = await to.put(await from.get(sha256));
  if (stored.sha256 !== sha256) {
    await to.delete(stored.sha256);
    throw new Error(
      `blob ${sha256} read back as ${stored.sha256}: the source copy is corrupt (run npm run admin -- verify)`,
    );
  }
  return 'copied';
}

async function hashOf(store: BlobStore, sha256: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of await store.get(sha256)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Copies rows (when `to.db`) and blobs (when `to.blobs`); the target database must be migrated already. */
export async function migrateData(
  from: { db: Database; blobs: BlobStore },
  to: { db?: Database; blobs?: BlobStore },
  opts: MigrateOptions = {},
): Promise<MigrateReport> {
  const log = opts.log ?? (() => {});
  const report: MigrateReport = { tables: [], blobs: { source: 0, copied: 0, present: 0 }, problems: [] };
  if (to.db) {
    for (const table of await tablesInDependencyOrder(to.db)) {
      const sourceRows = await count(from.db, table).catch(() => undefined);
      if (sourceRows === undefined) continue; // a table only the target's newer schema has
      const copied = await copyTable(from.db, to.db, table, opts.batchRows ?? 1000);
      const targetRows = await count(to.db, table);
      report.tables.push({ table, source: sourceRows, copied, target: targetRows });
      log(`${table}: ${copied} copied, ${targetRows}/${sourceRows} in the target`);
      if (targetRows !== sourceRows)
        report.problems.push(`${table}: ${sourceRows} rows in the source, ${targetRows} in the target`);
    }
  }
  if (to.blobs) {
    const target = to.blobs;
    const pending = new Set<Promise<void>>();
    const failures: string[] = [];
    for await (const sha256 of from.blobs.list()) {
      report.blobs.source++;
      const job = copyBlob(from.blobs, target, sha256)
        .then(
          (r) => {
            report.blobs[r]++;
          },
          (err) => {
            failures.push(`${sha256}: ${err.message}`);
          },
        )
        .finally(() => pending.delete(job));
      pending.add(job);
      if (pending.size >= (opts.blobConcurrency ?? 4)) await Promise.race(pending);
      if (report.blobs.source % 100 === 0) log(`blobs: ${report.blobs.source} seen, ${report.blobs.copied} copied`);
    }
    await Promise.all(pending);
    report.problems.push(...failures);
    log(`blobs: ${report.blobs.copied} copied, ${report.blobs.present} already there, of ${report.blobs.source}`);
  }
  return report;
}

/** Re-reads every copied blob from the target and checks its sha256 (slow: reads every byte again). */
export async function verifyCopiedBlobs(from: BlobStore, to: BlobStore): Promise<string[]> {
  const problems: string[] = [];
  for await (const sha256 of from.list()) {
    if (!(await to.has(sha256))) problems.push(`${sha256}: missing from the target`);
    else if ((await hashOf(to, sha256)) !== sha256) problems.push(`${sha256}: the target's bytes hash differently`);
  }
  return problems;
}
