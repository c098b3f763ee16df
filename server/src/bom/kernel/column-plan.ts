// Finding the header row of a sheet and deciding which column feeds which BOM field.
import { headerMeaning, normaliseHeader, type ColumnRole } from './columns.js';

/** Rows above this are never searched for a header: a title block is a few rows, not a page. */
const HEADER_SEARCH_ROWS = 40;

export interface NoteColumn {
  readonly index: number;
  /** Written before the cell text in notes, e.g. "Footprint: ". */
  readonly prefix: string;
}

export interface NumberedColumns {
  readonly n: number;
  readonly fields: Record<string, number>;
}

/** Column indexes for each field of a line; absent fields have no column. */
export interface ColumnPlan {
  /** Undefined in an EDA export that has designators but no quantity (JLCPCB): each line counts its designators. */
  readonly quantity: number | undefined;
  readonly single: Partial<Record<SingleField, number>>;
  readonly notes: readonly NoteColumn[];
  readonly retailers: readonly { readonly index: number; readonly name: string }[];
  readonly extraSuppliers: readonly NumberedColumns[];
  readonly substitutes: readonly NumberedColumns[];
  /** Alternate MPN columns (a second MPN column, "Alt MPN"), each with the manufacturer column beside it if any. */
  readonly alternates: readonly { readonly mpn: number; readonly manufacturer?: number }[];
  /** How the tree is given: a level/position column, a parent column, or not at all. */
  readonly structure: { readonly kind: 'level' | 'position'; readonly index: number } | undefined;
  readonly parent: number | undefined;
  /** The fitted/populate column, read inverted into `dnf`. */
  readonly fitted: number | undefined;
  /** OKH sBoM REFERENCE: a file path of a made part, or an unambiguous buy reference. */
  readonly sbomReference: number | undefined;
  readonly priceCurrency: string | undefined;
  readonly cutLengthUnit: string | undefined;
  /** Source header → field name, for the mapping report. */
  readonly mapping: Record<string, string>;
  readonly headers: readonly string[];
}

export type SingleField =
  | 'partNumber'
  | 'mpn'
  | 'name'
  | 'description'
  | 'unitCost'
  | 'extendedPrice'
  | 'currency'
  | 'supplier'
  | 'supplierPartNumber'
  | 'url'
  | 'manufacturer'
  | 'refdes'
  | 'value'
  | 'footprint'
  | 'material'
  | 'process'
  | 'filePath'
  | 'unit'
  | 'packSize'
  | 'minOrder'
  | 'attrition'
  | 'cutLength'
  | 'dnf'
  | 'optional';

export interface HeaderSearch {
  readonly headerRow: number;
  readonly plan: ColumnPlan;
}

export type HeaderFailure =
  | { readonly reason: 'no-header' }
  | { readonly reason: 'no-quantity'; readonly headerRow: number; readonly headers: readonly string[] };

/**
 * A row counts as having a quantity when it names a quantity column, or designators to count beside a value,
 * comment or footprint column, as EDA exports without a Qty have (JLCPCB): a lone "Reference" may be a standard's.
 */
function countsQuantity(recognised: readonly Recognised[]): boolean {
  const has = (role: ColumnRole) => recognised.some((column) => column.role === role);
  if (has('quantity') || has('units')) return true;
  return has('refdes') && (has('value') || has('comment') || has('footprint'));
}

interface Recognised {
  readonly index: number;
  readonly header: string;
  readonly key: string;
  readonly role?: ColumnRole;
  readonly retailer?: string;
  readonly numbered?: { group: 'supplier' | 'substitute'; n: number; field: string };
  readonly currency?: string;
  readonly unit?: string;
}

/**
 * The header is the top row that names the most known columns, with at least two and a quantity
 * column among them; ties go to the higher row. Taking the first such row would take a spreadsheet's
 * preamble ("Units, 1, Total cost, $1,234") for the header of the table below it. Rows above the
 * header are a title block. `sampleRows` (rows after a candidate header) settle columns whose
 * meaning depends on their values ("Item" holding 1, 2, 3 is a position).
 */
export function findHeader(rows: readonly (readonly string[])[]): HeaderSearch | HeaderFailure {
  let bestWithoutQuantity: { row: number; count: number } | undefined;
  let best: { row: number; recognised: Recognised[] } | undefined;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    const recognised = recogniseHeaders(rows[r]!);
    if (recognised.length < 2) continue;
    if (countsQuantity(recognised)) {
      if (!best || recognised.length > best.recognised.length) best = { row: r, recognised };
    } else if (!bestWithoutQuantity || recognised.length > bestWithoutQuantity.count)
      bestWithoutQuantity = { row: r, count: recognised.length };
  }
  if (best)
    return {
      headerRow: best.row,
      plan: planColumns(rows[best.row]!, best.recognised, rows.slice(best.row + 1, best.row + 21)),
    };
  if (bestWithoutQuantity)
    return { reason: 'no-quantity', headerRow: bestWithoutQuantity.row, headers: rows[bestWithoutQuantity.row]! };
  return { reason: 'no-header' };
}

