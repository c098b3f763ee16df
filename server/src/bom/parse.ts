// parseBom: uploaded BOM bytes (CSV, TSV, semicolon-separated, JSON) → a normalised tree of lines.
import { CsvError, parse as parseCsv, type Info } from 'csv-parse/sync';
import { findHeader, type ColumnPlan } from './column-plan.js';
import { detectDelimiter, FORMAT_OF_DELIMITER, type DelimitedFormat, type Delimiter } from './delimiter.js';
import { decodeBomBytes, type BomEncoding } from './encoding.js';
import { CHECKSUM_ROW_PREFIX } from './export.js';
import { readJsonBom } from './json-input.js';
import type { BomLine, BomWarning } from './model.js';
import { RowReader } from './row.js';
import { buildTree, type PlacedRow } from './tree.js';

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

/** The file cannot be read as a BOM at all: no header we recognise, or no quantity column. 422 material. */
export class BomUnreadableError extends Error {
  readonly errors: BomWarning[];

  constructor(message: string, errors: BomWarning[]) {
    super(message);
    this.name = 'BomUnreadableError';
    this.errors = errors;
  }
}

interface CsvRecord {
  readonly record: string[];
  readonly info: Info;
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
      throw new BomUnreadableError('not a BOM in JSON: expected {"lines": [...]} or a list of lines', [
        { line: 1, column: '', value: text.slice(0, 40), message: 'expected {"lines": [...]} or a list of lines' },
      ]);
    }
  }
  const delimiter = detectDelimiter(text);
  const records = readRecords(text, delimiter, warnings);
  return readTable(records, delimiter, encoding, warnings);
}

function readRecords(text: string, delimiter: Delimiter, warnings: BomWarning[]): CsvRecord[] {
  const options = { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true } as const;
  try {
    return parseCsv(text, options) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // An unbalanced quote swallows the rest of the file; reading quotes as text keeps the other lines.
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    warnings.push({ line, column: '', value: '', message: `${error.message}; quotes in this file were read as plain text` });
    return parseCsv(text, { ...options, quote: false }) as unknown as CsvRecord[];
  }
}

function readTable(records: CsvRecord[], delimiter: Delimiter, encoding: BomEncoding, warnings: BomWarning[]): ParsedBom {
  const found = findHeader(records.slice(0, 40).map((entry) => entry.record));
  if ('reason' in found) {
    if (found.reason === 'no-header') {
      throw new BomUnreadableError('no recognisable header row: expected column names such as Qty, Part Number, Description', [
        { line: records[0]?.info.lines ?? 1, column: '', value: (records[0]?.record ?? []).join(delimiter).slice(0, 200), message: 'no recognisable header row: expected column names such as Qty, Part Number, Description' },
      ]);
    }
    const header = records[found.headerRow]!;
    throw new BomUnreadableError('no quantity column: expected a column named Qty, Quantity, Amount or Count', [
      { line: header.info.lines, column: '', value: found.headers.join(delimiter), message: 'no quantity column: expected a column named Qty, Quantity, Amount or Count' },
    ]);
  }
  const { headerRow, plan } = found;
  for (let r = 0; r < headerRow; r++) {
    const cells = records[r]!.record;
    if (cells.some((cell) => cell.trim() !== '')) {
      warnings.push({ line: records[r]!.info.lines, column: '', value: cells.filter((cell) => cell.trim() !== '').join(' ').slice(0, 200), message: 'title or preamble row above the header skipped' });
    }
  }
  const reader = new RowReader(plan, { decimalComma: delimiter === ';' }, warnings);
  const placed: PlacedRow[] = [];
  // Not compared with the lines here: an export of a scaled view carries the version's checksum.
  let declaredChecksum: string | undefined;
  for (let r = headerRow + 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const first = record[0];
    if (first !== undefined && first.startsWith(CHECKSUM_ROW_PREFIX)) {
      declaredChecksum = first.slice(CHECKSUM_ROW_PREFIX.length).trim();
      continue;
    }
    const reading = reader.read(record, info.lines);
    if (reading.kind === 'skip') {
      if (reading.message) warnings.push({ line: info.lines, column: '', value: record.filter((cell) => cell.trim() !== '').join(' ').slice(0, 200), message: reading.message });
      continue;
    }
    placed.push({ line: reading.line, lineNumber: info.lines, structure: reading.structure, parent: reading.parent });
  }
  const lines = buildTree(placed, treeColumns(plan), warnings);
  return {
    lines, mapping: plan.mapping, format: FORMAT_OF_DELIMITER[delimiter], encoding, warnings, columns: [...plan.headers],
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
