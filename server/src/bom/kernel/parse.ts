// parseBom: uploaded BOM bytes (CSV, TSV, semicolon-separated, JSON) → a normalised tree of lines.
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { findHeader, type ColumnPlan } from './column-plan.js';
import { detectDelimiter, FORMAT_OF_DELIMITER, type DelimitedFormat, type Delimiter } from './delimiter.js';
import { decodeBomBytes, type BomEncoding } from './encoding.js';
import { CHECKSUM_ROW_PREFIX } from './export.js';
import { readJsonBom } from './json-input.js';
import { BomUnreadableError, checkBomDepth } from './unreadable.js';

export { BomUnreadableError };
import type { BomLine, BomWarning } from './model.js';
import { RowReader } from './row.js';
import { buildTree, type PlacedRows } from './tree.js';

export interface ParsedBom {
  /** The BOM as a tree: top-level lines, sub-assemblies holding `children`. */
  lines: BomLine[];
  /** Source column (or JSON field) → BOM field it fed. Columns not listed were ignored. */
  mapping: Record<string, string>;
  format: DelimitedFormat | 'json';
  encoding: BomEncoding;
  warnings: BomWarning[];
  /** Every header cell in file order (empty for JSON), so a report can show ignored columns too. */
  columns: string[];
  /** The checksum an Andecha export wrote in its last row, when present. */
  declaredChecksum?: string;
}

/** Rows of the file as csv-parse splits them, with the 1-based file line each starts on. */
interface Records {
  readonly rows: string[][];
  readonly lineOf: (index: number) => number;
}

/**
 * Reads a BOM. Only a file with no recognisable header row or no quantity column throws
 * (BomUnreadableError); every other problem keeps the line and adds a warning naming the file
 * line, column and value, so a publish goes through and the maker sees what to fix.
 */
export function parseBom(bytes: Buffer, filename?: string): ParsedBom {
  const { text, encoding } = decodeBomBytes(bytes);
  const warnings: BomWarning[] = [];
  const looksJson = /\.json$/i.test(filename ?? '') || /^\s*[[{]/.test(text.slice(0, 64));
  if (looksJson) {
    const json = readJsonBom(text, warnings);
    if (json) return { lines: json.lines, mapping: json.mapping, format: 'json', encoding, warnings, columns: [] };
    if (/\.json$/i.test(filename ?? '')) {
      const reason = {
        code: 'json-not-a-bom',
        message: 'not a BOM in JSON: expected {"lines": [...]} or a list of lines',
      };
      throw new BomUnreadableError(reason, [{ line: 1, column: '', value: text.slice(0, 40), ...reason }]);
    }
  }
  checkLineLengths(text);
  const delimiter = detectDelimiter(text);
  const records = readRecords(text, delimiter, warnings);
  checkColumnCount(records);
  return readTable(records, delimiter, encoding, warnings);
}

/** A BOM line longer than this is not a BOM (a real one has a few hundred characters per line). */
export const MAX_BOM_LINE_CHARS = 256 * 1024;
/** Nor is a row with more cells than this (real BOMs have tens of columns). */
export const MAX_BOM_COLUMNS = 1000;

/** Refuses, before csv-parse sees it, a file with a line over MAX_BOM_LINE_CHARS: a hostile file costs one scan. */
function checkLineLengths(text: string): void {
  for (let start = 0, line = 1; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_BOM_LINE_CHARS) {
      const reason = {
        code: 'line-too-long',
        values: { line, length: stop - start, limit: MAX_BOM_LINE_CHARS },
        message: `line ${line} is ${(stop - start).toLocaleString('en')} characters long, over the limit of ${MAX_BOM_LINE_CHARS.toLocaleString('en')}`,
      };
      throw new BomUnreadableError(reason, [{ line, column: '', value: text.slice(start, start + 40), ...reason }]);
    }
    start = stop + 1;
  }
}

function checkColumnCount({ rows, lineOf }: Records): void {
  const at = rows.findIndex((row) => row.length > MAX_BOM_COLUMNS);
  if (at < 0) return;
  const reason = {
    code: 'too-many-columns',
    values: { line: lineOf(at), columns: rows[at]!.length, limit: MAX_BOM_COLUMNS },
    message: `line ${lineOf(at)} has ${rows[at]!.length.toLocaleString('en')} columns, over the limit of ${MAX_BOM_COLUMNS.toLocaleString('en')}`,
  };
  throw new BomUnreadableError(reason, [
    { line: lineOf(at), column: '', value: rows[at]!.slice(0, 5).join(','), ...reason },
  ]);
}

/**
 * csv-parse runs with the fewest options that read real files, because each option costs
 * throughput on a 100,000-line BOM: strict quotes first (then relaxed, then quotes as text, each
 * with a warning), and no per-record info objects; line numbers are counted here instead.
 * Empty lines come back as [""] records and are skipped by the row reader.
 */
function readRecords(text: string, delimiter: Delimiter, warnings: BomWarning[]): Records {
  const base = { delimiter, relax_column_count: true } as const;
  let rows: string[][];
  try {
    rows = parseCsv(text, base) as string[][];
  } catch (strictError) {
    if (!(strictError instanceof CsvError)) throw strictError;
    try {
      rows = parseCsv(text, { ...base, relax_quotes: true }) as string[][];
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // An unbalanced quote swallows the rest of the file; reading quotes as text keeps the other lines.
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      warnings.push({
        line,
        column: '',
        value: '',
        // csv-parse's own English reason stays in the message; other languages say what it means for the file
        code: 'quotes-read-as-text',
        message: `${error.message}; quotes in this file were read as plain text`,
      });
      rows = parseCsv(text, { ...base, quote: false }) as string[][];
    }
  }
  return { rows, lineOf: lineNumbering(text, rows) };
}

/** Record i starts on line i + 1 unless some cell holds a line break; only then are cells scanned. */
function lineNumbering(text: string, rows: readonly (readonly string[])[]): (index: number) => number {
  let breaks = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) breaks++;
  const fileLines = breaks + (text.endsWith('\n') ? 0 : 1);
  if (rows.length === fileLines) return (index) => index + 1;
  const starts = new Array<number>(rows.length);
  let line = 1;
  rows.forEach((row, i) => {
    starts[i] = line;
    line++;
    for (const cell of row) for (let at = cell.indexOf('\n'); at >= 0; at = cell.indexOf('\n', at + 1)) line++;
  });
  return (index) => starts[index] ?? index + 1;
}