function recogniseHeaders(cells: readonly string[]): Recognised[] {
  const recognised: Recognised[] = [];
  cells.forEach((header, index) => {
    if (header.trim() === '' || header.length > 60) return;
    const normalised = normaliseHeader(header);
    const meaning = headerMeaning(normalised.key);
    if (!meaning) return;
    const base = { index, header, key: normalised.key, currency: normalised.currency, unit: normalised.unit };
    if (meaning.kind === 'role') recognised.push({ ...base, role: meaning.role });
    else if (meaning.kind === 'retailer') recognised.push({ ...base, retailer: meaning.retailer });
    else recognised.push({ ...base, numbered: { group: meaning.group, n: meaning.n, field: meaning.field } });
  });
  return recognised;
}

const NUMBERING = /^\d+(?:\.\d+)*\.?$/;

function columnLooksLikeNumbering(index: number, sample: readonly (readonly string[])[]): boolean {
  let seen = 0;
  for (const row of sample) {
    const cell = (row[index] ?? '').trim();
    if (cell === '') continue;
    if (!NUMBERING.test(cell)) return false;
    seen++;
  }
  return seen > 0;
}

function planColumns(
  headerCells: readonly string[],
  recognised: readonly Recognised[],
  sample: readonly (readonly string[])[],
): ColumnPlan {
  const byRole = new Map<ColumnRole, Recognised[]>();
  for (const column of recognised) {
    if (!column.role) continue;
    // "Item" and "Part" hold names in most sheets but a running number in some (InvenTree's Part is its id).
    let role = column.role;
    if ((role === 'item' || role === 'part') && columnLooksLikeNumbering(column.index, sample)) {
      if (role === 'part') continue;
      role = 'position';
    }
    const list = byRole.get(role) ?? [];
    list.push(column);
    byRole.set(role, list);
  }
  const first = (role: ColumnRole): Recognised | undefined => byRole.get(role)?.[0];
  const mapping: Record<string, string> = {};
  const claim = (column: Recognised | undefined, field: string): number | undefined => {
    if (!column) return undefined;
    mapping[uniqueHeader(mapping, column.header)] = field;
    return column.index;
  };
  const single: Partial<Record<SingleField, number>> = {};
  const take = (field: SingleField, column: Recognised | undefined) => {
    const index = claim(column, field);
    if (index !== undefined) single[field] = index;
  };

  const isEda = byRole.has('refdes') || byRole.has('footprint') || byRole.has('value');
  const isSbom = byRole.has('units') && byRole.has('position') && !byRole.has('quantity');

  // Quantity: an explicit quantity column, else OKH sBoM's UNITS; a second UNITS column is the unit of measure.
  const quantityColumn = first('quantity') ?? first('units');
  const quantity = claim(quantityColumn, 'quantity');
  const unitsColumn = first('units');
  take('unit', first('unit') ?? (unitsColumn && unitsColumn !== quantityColumn ? unitsColumn : undefined));

  // Name: a real name column, else what each tool uses for one (EDA: Value or Comment).
  const nameCandidates: (Recognised | undefined)[] = [first('name'), first('item'), first('part')];
  if (isEda) nameCandidates.push(first('value'), first('comment'));
  nameCandidates.push(first('description'), first('value'));
  const nameColumn = nameCandidates.find((column) => column !== undefined);
  take('name', nameColumn);
  const descriptionColumn = byRole.get('description')?.find((column) => column !== nameColumn);
  take('description', descriptionColumn);

  take('partNumber', first('partNumber'));
  const [mpnColumn, ...secondMpns] = byRole.get('mpn') ?? [];
  take('mpn', mpnColumn);
  take('unitCost', first('unitCost'));
  take('extendedPrice', first('extendedPrice') ?? first('lineCost'));
  take('currency', first('currency'));
  take('supplier', first('supplier'));
  take('supplierPartNumber', first('supplierPartNumber'));
  take('url', first('url'));
  const [manufacturerColumn, ...secondManufacturers] = byRole.get('manufacturer') ?? [];
  take('manufacturer', manufacturerColumn);
  // 1-click-BOM repeats Manufacturer/MPN pairs for second sources: the n-th extra MPN goes with the n-th extra maker.
  const alternates = [...secondMpns, ...(byRole.get('altMpn') ?? [])].map((column, i) => {
    const mpn = claim(column, `substitutes (alternate MPN)`)!;
    const maker = i < secondMpns.length ? secondManufacturers[i] : undefined;
    const manufacturer = claim(maker, 'substitutes (alternate manufacturer)');
    return manufacturer === undefined ? { mpn } : { mpn, manufacturer };
  });
  take('material', first('material'));
  take('process', first('process'));
  take('filePath', first('filePath'));
  take('packSize', first('packSize'));
  take('minOrder', first('minOrder'));
  take('attrition', first('attrition'));
  take('cutLength', first('cutLength'));
  take('dnf', first('dnf'));
  take('optional', first('optional'));

  let sbomReference: number | undefined;
  const referenceColumn = first('refdes');
  if (isSbom && referenceColumn) sbomReference = claim(referenceColumn, 'filePath/partNumber (sBoM reference)');
  else take('refdes', referenceColumn);

  const notes: NoteColumn[] = [];
  for (const column of byRole.get('notes') ?? []) notes.push({ index: claim(column, 'notes')!, prefix: '' });
  for (const column of byRole.get('comment') ?? []) {
    if (column !== nameColumn && !(isEda && column === first('comment') && !byRole.has('value')))
      notes.push({ index: claim(column, 'notes')!, prefix: '' });
  }
  // An EDA "Comment" is the part's value (JLCPCB, Altium) when no Value column says it.
  const valueColumn = first('value') ?? (isEda ? first('comment') : undefined);
  if (valueColumn !== undefined) {
    single.value = valueColumn.index;
    if (valueColumn !== nameColumn) mapping[uniqueHeader(mapping, valueColumn.header)] = 'value';
    else mapping[valueColumn.header] = 'name, value';
  }
  for (const column of byRole.get('value') ?? []) {
    if (column !== nameColumn && column !== valueColumn)
      notes.push({ index: claim(column, 'notes')!, prefix: 'Value: ' });
  }
  const [footprintColumn, ...otherFootprints] = byRole.get('footprint') ?? [];
  take('footprint', footprintColumn);
  for (const column of otherFootprints) notes.push({ index: claim(column, 'notes')!, prefix: 'Footprint: ' });
  for (const column of byRole.get('type') ?? []) notes.push({ index: claim(column, 'notes')!, prefix: 'Type: ' });

  const retailers = recognised
    .filter((column) => column.retailer)
    .map((column) => ({ index: claim(column, `suppliers (${column.retailer})`)!, name: column.retailer! }));
  const numbered = (group: 'supplier' | 'substitute'): NumberedColumns[] => {
    const byN = new Map<number, Record<string, number>>();
    for (const column of recognised) {
      if (column.numbered?.group !== group) continue;
      const fields = byN.get(column.numbered.n) ?? {};
      fields[column.numbered.field] = claim(
        column,
        `${group === 'supplier' ? 'suppliers' : 'substitutes'}[${column.numbered.n}].${column.numbered.field}`,
      )!;
      byN.set(column.numbered.n, fields);
    }
    return [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([n, fields]) => ({ n, fields }));
  };

  const levelColumn = first('level');
  const positionColumn = first('position');
  const structure = levelColumn
    ? { kind: 'level' as const, index: claim(levelColumn, 'position (level)')! }
    : positionColumn
      ? { kind: 'position' as const, index: claim(positionColumn, 'position')! }
      : undefined;
  const parent = claim(first('parent'), 'parent');
  const fitted = claim(first('fitted'), 'dnf (inverted)');
  const priceColumn = first('unitCost') ?? first('extendedPrice');
  for (const column of [...(byRole.get('extendedPrice') ?? [])])
    if (column.index === single.extendedPrice) mapping[column.header] = 'extendedPrice (checks unitCost)';

  return {
    quantity,
    single,
    notes,
    retailers,
    extraSuppliers: numbered('supplier'),
    substitutes: numbered('substitute'),
    alternates,
    structure,
    parent,
    fitted,
    sbomReference,
    priceCurrency: priceColumn?.currency,
    cutLengthUnit: first('cutLength')?.unit,
    mapping,
    headers: headerCells,
  };
}

function uniqueHeader(mapping: Record<string, string>, header: string): string {
  if (!(header in mapping)) return header;
  let n = 2;
  while (`${header} (${n})` in mapping) n++;
  return `${header} (${n})`;
}
