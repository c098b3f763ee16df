// exportBom: a BOM as CSV or TSV that parseBom reads back to the same tree, ending with its checksum.
import { stringify } from 'csv-stringify/sync';
import { bomChecksum } from './checksum.js';
import type { BomLine } from './model.js';

/**
 * The last row of an export holds only "# checksum: <sha256 hex>". parseBom skips a row starting
 * with this text (and reports its value as declaredChecksum), so a re-import reads the same lines.
 */
export const CHECKSUM_ROW_PREFIX = '# checksum:';

export interface ExportOptions {
  /** Checksum to write (the version's); computed from `lines` when left out; false writes none. */
  checksum?: string | false;
}

/**
 * A line to export: a stored BomLine or a BomViewLine. A view line's Qty is its per-parent
 * quantity (`quantityPer`), so the export of a view for N machines re-imports as the tree for
 * N machines (top-level quantities × N), not as totals multiplied twice.
 */
export type ExportLine = Omit<BomLine, 'children'> & {
  quantityPer?: string;
  orderQuantity?: string;
  children?: readonly ExportLine[];
};

interface Column {
  readonly header: string;
  readonly value: (line: ExportLine) => string | undefined;
}

const yes = (flag: boolean | undefined) => (flag ? 'yes' : undefined);

const FIXED_COLUMNS: readonly Column[] = [
  { header: 'Part Number', value: (line) => line.partNumber },
  { header: 'Name', value: (line) => line.name },
  { header: 'Description', value: (line) => line.description },
  { header: 'MPN', value: (line) => line.mpn },
  { header: 'Manufacturer', value: (line) => line.manufacturer },
  { header: 'Qty', value: (line) => line.quantityPer ?? line.quantity },
  { header: 'Unit', value: (line) => line.unit },
  { header: 'Unit Price', value: (line) => line.unitCost },
  { header: 'Currency', value: (line) => line.currency },
  { header: 'Value', value: (line) => line.value },
  { header: 'Footprint', value: (line) => line.footprint },
  { header: 'References', value: (line) => line.designators?.join(', ') },
  { header: 'Material', value: (line) => line.material },
  { header: 'Process', value: (line) => line.process },
  { header: 'File', value: (line) => line.filePath },
  { header: 'Notes', value: (line) => line.notes },
  { header: 'Optional', value: (line) => yes(line.optional) },
  { header: 'DNF', value: (line) => yes(line.fitted === false) },
  { header: 'Pack Size', value: (line) => line.packSize },
  { header: 'Min Order', value: (line) => line.minOrder },
  { header: 'Attrition', value: (line) => line.attrition },
  { header: 'Cut Length (mm)', value: (line) => line.cutLength },
  { header: 'Order Qty', value: (line) => line.orderQuantity },
];

/** Columns that are always written, used or not: the ones every BOM reader expects. */
const ALWAYS = new Set(['Part Number', 'Name', 'Qty', 'Unit', 'Unit Price', 'Currency']);

/**
 * One row per line in tree order; the first column is the dotted position ("1", "1.1"), headed
 * "Level". Optional columns appear only when some line uses them. Suppliers and substitutes
 * take numbered column groups (Supplier, Supplier Part Number, Supplier URL, Supplier 2, …).
 * Cells a spreadsheet would run as formulas get a leading quote, which parseBom removes.
 */
export function exportBom(lines: readonly ExportLine[], format: 'csv' | 'tsv', options: ExportOptions = {}): string {
  const rows: ExportLine[] = [];
  const walk = (list: readonly ExportLine[]) => {
    for (const line of list) {
      rows.push(line);
      if (line.children) walk(line.children);
    }
  };
  walk(lines);
  const columns: Column[] = [{ header: positionHeader(lines), value: (line) => line.position }];
  for (const column of FIXED_COLUMNS) {
    if (ALWAYS.has(column.header) || rows.some((line) => column.value(line) !== undefined)) columns.push(column);
  }
  columns.push(...supplierColumns(rows), ...substituteColumns(rows));
  const table: string[][] = [columns.map((column) => column.header)];
  for (const line of rows) table.push(columns.map((column) => column.value(line) ?? ''));
  if (options.checksum !== false)
    table.push([`${CHECKSUM_ROW_PREFIX} ${options.checksum ?? bomChecksum(lines as readonly BomLine[])}`]);
  return stringify(table, { delimiter: format === 'tsv' ? '\t' : ',', escape_formulas: true });
}

/**
 * "Level" reads dotted positions and, for plain integers that ever step back (1, 2, 2, 1), depths.
 * Top-level labels that step back (a source numbered 3, 1, 2) are therefore exported under
 * "Position", which is always read as labels.
 */
function positionHeader(lines: readonly ExportLine[]): string {
  const labels = lines.map((line) => line.position);
  const allIntegers = labels.every((label) => /^\d+$/.test(label)) && lines.every((line) => !line.children?.length);
  const increasing = labels.every((label, i) => i === 0 || Number(label) > Number(labels[i - 1]));
  return allIntegers && !increasing ? 'Position' : 'Level';
}

function supplierColumns(rows: readonly ExportLine[]): Column[] {
  const count = Math.max(0, ...rows.map((line) => line.suppliers?.length ?? 0));
  const columns: Column[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = i === 0 ? 'Supplier' : `Supplier ${i + 1}`;
    columns.push(
      { header: prefix, value: (line) => line.suppliers?.[i]?.name },
      { header: `${prefix} Part Number`, value: (line) => line.suppliers?.[i]?.partNumber },
      { header: `${prefix} URL`, value: (line) => line.suppliers?.[i]?.url },
    );
  }
  return columns;
}

function substituteColumns(rows: readonly ExportLine[]): Column[] {
  const count = Math.max(0, ...rows.map((line) => line.substitutes?.length ?? 0));
  const columns: Column[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = `Substitute ${i + 1}`;
    columns.push(
      { header: prefix, value: (line) => line.substitutes?.[i]?.name },
      { header: `${prefix} Part Number`, value: (line) => line.substitutes?.[i]?.partNumber },
      { header: `${prefix} MPN`, value: (line) => line.substitutes?.[i]?.mpn },
      { header: `${prefix} Manufacturer`, value: (line) => line.substitutes?.[i]?.manufacturer },
      { header: `${prefix} Material`, value: (line) => line.substitutes?.[i]?.material },
      { header: `${prefix} Supplier`, value: (line) => line.substitutes?.[i]?.supplier },
    );
  }
  return columns;
}