function readTable(
  { rows, lineOf }: Records,
  delimiter: Delimiter,
  encoding: BomEncoding,
  warnings: BomWarning[],
): ParsedBom {
  const found = findHeader(rows.slice(0, 40));
  if ('reason' in found) {
    if (found.reason === 'no-header') {
      const reason = {
        code: 'no-header-row',
        message: 'no recognisable header row: expected column names such as Qty, Part Number, Description',
      };
      throw new BomUnreadableError(reason, [
        { line: 1, column: '', value: (rows[0] ?? []).join(delimiter).slice(0, 200), ...reason },
      ]);
    }
    const reason = {
      code: 'no-quantity-column',
      message: 'no quantity column: expected a column named Qty, Quantity, Amount or Count',
    };
    throw new BomUnreadableError(reason, [
      { line: lineOf(found.headerRow), column: '', value: found.headers.join(delimiter), ...reason },
    ]);
  }
  const { headerRow, plan } = found;
  for (let r = 0; r < headerRow; r++) {
    const cells = rows[r]!;
    if (cells.some((cell) => cell.trim() !== '')) {
      warnings.push({
        line: lineOf(r),
        column: '',
        value: cells
          .map((cell) => cell.trim())
          .filter((cell) => cell !== '')
          .join(' ')
          .slice(0, 200),
        code: 'preamble-skipped',
        message: 'title or preamble row above the header skipped',
      });
    }
  }
  const reader = new RowReader(plan, { decimalComma: delimiter === ';' }, warnings);
  const placed: PlacedRows = { lines: [], lineNumbers: [], structures: [], parents: [] };
  const hasStructure = plan.structure !== undefined;
  const hasParent = plan.parent !== undefined;
  // Not compared with the lines here: an export of a scaled view carries the version's checksum.
  let declaredChecksum: string | undefined;
  for (let r = headerRow + 1; r < rows.length; r++) {
    const record = rows[r]!;
    const line = lineOf(r);
    const first = record[0];
    if (first !== undefined && first.startsWith(CHECKSUM_ROW_PREFIX)) {
      declaredChecksum = first.slice(CHECKSUM_ROW_PREFIX.length).trim();
      continue;
    }
    const reading = reader.read(record, line);
    if ('skipped' in reading) {
      if (reading.skipped)
        warnings.push({
          line,
          column: '',
          value: record
            .map((cell) => cell.trim())
            .filter((cell) => cell !== '')
            .join(' ')
            .slice(0, 200),
          ...reading.skipped,
        });
      continue;
    }
    placed.lines.push(reading);
    placed.lineNumbers.push(line);
    if (hasStructure) placed.structures.push(reader.structureOf());
    if (hasParent) placed.parents.push(reader.parentOf());
  }
  const lines = buildTree(placed, treeColumns(plan), warnings);
  checkBomDepth(lines);
  return {
    lines,
    mapping: plan.mapping,
    format: FORMAT_OF_DELIMITER[delimiter],
    encoding,
    warnings,
    columns: [...plan.headers],
    ...(declaredChecksum !== undefined ? { declaredChecksum } : {}),
  };
}

function treeColumns(plan: ColumnPlan) {
  return {
    structureKind: plan.structure?.kind,
    structureHeader: plan.structure ? plan.headers[plan.structure.index]!.trim() : '',
    parentHeader: plan.parent !== undefined ? plan.headers[plan.parent]!.trim() : '',
  };
}

export interface MappingReportEntry {
  readonly column: string;
  /** The field the column fed, or null when it was ignored. */
  readonly field: string | null;
}

/** Every source column beside the field it fed (null = ignored), for the API to show. */
export function mappingReport(parsed: Pick<ParsedBom, 'mapping' | 'columns'>): MappingReportEntry[] {
  if (parsed.columns.length === 0) return Object.entries(parsed.mapping).map(([column, field]) => ({ column, field }));
  const seen = new Map<string, number>();
  return parsed.columns.map((raw) => {
    const count = (seen.get(raw) ?? 0) + 1;
    seen.set(raw, count);
    const column = count === 1 ? raw : `${raw} (${count})`;
    return { column, field: parsed.mapping[column] ?? null };
  });
}
