// Storing a version's parsed BOM as rows and reading it back as the same tree.
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import type { BomLine, BomWarning } from './kernel/model.js';
import type { ParsedBom } from './kernel/parse.js';
import { bomChecksum } from './kernel/checksum.js';
import { bomLines, versionBoms } from './tables.js';
import type { VersionDocumentSection } from '../registry/versions.js';

export interface StoredBom {
  lines: BomLine[];
  checksum: string;
  format: string;
  encoding: string;
  mapping: Record<string, string>;
  warnings: StoredBomWarning[];
}

/** A warning as stored: one saved before codes were recorded has none, and its English message says it all. */
export type StoredBomWarning = Omit<BomWarning, 'code'> & { code?: string };

/** Depth-first rows of a tree: order and depth are enough to rebuild it. */
function flattenTree(lines: readonly BomLine[], depth = 0, out: { line: BomLine; depth: number }[] = []) {
  for (const l of lines) {
    out.push({ line: l, depth });
    if (l.children?.length) flattenTree(l.children, depth + 1, out);
  }
  return out;
}

export async function saveBom(
  tx: Executor,
  versionId: string,
  parsed: Pick<ParsedBom, 'lines' | 'format' | 'encoding' | 'mapping' | 'warnings'>,
): Promise<string> {
  const checksum = bomChecksum(parsed.lines);
  const rows = flattenTree(parsed.lines);
  await tx.insert(versionBoms).values({
    versionId,
    checksum,
    format: parsed.format,
    encoding: parsed.encoding,
    mapping: parsed.mapping,
    warnings: parsed.warnings as unknown as Record<string, unknown>[],
    lineCount: rows.length,
  });
  for (let i = 0; i < rows.length; i += 500) {
    await tx.insert(bomLines).values(
      rows.slice(i, i + 500).map(({ line, depth }, j) => {
        const { children: _children, ...rest } = line;
        return {
          versionId,
          ord: i + j,
          depth,
          position: line.position,
          partNumber: line.partNumber ?? null,
          mpn: line.mpn ?? null,
          name: line.name,
          material: line.material ?? null,
          process: line.process ?? null,
          quantity: line.quantity,
          unit: line.unit,
          line: rest as Record<string, unknown>,
        };
      }),
    );
  }
  return checksum;
}

export async function loadBom(db: Executor, versionId: string): Promise<StoredBom | undefined> {
  const [head] = await db.select().from(versionBoms).where(eq(versionBoms.versionId, versionId)).limit(1);
  if (!head) return undefined;
  const rows = await db
    .select({ depth: bomLines.depth, line: bomLines.line })
    .from(bomLines)
    .where(eq(bomLines.versionId, versionId))
    .orderBy(asc(bomLines.ord));
  const roots: BomLine[] = [];
  const stack: BomLine[] = [];
  for (const r of rows) {
    const line = linePublishedBefore(r.line);
    stack.length = r.depth;
    const parent = stack[r.depth - 1];
    if (parent) (parent.children ??= []).push(line);
    else roots.push(line);
    stack[r.depth] = line;
  }
  return {
    lines: roots,
    checksum: head.checksum,
    format: head.format,
    encoding: head.encoding,
    mapping: head.mapping,
    warnings: head.warnings as unknown as StoredBomWarning[],
  };
}

/**
 * Lines stored before designators and fitted were named so (refdes, dnf true) read as today's line; the rows and
 * the version's checksum stay as they were published.
 */
function linePublishedBefore(stored: Record<string, unknown>): BomLine {
  const { refdes, dnf, ...line } = stored;
  if (Array.isArray(refdes) && line.designators === undefined) line.designators = refdes;
  if (dnf === true) line.fitted = false;
  return line as unknown as BomLine;
}

/** A fork's first version carries the upstream BOM unchanged. */
export async function copyBom(tx: Executor, fromVersionId: string, toVersionId: string): Promise<void> {
  const bom = await loadBom(tx, fromVersionId);
  if (bom)
    await saveBom(tx, toVersionId, {
      lines: bom.lines,
      format: bom.format as ParsedBom['format'],
      encoding: bom.encoding as ParsedBom['encoding'],
      mapping: bom.mapping,
      warnings: bom.warnings as unknown as ParsedBom['warnings'],
    });
}

export async function bomSummary(db: Executor, versionId: string) {
  const [head] = await db
    .select({ checksum: versionBoms.checksum, lines: versionBoms.lineCount, warnings: versionBoms.warnings })
    .from(versionBoms)
    .where(eq(versionBoms.versionId, versionId))
    .limit(1);
  return head ? { lines: head.lines, checksum: head.checksum, warnings: head.warnings.length } : undefined;
}

/** The `bom` section of the version document: line count, checksum and warning count. */
export const bomVersionSection: VersionDocumentSection = async (db, v) => {
  const s = await bomSummary(db, v.id);
  return s ? ['bom', s] : undefined;
};

/**
 * What search indexes of a version's BOM: each word of its lines' names, materials and part numbers once (repeated
 * positions would only make a design's search document big enough to leave its row), and its processes.
 */
export async function bomSearchText(db: Executor, versionId: string): Promise<{ words: string; processes: string[] }> {
  const r = await db.execute(sql`
    select left(coalesce((select string_agg(distinct w, ' ')
        from bom_lines l, regexp_split_to_table(lower(l.name || ' ' || coalesce(l.material, '') || ' ' || coalesce(l.part_number, '')), '[[:space:]]+') w
        where l.version_id = ${versionId} and w <> ''), ''), 400000) as words,
      coalesce((select json_agg(p order by p) from (select distinct l.process as p from bom_lines l
        where l.version_id = ${versionId} and l.process is not null) x), '[]'::json) as processes`);
  const row = rowsOf<{ words: string; processes: string[] | string }>(r)[0];
  return { words: row.words, processes: typeof row.processes === 'string' ? JSON.parse(row.processes) : row.processes };
}

/** One part of a BOM as the parts index knows it: its first line (in BOM order) for each distinct part key. */
export interface BomPart {
  key: string;
  partNumber: string | null;
  mpn: string | null;
  name: string;
  material: string | null;
  process: string | null;
}

export async function distinctPartsOf(db: Executor, versionId: string): Promise<BomPart[]> {
  const r = await db.execute(sql`select distinct on (part_key) part_key as key, part_number as "partNumber", mpn, name,
      material, process
    from bom_lines where version_id = ${versionId} order by part_key, ord`);
  return rowsOf<BomPart>(r);
}

/** One BOM line that names designators (`C1`, `R1`…), as a discussion's `#C1` finds it. */
export interface DesignatedLine {
  partNumber: string | null;
  designators: string[];
}

/** The version's lines that name designators, in BOM order (lines stored as `refdes` read as today's). */
export async function designatedLinesOf(db: Executor, versionId: string): Promise<DesignatedLine[]> {
  const r =
    await db.execute(sql`select part_number as "partNumber", coalesce(line->'designators', line->'refdes') as designators
    from bom_lines where version_id = ${versionId}
      and jsonb_typeof(coalesce(line->'designators', line->'refdes')) = 'array' order by ord`);
  return rowsOf<{ partNumber: string | null; designators: unknown }>(r).map((l) => ({
    partNumber: l.partNumber,
    // a driver may hand jsonb back as text
    designators: (typeof l.designators === 'string' ? JSON.parse(l.designators) : l.designators) as string[],
  }));
}
