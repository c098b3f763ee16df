// The BOM chapter: every line for N units grouped by sub-assembly, order quantities, costs, suppliers, substitutes.
import { bomView, type BomViewLine, type BomView } from '../bom/kernel/index.js';
import { Dec, decimalToString } from '../bom/kernel/decimal.js';
import { fonts } from './fonts.js';
import { colors, type CellLine, type PacketWriter, type TableColumn, type TableRow } from './layout.js';
import type { PacketData } from './data.js';
import type { RegionalSet } from './field-source.js';
import { money, quantity } from './format.js';

/** Column widths on A4; other papers scale them to their width. */
const baseColumns: TableColumn[] = [
  { header: 'Pos', width: 34 },
  { header: 'Part no.', width: 62 },
  { header: 'Item', width: 169 },
  { header: 'Need', width: 52, align: 'right' },
  { header: 'Order', width: 44, align: 'right' },
  { header: 'Unit cost', width: 46, align: 'right' },
  { header: 'Line cost', width: 50, align: 'right' },
  { header: 'Supplier', width: 46 },
];

/** With one currency throughout, it goes in the cost headers instead of every cell. */
function columnsFor(width: number, currency: string | undefined): TableColumn[] {
  const total = baseColumns.reduce((s, c) => s + c.width, 0);
  return baseColumns.map((c) => ({
    ...c,
    width: (c.width * width) / total,
    ...(currency && c.header.endsWith('cost') ? { header: `${c.header} (${currency})` } : {}),
  }));
}

function currenciesOf(lines: readonly BomViewLine[], into = new Set<string>()): Set<string> {
  for (const l of lines) {
    if (l.unitCost !== undefined) into.add(l.currency ?? 'XXX');
    if (l.children) currenciesOf(l.children, into);
  }
  return into;
}

type Regional = Map<string, RegionalSet['substitutions'][number]>;

function itemCell(line: BomViewLine, depth: number, regional: Regional, region?: string): CellLine[] {
  const pad = '   '.repeat(depth);
  const out: CellLine[] = [
    { text: pad + line.name, font: line.children?.length ? fonts.condensedBold : fonts.condensed },
  ];
  const detail = [line.material, line.process, line.mpn && `MPN ${line.mpn}`].filter(Boolean).join(' · ');
  if (detail) out.push({ text: pad + detail, size: 6.5, color: colors.muted });
  if (line.notes) out.push({ text: pad + line.notes, size: 6.5, color: colors.muted, font: fonts.condensed });
  if (line.filePath) out.push({ text: `${pad}file: ${line.filePath}`, size: 6.5, color: colors.muted });
  if (line.dnf) out.push({ text: `${pad}do not fit`, size: 6.5, color: colors.warn });
  if (line.optional) out.push({ text: `${pad}optional`, size: 6.5, color: colors.muted });
  for (const s of line.substitutes ?? [])
    out.push({
      text: `${pad}alternative: ${[s.name, s.partNumber, s.material, s.supplier].filter(Boolean).join(', ')}`,
      size: 6.5,
      color: colors.ink,
    });
  const local = regional.get(line.position);
  if (local)
    out.push({
      text: `${pad}in ${region}: ${local.substitute.name} (${local.count} of ${local.of} builds there)`,
      size: 6.5,
      color: colors.accent,
      font: fonts.condensedBold,
    });
  return out;
}

function lineRow(
  line: BomViewLine,
  depth: number,
  regional: Regional,
  region: string | undefined,
  shown: string | undefined,
): TableRow {
  const currency = shown ? undefined : line.currency;
  const supplier = line.suppliers?.[0];
  return {
    cells: [
      line.position,
      line.partNumber ?? '',
      itemCell(line, depth, regional, region),
      quantity(line.quantity, line.unit),
      line.orderQuantity !== undefined ? quantity(line.orderQuantity, line.unit) : '',
      money(line.unitCost, currency),
      money(line.lineCost, currency),
      supplier
        ? [
            { text: supplier.name },
            ...(supplier.partNumber ? [{ text: supplier.partNumber, size: 6.5, color: colors.muted }] : []),
          ]
        : '',
    ],
    ...(depth === 0 && line.children?.length ? { fill: colors.shade, bold: true } : {}),
  };
}

/** Σ line costs of a line and everything under it, per currency. */
function costOf(line: BomViewLine, into = new Map<string, Dec>()): Map<string, Dec> {
  if (line.lineCost !== undefined) {
    const key = line.currency ?? 'XXX';
    into.set(key, (into.get(key) ?? new Dec(0)).plus(line.lineCost));
  }
  for (const c of line.children ?? []) costOf(c, into);
  return into;
}

