// A BOM as Kitspace's 1-click-BOM TSV (References, Qty, Description, Manufacturer, MPN, retailer columns), for a
// Kitspace export of a version whose BOM was not published as a table Kitspace reads.
import type { BomLine } from '../bom/kernel/index.js';

/** Retailers 1-click-BOM has a column for: a supplier of that name writes its part number there. */
const retailers = ['Digikey', 'Mouser', 'RS', 'Farnell', 'Newark', 'LCSC'];

/** A cell on one line: TSV has no quoting, so tabs and line breaks become spaces. */
const cell = (v: string | undefined) => (v ?? '').replace(/[\t\r\n]+/g, ' ').trim();

/** Every line of the tree, children after their parent (Kitspace BOMs are flat). */
function flat(lines: readonly BomLine[]): BomLine[] {
  return lines.flatMap((l) => [l, ...flat(l.children ?? [])]);
}

/**
 * The 1-click-BOM text of some BOM lines. Value, Footprint and DNP appear only when a line uses them (KiCad's names,
 * which 1-click-BOM passes over and Andecha reads back), so designators, MPNs, quantities and fitted flags round-trip.
 */
export function oneClickBomTsv(lines: readonly BomLine[]): string {
  const rows = flat(lines);
  const used = (f: (l: BomLine) => unknown) => rows.some((l) => f(l) !== undefined && f(l) !== '');
  const columns: [string, (l: BomLine) => string | undefined][] = [
    ['References', (l) => l.designators?.join(', ')],
    ['Qty', (l) => l.quantity],
    ['Description', (l) => l.description ?? l.name],
    ['Manufacturer', (l) => l.manufacturer],
    ['MPN', (l) => l.mpn],
  ];
  if (used((l) => l.value)) columns.push(['Value', (l) => l.value]);
  if (used((l) => l.footprint)) columns.push(['Footprint', (l) => l.footprint]);
  if (rows.some((l) => l.fitted === false)) columns.push(['DNP', (l) => (l.fitted === false ? 'DNP' : '')]);
  for (const r of retailers) {
    const of = (l: BomLine) => l.suppliers?.find((s) => s.name.toLowerCase() === r.toLowerCase())?.partNumber;
    if (used(of)) columns.push([r, of]);
  }
  return [columns.map(([h]) => h), ...rows.map((l) => columns.map(([, f]) => cell(f(l))))]
    .map((r) => r.join('\t'))
    .join('\n')
    .concat('\n');
}