const costText = (costs: Map<string, Dec>, shown: string | undefined) =>
  [...costs]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, v]) => money(decimalToString(v), shown ? undefined : c))
    .join(' + ');

function rowsOf(view: BomView, regional: Regional, region: string | undefined, shown: string | undefined): TableRow[] {
  const rows: TableRow[] = [];
  const walk = (lines: readonly BomViewLine[], depth: number) => {
    for (const line of lines) {
      rows.push(lineRow(line, depth, regional, region, shown));
      if (line.children?.length) {
        walk(line.children, depth + 1);
        if (depth === 0) {
          const costs = costOf(line);
          if (costs.size)
            rows.push({
              cells: [
                '',
                '',
                [{ text: `Subtotal ${line.name}`, font: fonts.condensedBold, color: colors.muted }],
                '',
                '',
                '',
                [{ text: costText(costs, shown), font: fonts.condensedBold }],
                '',
              ],
            });
        }
      }
    }
  };
  walk(view.lines, 0);
  return rows;
}

export function drawBomSection(w: PacketWriter, data: PacketData): void {
  w.section('Bill of materials');
  const o = data.options;
  if (!data.bom) {
    w.text('This version has no BOM.', { font: fonts.italic, color: colors.muted });
    return;
  }
  const view = bomView(data.bom.lines, {
    units: o.units,
    ...(o.currency ? { currency: o.currency } : {}),
    ...(o.rates ? { rates: o.rates } : {}),
  });
  w.text(
    `Quantities for ${o.units} ${o.units === 1 ? 'unit' : 'units'}: "Need" is the exact amount, "Order" what to buy once pack sizes, minimum orders and expected losses apply. Sub-assemblies are shaded; their parts follow, indented. BOM checksum ${data.bom.checksum.slice(0, 16)}…`,
    { size: 8.5, color: colors.muted, gap: 8 },
  );
  const regional: Regional = new Map((data.regional?.substitutions ?? []).map((s) => [s.position, s]));
  if (o.region) {
    const note =
      data.regional === null
        ? `Regional substitutes for ${o.region}: this registry keeps no build reports.`
        : regional.size === 0
          ? `Regional substitutes for ${o.region}: no approved build there changed a part.`
          : `Regional substitutes for ${o.region} (from ${data.regional!.builds} approved builds there) are marked in orange under their line.`;
    w.text(note, { size: 8.5, color: regional.size ? colors.accent : colors.muted, gap: 8 });
  }
  const currencies = currenciesOf(view.lines);
  const shown = currencies.size === 1 ? [...currencies][0] : undefined;
  const columns = columnsFor(w.width, shown === 'XXX' ? undefined : shown);
  const rows = rowsOf(view, regional, o.region, shown);
  const totals = Object.entries(view.totals.byCurrency);
  for (const [currency, amount] of totals) {
    rows.push({
      cells: [
        [
          {
            text: `Total for ${o.units} ${o.units === 1 ? 'unit' : 'units'}${currency === 'XXX' ? ' (prices without a currency)' : ''}`,
            font: fonts.condensedBold,
          },
        ],
        '',
        '',
        '',
        '',
        '',
        [{ text: money(amount, currency), font: fonts.condensedBold }],
        ' ',
      ],
      fill: colors.header,
      span: true,
    });
    if (o.units > 1)
      rows.push({
        cells: [
          [{ text: 'Per unit', color: colors.muted }],
          '',
          '',
          '',
          '',
          '',
          money(decimalToString(new Dec(amount).div(o.units)), currency),
          ' ',
        ],
        span: true,
      });
  }
  if (view.totals.converted) {
    rows.push({
      cells: [
        [{ text: `Total converted to ${view.totals.converted.currency}`, font: fonts.condensedBold }],
        '',
        '',
        '',
        '',
        '',
        [{ text: money(view.totals.converted.amount, view.totals.converted.currency), font: fonts.condensedBold }],
        ' ',
      ],
      fill: colors.header,
      span: true,
    });
  }
  w.table(columns, rows, { size: 7.5 });
  const warnings = view.warnings;
  if (warnings.length) {
    w.ensureSpace(40);
    w.text('Notes on the BOM', { font: fonts.bold, size: 9 });
    for (const wn of warnings)
      w.text(`${wn.position ? `Line ${wn.position}: ` : ''}${wn.message}`, { size: 8, color: colors.muted, gap: 2 });
  }
}
